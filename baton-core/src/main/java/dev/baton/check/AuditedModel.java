package dev.baton.check;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import dev.baton.api.event.RunEvent;
import dev.baton.materialization.Materializations;
import dev.baton.materialization.NodeExecution;
import dev.baton.materialization.NodeOutcome;
import dev.baton.materialization.Publisher;
import dev.baton.plan.Action;
import dev.baton.project.Materialization;
import dev.baton.project.Node;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * A table or view model built into a staging relation, audited there, and published only when no
 * error-level check failed. A table that fails is dropped (or kept in the audit schema); a view
 * that fails never replaces the live definition.
 */
final class AuditedModel implements NodeExecution {
    /** Schema suffix of the audit schema, where {@code --keep-failed} keeps rejected tables. */
    static final String AUDIT_SCHEMA_SUFFIX = "_baton_audit";
    private static final String BUILT_COMMENT = "built by baton at ";

    private final java.util.List<CheckSpec> checks;
    private final boolean keepFailed;
    private final String runId;
    private final BiConsumer<AuditReport, RunEvent> record;

    private final Optional<dev.baton.contract.ModelContract> contract;

    private final MetricHistory history;

    AuditedModel(java.util.List<CheckSpec> checks, Optional<dev.baton.contract.ModelContract> contract, boolean keepFailed, String runId,
            BiConsumer<AuditReport, RunEvent> record, MetricHistory history) {
        this.history = history;
        java.util.List<CheckSpec> all = new java.util.ArrayList<>(checks);
        contract.ifPresent(declared -> all.addAll(declared.checks()));
        this.checks = all;
        this.contract = contract;
        this.keepFailed = keepFailed;
        this.runId = runId;
        this.record = record;
    }

    @Override
    public NodeOutcome execute(Engine engine, EngineSession session, Node node) throws SQLException {
        Relation relation = node.relation().orElseThrow();
        String live = CheckSpec.sql(relation);
        AtomicReference<AuditReport> audit = new AtomicReference<>();
        java.util.List<String> broken = new java.util.ArrayList<>();
        boolean table = node.config().materialized() == Materialization.TABLE;
        Optional<String> previousBuild = table && engine.capabilities().tableComments() ? builtAt(session, relation) : Optional.empty();
        long rows;
        boolean published;
        if (table) {
            Publisher.Published result = Publisher.publishAudited(engine, session, relation,
                    into -> session.execute("create table " + engine.render(into) + " as (\n" + node.compiledSql() + "\n)"),
                    staged -> {
                        if (contractBroken(session, staged, broken)) {
                            audit.set(new AuditReport(java.util.Map.of(), java.util.List.of(), java.util.List.of()));
                            return false;
                        }
                        AuditReport report = Auditor.run(session, engine.render(staged), live, checks, failureStore(engine, session, relation), history,
                                node.uniqueId(), engine.capabilities());
                        audit.set(report);
                        if (report.errors() == 0) {
                            if (engine.capabilities().tableComments()) {
                                markBuilt(engine, session, staged);
                            }
                            return true;
                        }
                        return false;
                    },
                    keepFailed ? Optional.of(new Relation(relation.schema() + AUDIT_SCHEMA_SUFFIX, relation.identifier() + "__" + runId.substring(0, 8)))
                            : Optional.empty());
            rows = result.rows();
            published = result.published();
        } else {
            Relation staged = relation.withIdentifier(relation.identifier() + Publisher.STAGING_SUFFIX);
            String stagedSql = engine.render(staged);
            session.execute("drop view if exists " + stagedSql);
            session.execute("create view " + stagedSql + " as (\n" + node.compiledSql() + "\n)");
            try {
                audit.set(contractBroken(session, staged, broken) ? new AuditReport(java.util.Map.of(), java.util.List.of(), java.util.List.of())
                        : Auditor.run(session, stagedSql, live, checks, failureStore(engine, session, relation), history, node.uniqueId(),
                                engine.capabilities().forViews()));
            } finally {
                session.execute("drop view if exists " + stagedSql);
            }
            published = broken.isEmpty() && audit.get().errors() == 0;
            if (published) {
                Materializations.forAction(Action.CREATE_VIEW, java.nio.file.Path.of(".")).execute(engine, session, node);
            }
            rows = -1;
        }
        AuditReport report = audit.get();
        record.accept(report, new RunEvent.AuditFinished(runId, node.uniqueId(), relation.toString(), published, report.queries().size(),
                report.metrics(), Instant.now()));
        String kind = table ? "table" : "view";
        if (published) {
            return NodeOutcome.built("created " + kind + " model " + relation, rows);
        }
        // A broken contract stops the audit before any check runs: its differences are what failed.
        long failed = broken.isEmpty() ? report.errors() : broken.size();
        String checksFailed = broken.isEmpty() ? failed + " check" + (failed == 1 ? "" : "s") + " failed"
                : "the contract is not met:\n  " + String.join("\n  ", broken);
        for (CheckSpec check : checks) {
            CheckOutcome outcome = report.outcomes().get(check.testId());
            if (check.testId().startsWith("contract.") && outcome != null && outcome.verdict() == CheckOutcome.Verdict.FAIL) {
                Object mustBe = check.arguments().get(dev.baton.contract.ModelContract.MUST_BE);
                String said = mustBe != null && outcome.sample().size() == 1
                        ? "the query returned " + outcome.sample().get(0).replaceAll("^\\{value=(.*)}$", "$1") + "; it must be " + mustBe : outcome.message();
                checksFailed += "\n  " + check.location().map(at -> at + ": ").orElse("") + check.name() + ": " + said;
            }
        }
        String message;
        if (!table) {
            message = "kept previous definition of " + relation + "; " + checksFailed;
        } else if (previousBuild.isPresent() || session.relationType(relation).isPresent()) {
            message = "kept previous version of " + relation + previousBuild.map(at -> " (built " + at + ")").orElse("") + "; " + checksFailed;
        } else {
            message = "did not publish " + relation + ", which has no previous version; " + checksFailed;
        }
        if (keepFailed && table) {
            message += "; the rejected table is kept as " + relation.schema() + AUDIT_SCHEMA_SUFFIX + "." + relation.identifier() + "__" + runId.substring(0, 8);
        }
        return new NodeOutcome(message, rows >= 0 ? OptionalLong.of(rows) : OptionalLong.empty(), OptionalLong.of(failed), false, true);
    }

    /** Compares the staged relation's columns with the contract; the differences go to {@code broken}. */
    private boolean contractBroken(EngineSession session, Relation staged, java.util.List<String> broken) throws SQLException {
        if (contract.isEmpty()) {
            return false;
        }
        var rows = session.query("select column_name, data_type from information_schema.columns where table_schema = '"
                + staged.schema().replace("'", "''") + "' and table_name = '" + staged.identifier().replace("'", "''") + "' order by ordinal_position",
                100_000).rows();
        java.util.Map<String, String> actual = new java.util.LinkedHashMap<>();
        rows.forEach(row -> actual.put(row.get(0), row.get(1)));
        broken.addAll(contract.get().differences(actual));
        return !broken.isEmpty();
    }

    /** Failing rows of {@code store_failures} checks go to {@code <schema>_baton_audit.<test name>__<run id prefix>}. */
    private Optional<Auditor.FailureStore> failureStore(Engine engine, EngineSession session, Relation relation) {
        return Optional.of((check, rowsSql) -> {
            Relation table = new Relation(relation.schema() + AUDIT_SCHEMA_SUFFIX, check.name() + "__" + runId.substring(0, Math.min(8, runId.length())));
            session.createSchemaIfMissing(table.schema());
            session.executeAtomically(Publisher.replaceTable(engine, table, rowsSql));
            return table.toString();
        });
    }

    private static void markBuilt(Engine engine, EngineSession session, Relation staged) throws SQLException {
        session.execute("comment on table " + engine.render(staged) + " is '" + BUILT_COMMENT + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "'");
    }

    /** When the live table was built, from the comment a previous audited build left on it. */
    private static Optional<String> builtAt(EngineSession session, Relation relation) throws SQLException {
        return session.tableComment(relation).filter(comment -> comment.startsWith(BUILT_COMMENT)).map(comment -> comment.substring(BUILT_COMMENT.length()));
    }
}
