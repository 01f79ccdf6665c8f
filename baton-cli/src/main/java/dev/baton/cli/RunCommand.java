package dev.baton.cli;

import dev.baton.plan.CommandKind;
import picocli.CommandLine.Command;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Build the selected models.")
final class RunCommand extends ExecuteCommand {
    RunCommand(CliContext context) {
        super(context);
    }

    @picocli.CommandLine.Mixin
    IncrementalFlags incrementalFlags;

    @Override
    void checkFlags() {
        incrementalFlags.range(java.time.Clock.systemUTC());
    }

    @Override
    dev.baton.materialization.IncrementalOptions incrementalOptions(dev.baton.state.StateStore store) {
        return incrementalFlags.options(store, false);
    }

    @Override
    CommandKind kind() {
        return CommandKind.RUN;
    }
}
