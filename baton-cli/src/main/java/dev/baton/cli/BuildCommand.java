package dev.baton.cli;

import dev.baton.plan.CommandKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "build", mixinStandardHelpOptions = true, description = "Seed, build, test and publish the selected nodes in dependency order; a failing test skips what is downstream.")
final class BuildCommand extends ExecuteCommand {
    @Option(names = "--keep-failed", description = "Keep a table whose checks failed in the audit schema (<schema>_baton_audit) instead of dropping it.")
    boolean keepFailed;

    @Option(names = "--no-audit", description = "Publish each model before testing it, exactly as dbt does, instead of auditing the staged relation first.")
    boolean noAudit;

    BuildCommand(CliContext context) {
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
        return CommandKind.BUILD;
    }

    @Override
    boolean audit() {
        return !noAudit;
    }

    @Override
    boolean keepFailed() {
        return keepFailed;
    }
}
