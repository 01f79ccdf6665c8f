package dev.baton.cli;

import dev.baton.plan.CommandKind;
import picocli.CommandLine.Command;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Build the selected models.")
final class RunCommand extends ExecuteCommand {
    RunCommand(CliContext context) {
        super(context);
    }

    @Override
    CommandKind kind() {
        return CommandKind.RUN;
    }
}
