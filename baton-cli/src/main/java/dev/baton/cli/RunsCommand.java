package dev.baton.cli;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.project.ProjectSettings;
import dev.baton.state.NodeResultRecord;
import dev.baton.state.RunRecord;
import dev.baton.state.StateStore;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "List recent runs from the state store.",
        subcommands = RunsCommand.Show.class)
final class RunsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final CliContext context;

    @Mixin
    ProjectOptions projectOptions;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "How many runs to show (default: 20).")
    int limit;

    RunsCommand(CliContext context) {
        this.context = context;
    }

    static StateStore open(ProjectOptions options, CliContext context) {
        Path root = options.projectDir.toAbsolutePath().normalize();
        Optional<String> url = stateUrl(options, context);
        return StateStore.open(root, url);
    }

    private static Optional<String> stateUrl(ProjectOptions options, CliContext context) {
        try {
            ProjectSettings settings = dev.baton.project.ProjectLoader.settings(options.projectDir, context.env());
            return settings.stateUrl();
        } catch (BatonException e) {
            return Optional.empty();
        }
    }

    @Override
    public Integer call() {
        try (StateStore store = open(projectOptions, context)) {
            List<RunRecord> runs = store.recentRuns(limit);
            if (runs.isEmpty()) {
                context.out().println("No runs yet. Run 'baton build' first.");
                return 0;
            }
            context.out().printf("%-36s  %-9s  %-19s  %8s  %s%n", "run", "status", "started", "elapsed", "command");
            for (RunRecord run : runs) {
                context.out().printf("%-36s  %-9s  %-19s  %8s  %s%n", run.id(), run.status().label(), TIME.format(run.startedAt()),
                        run.elapsed().map(d -> String.format(Locale.ROOT, "%.2fs", d.toMillis() / 1000.0)).orElse("-"), run.command());
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one run and the result of each of its nodes.")
    static final class Show implements Callable<Integer> {
        private final CliContext context;

        @Mixin
        ProjectOptions projectOptions;

        @Parameters(index = "0", paramLabel = "ID", description = "The run's id, or a unique prefix of it.")
        String id;

        Show(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (StateStore store = open(projectOptions, context)) {
                RunRecord run = store.run(id).orElseThrow(() -> new BatonException(ErrorCode.INVALID_ARGUMENT,
                        "no run with id '" + id + "' in " + store.location() + "; 'baton runs' lists the recent ones"));
                context.out().println("run      " + run.id());
                context.out().println("command  " + run.command());
                context.out().println("target   " + run.target());
                context.out().println("status   " + run.status().label());
                context.out().println("started  " + TIME.format(run.startedAt()));
                run.elapsed().ifPresent(d -> context.out().printf(Locale.ROOT, "elapsed  %.2fs%n", d.toMillis() / 1000.0));
                context.out().println();
                context.out().printf("%-9s  %8s  %10s  %s%n", "status", "duration", "rows", "node");
                for (NodeResultRecord result : store.nodeResults(run.id())) {
                    context.out().printf("%-9s  %7.2fs  %10s  %s%n", result.status().name().toLowerCase(Locale.ROOT), result.duration().toMillis() / 1000.0,
                            result.rowsAffected().isPresent() ? String.valueOf(result.rowsAffected().getAsLong()) : "", result.nodeId());
                    if (result.status().isFailure() || result.status() == dev.baton.api.event.NodeStatus.WARN) {
                        context.out().println("           " + result.message());
                    }
                }
                return 0;
            }
        }
    }
}
