package dev.baton.cli;

import dev.baton.artifact.Artifacts;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "baton",
        mixinStandardHelpOptions = true,
        versionProvider = BatonCommand.Version.class,
        description = "Baton: ingest, build, test, publish and serve your data products. A dbt project runs on it as it is.",
        subcommands = {
                BuildCommand.class, IngestCommand.class, SourceCommand.class, ContractCommand.class, RunCommand.class, TestCommand.class, SeedCommand.class, SnapshotCommand.class, RetryCommand.class, JanitorCommand.class, CompileCommand.class, PlanCommand.class,
                ListCommand.class, RunsCommand.class, KpisCommand.class, ServeCommand.class, TokenCommand.class, InitCommand.class, DebugCommand.class, AutoComplete.GenerateCompletion.class},
        usageHelpAutoWidth = true)
final class BatonCommand implements Runnable {
    private final CliContext context;

    BatonCommand(CliContext context) {
        this.context = context;
    }

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces and engine details on errors.")
    void setDebug(boolean debug) {
        context.setDebug(debug);
    }

    @Override
    public void run() {
        context.out().println(new picocli.CommandLine(this).getUsageMessage());
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"baton " + Artifacts.batonVersion(), "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
