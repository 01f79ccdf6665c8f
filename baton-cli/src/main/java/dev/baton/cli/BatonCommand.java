package dev.baton.cli;

import dev.baton.artifact.Artifacts;
import picocli.AutoComplete;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

@Command(name = "baton",
        mixinStandardHelpOptions = true,
        versionProvider = BatonCommand.Version.class,
        description = "Baton: ingest, build, test, publish and serve your data products. A dbt project runs on it as it is.",
        usageHelpAutoWidth = true)
final class BatonCommand implements Runnable {
    /** The subcommands, in the order {@code baton --help} lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            BuildCommand.class, IngestCommand.class, SourceCommand.class, ContractCommand.class, RunCommand.class, TestCommand.class, SeedCommand.class,
            SnapshotCommand.class, RetryCommand.class, JanitorCommand.class, CompileCommand.class, PlanCommand.class, ListCommand.class, RunsCommand.class,
            KpisCommand.class, ServeCommand.class, TokenCommand.class, InitCommand.class, DebugCommand.class, AutoComplete.GenerateCompletion.class);

    private final CliContext context;

    @Spec
    CommandSpec spec;

    BatonCommand(CliContext context) {
        this.context = context;
    }

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces and engine details on errors.")
    void setDebug(boolean debug) {
        context.setDebug(debug);
    }

    @Override
    public void run() {
        context.out().println(spec.commandLine().getUsageMessage());
    }

    /**
     * The subcommands a command line needs: only the one it names, since picocli builds each from
     * its annotations when it is added (four tenths of a second for all of them on a fresh JVM, a
     * tenth of that for one); all of them for help, the completion script and a mistyped name, whose
     * suggestions need every name.
     */
    static List<Class<?>> subcommandsFor(String[] args) {
        for (String arg : args) {
            if (arg.startsWith("-")) {
                // The root's options (--debug, --help, --version) take no value.
                continue;
            }
            for (Class<?> type : SUBCOMMANDS) {
                Command command = type.getAnnotation(Command.class);
                if (type != AutoComplete.GenerateCompletion.class
                        && (command.name().equals(arg) || java.util.Arrays.asList(command.aliases()).contains(arg))) {
                    return List.of(type);
                }
            }
            return SUBCOMMANDS;
        }
        return SUBCOMMANDS;
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"baton " + Artifacts.batonVersion(), "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
