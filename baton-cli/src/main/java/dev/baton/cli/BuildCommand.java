package dev.baton.cli;

import dev.baton.plan.CommandKind;
import picocli.CommandLine.Command;

@Command(name = "build", mixinStandardHelpOptions = true, description = "Seed, build, test and publish the selected nodes in dependency order; a failing test skips what is downstream.")
final class BuildCommand extends ExecuteCommand {
    BuildCommand(CliContext context) {
        super(context);
    }

    @Override
    CommandKind kind() {
        return CommandKind.BUILD;
    }
}
