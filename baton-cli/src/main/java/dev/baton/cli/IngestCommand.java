package dev.baton.cli;

import dev.baton.plan.CommandKind;
import picocli.CommandLine.Command;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Load the selected sources that have a connector (all of them by default) into the warehouse.")
final class IngestCommand extends ExecuteCommand {
    IngestCommand(CliContext context) {
        super(context);
    }

    @Override
    CommandKind kind() {
        return CommandKind.INGEST;
    }
}
