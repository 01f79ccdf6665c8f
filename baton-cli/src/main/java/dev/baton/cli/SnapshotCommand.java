package dev.baton.cli;

import dev.baton.plan.CommandKind;
import picocli.CommandLine.Command;

@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Take the selected snapshots: record changed and deleted rows of their queries as new versions (slowly changing dimensions, type 2).")
final class SnapshotCommand extends ExecuteCommand {
    SnapshotCommand(CliContext context) {
        super(context);
    }

    @Override
    CommandKind kind() {
        return CommandKind.SNAPSHOT;
    }
}
