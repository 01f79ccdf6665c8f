package dev.baton.cli;

import dev.baton.plan.CommandKind;
import picocli.CommandLine.Command;

@Command(name = "seed", mixinStandardHelpOptions = true, description = "Load the selected seeds.")
final class SeedCommand extends ExecuteCommand {
    SeedCommand(CliContext context) {
        super(context);
    }

    @Override
    CommandKind kind() {
        return CommandKind.SEED;
    }
}
