package dev.baton.cli;

import dev.baton.plan.CommandKind;
import picocli.CommandLine.Command;

@Command(name = "test", mixinStandardHelpOptions = true, description = "Run the selected tests.")
final class TestCommand extends ExecuteCommand {
    TestCommand(CliContext context) {
        super(context);
    }

    @Override
    CommandKind kind() {
        return CommandKind.TEST;
    }
}
