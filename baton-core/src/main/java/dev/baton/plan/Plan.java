package dev.baton.plan;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What a command will run, in order. Plain data: {@code baton plan} prints it, {@code baton build} executes it. */
public record Plan(String command, List<PlanStep> steps, List<String> warnings) {
    public Plan {
        requireNonNull(command, "command is null");
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
    }
}
