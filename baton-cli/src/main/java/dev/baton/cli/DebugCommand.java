package dev.baton.cli;

import dev.baton.api.BatonException;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.artifact.Artifacts;
import dev.baton.engine.Engines;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.state.StateStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "debug", mixinStandardHelpOptions = true, description = "Check the project, the target and the connections, and say what is wrong.")
final class DebugCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ProjectOptions projectOptions;

    DebugCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        context.out().println("baton " + Artifacts.batonVersion() + " on Java " + System.getProperty("java.version"));
        Project project;
        try {
            project = ProjectLoader.load(projectOptions.loadOptions(context.env()));
        } catch (BatonException e) {
            context.out().println("  project:      ERROR " + e.getMessage());
            return e.errorCode().type().exitCode();
        }
        context.out().println("  project:      OK " + project.name() + " (" + project.settings().file() + ", " + project.nodes().size() + " nodes)");
        context.out().println("  target:       " + project.target().name() + " (" + project.target().type() + ", " + where(project.target())
                + ", schema " + project.target().schema() + ")");
        int failures = 0;
        try (Engine engine = Engines.open(project.target(), project.root(), 1, context.env());
                EngineSession session = engine.openSession()) {
            String version = Engines.provider(project.target().type()).orElseThrow().describeVersion(session);
            context.out().println("  connection:   OK " + version);
        } catch (BatonException e) {
            context.out().println("  connection:   ERROR " + e.getMessage());
            failures++;
        } catch (java.sql.SQLException e) {
            context.out().println("  connection:   ERROR " + e.getMessage());
            failures++;
        }
        try (StateStore store = StateStore.open(project.root(), project.settings().stateUrl())) {
            context.out().println("  state store:  OK " + project.settings().stateUrl().map(url -> url.replaceAll("password=[^&]*", "password=***"))
                    .orElse(".baton/state.db"));
        } catch (BatonException e) {
            context.out().println("  state store:  ERROR " + e.getMessage());
            failures++;
        }
        context.out().println(failures == 0 ? "All checks passed." : failures + " check" + (failures == 1 ? "" : "s") + " failed.");
        return failures == 0 ? 0 : 1;
    }

    /** Where the target's data lives: its file, its server and database, or its cluster's master. */
    private static String where(dev.baton.project.Target target) {
        if (target.path().isPresent()) {
            return target.path().get();
        }
        if (target.settings().containsKey("master")) {
            // A cluster engine: where its driver connects, and where its tables' files are when the target says.
            Object warehouse = target.settings().get("warehouse");
            return "master " + target.settings().get("master") + (warehouse == null ? "" : ", warehouse " + warehouse);
        }
        Object host = target.settings().getOrDefault("host", "localhost");
        Object port = target.settings().getOrDefault("port", "");
        Object database = target.settings().getOrDefault("dbname", target.settings().getOrDefault("database", ""));
        return host + (port.toString().isEmpty() ? "" : ":" + port) + "/" + database;
    }
}
