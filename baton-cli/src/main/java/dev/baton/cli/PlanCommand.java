package dev.baton.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.baton.graph.selector.Selection;
import dev.baton.plan.CommandKind;
import dev.baton.plan.Plan;
import dev.baton.plan.PlanStep;
import dev.baton.plan.Planner;
import dev.baton.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print what 'baton build' (or --command run|test|seed) would do: each node, its action and why, in order.")
final class PlanCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ProjectOptions projectOptions;

    @Mixin
    SelectionOptions selectionOptions;

    @Option(names = "--command", paramLabel = "COMMAND", defaultValue = "build", description = "The command to plan: build (default), run, test or seed.")
    CommandKind command;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    String output;

    PlanCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Workspace workspace = Workspace.load(projectOptions, context);
        Plan plan;
        try (StateStore store = StateStore.open(workspace.project().root(), workspace.project().settings().stateUrl())) {
            Selection selection = workspace.select(selectionOptions.spec(), context, () -> store);
            plan = Planner.plan(command, workspace.project(), workspace.graph(), selection.nodeIds(), store.lastBuiltHashes(), selection.warnings());
        }
        if (OutputFormat.parse(output) == OutputFormat.JSON) {
            context.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(asJson(plan)));
            return 0;
        }
        context.out().println("Plan for 'baton " + plan.command() + "' on target " + workspace.project().target().name() + ": "
                + plan.steps().size() + " step" + (plan.steps().size() == 1 ? "" : "s"));
        int width = 4;
        for (PlanStep step : plan.steps()) {
            width = Math.max(width, step.nodeId().length());
        }
        context.out().printf("%4s  %-" + width + "s  %-12s  %s%n", "#", "node", "action", "reason");
        int index = 1;
        for (PlanStep step : plan.steps()) {
            context.out().printf("%4d  %-" + width + "s  %-12s  %s%n", index++, step.nodeId(), step.action().label(), step.reason());
        }
        return 0;
    }

    static Map<String, Object> asJson(Plan plan) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", plan.command());
        List<Object> steps = new ArrayList<>();
        for (PlanStep step : plan.steps()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("node", step.nodeId());
            entry.put("action", step.action().label());
            entry.put("reason", step.reason());
            entry.put("waits_for", step.waitsFor());
            steps.add(entry);
        }
        json.put("steps", steps);
        json.put("warnings", plan.warnings());
        return json;
    }
}
