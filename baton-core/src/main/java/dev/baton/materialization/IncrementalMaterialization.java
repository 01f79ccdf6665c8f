package dev.baton.materialization;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.Suggestions;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import dev.baton.project.IncrementalConfig;
import dev.baton.project.IncrementalConfig.OnSchemaChange;
import dev.baton.project.IncrementalConfig.Strategy;
import dev.baton.project.Node;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An incremental model. Without a live table (or with {@code --full-refresh}) it is built like a
 * table: staged, audited, swapped in. Otherwise the new rows are staged beside the live table,
 * the model's checks run on a view of the table as it would be after applying them, and only
 * then are they applied (append, merge or delete+insert, with any schema change) in one
 * transaction. Microbatch models are handled by {@link Microbatches}.
 */
final class IncrementalMaterialization implements NodeExecution {
    private final MaterializationContext context;

    IncrementalMaterialization(MaterializationContext context) {
        this.context = context;
    }

    @Override
    public NodeOutcome execute(Engine engine, EngineSession session, Node node) throws SQLException {
        IncrementalConfig config = node.incremental().orElseThrow(() -> new BatonException(ErrorCode.INTERNAL, node.uniqueId() + " is not incremental"));
        Relation relation = node.relation().orElseThrow();
        Optional<RelationType> existing = session.relationType(relation);
        if (config.strategy() == Strategy.MICROBATCH) {
            return new Microbatches(context, engine, node, config).execute(session, existing);
        }
        if (existing.isEmpty() || existing.get() != RelationType.TABLE || context.incremental().fullRefresh()) {
            return rebuild(engine, session, node, config, existing.isPresent());
        }
        return increment(engine, session, node, config, relation);
    }

    /** Builds the whole table from the model's SQL (is_incremental() false), audited like a table model. */
    private NodeOutcome rebuild(Engine engine, EngineSession session, Node node, IncrementalConfig config, boolean replacing) throws SQLException {
        Relation relation = node.relation().orElseThrow();
        AtomicLong failed = new AtomicLong();
        Publisher.Published result = Publisher.publishAudited(engine, session, relation, into -> {
            long rows = session.execute("create table " + engine.render(into) + " as (\n" + node.compiledSql() + "\n)");
            checkUniqueKey(session, into, node, config);
            return rows;
        }, staged -> {
            failed.set(context.checks().audit(session, engine.render(staged), relation.toString()));
            return failed.get() == 0;
        }, Optional.empty());
        if (!result.published()) {
            return rejected((replacing ? "kept previous version of " + relation : "did not publish " + relation + ", which has no previous version"),
                    result.rows(), failed.get());
        }
        String verb = replacing ? "rebuilt incremental model " + relation + " (full refresh)" : "created incremental model " + relation;
        return NodeOutcome.built(verb, result.rows());
    }

    private NodeOutcome increment(Engine engine, EngineSession session, Node node, IncrementalConfig config, Relation relation) throws SQLException {
        Strategy strategy = effectiveStrategy(engine, config);
        if (rewrites(engine, strategy)) {
            return rewrite(engine, session, node, config, relation, strategy);
        }
        Relation staging = relation.withIdentifier(relation.identifier() + Publisher.STAGING_SUFFIX);
        String stagingSql = engine.render(staging);
        Relation auditView = relation.withIdentifier(relation.identifier() + "__increment" + Publisher.STAGING_SUFFIX);
        session.execute("drop table if exists " + stagingSql);
        try {
            StagedIncrement staged = stage(session, node, config, relation, staging, stagingSql);
            long rows = staged.rows();
            SchemaChange change = staged.change();
            OnSchemaChange mode = staged.mode();
            long failed = auditIncrement(engine, session, relation, staging, auditView, change, mode, strategy, config.replacedBy());
            if (failed > 0) {
                return notApplied(relation, rows, failed);
            }
            List<String> statements = new ArrayList<>(change.ddl(engine, relation, mode));
            statements.addAll(apply(engine, relation, stagingSql, change.insertedColumns(mode), config.replacedBy(), strategy));
            // The audit view reads the staged rows: where views bind to tables (PostgreSQL) it must go before them.
            statements.add("drop view if exists " + engine.render(auditView));
            statements.add("drop table " + stagingSql);
            session.executeAtomically(statements);
            return applied(relation, config, rows, change, mode);
        } finally {
            dropQuietly(session, "drop view if exists " + engine.render(auditView));
            dropQuietly(session, "drop table if exists " + stagingSql);
        }
    }

    /**
     * Whether the increment rewrites the whole table: a strategy that replaces rows, on an engine whose tables cannot
     * delete rows in place (Spark's Parquet tables) and have no {@code MERGE}.
     */
    static boolean rewrites(Engine engine, Strategy strategy) {
        return strategy != Strategy.APPEND && !engine.capabilities().updateDelete();
    }

    /**
     * Replaces rows by rewriting the table: the live rows the increment keeps and the new rows are written into a staging
     * table, which is audited and swapped in as a table model is. It reads and writes the whole table, so it costs a full
     * rebuild's I/O, but never the model's full query.
     */
    private NodeOutcome rewrite(Engine engine, EngineSession session, Node node, IncrementalConfig config, Relation relation, Strategy strategy)
            throws SQLException {
        Relation fresh = relation.withIdentifier(relation.identifier() + "__rows" + Publisher.STAGING_SUFFIX);
        String freshSql = engine.render(fresh);
        session.execute("drop table if exists " + freshSql);
        try {
            StagedIncrement increment = stage(session, node, config, relation, fresh, freshSql);
            long rows = increment.rows();
            SchemaChange change = increment.change();
            OnSchemaChange mode = increment.mode();
            String after = afterIncrement(engine, relation, fresh, change, mode, strategy, config.replacedBy());
            AtomicLong failed = new AtomicLong();
            Publisher.Published published = Publisher.publishAudited(engine, session, relation,
                    into -> session.execute("create table " + engine.render(into) + " as " + after),
                    staged -> {
                        failed.set(context.checks().audit(session, engine.render(staged), relation.toString()));
                        return failed.get() == 0;
                    }, Optional.empty());
            if (!published.published()) {
                return notApplied(relation, rows, failed.get());
            }
            return applied(relation, config, rows, change, mode);
        } finally {
            dropQuietly(session, "drop table if exists " + freshSql);
        }
    }

    /** The new rows of an increment, staged and checked: how many, and the schema change they bring (allowed by {@code on_schema_change}). */
    private record StagedIncrement(long rows, SchemaChange change, OnSchemaChange mode) {}

    /** Writes the increment's rows into {@code table} and checks their unique key and their schema against the live relation. */
    private static StagedIncrement stage(EngineSession session, Node node, IncrementalConfig config, Relation relation, Relation table, String tableSql)
            throws SQLException {
        session.execute("create table " + tableSql + " as (\n" + config.incrementalSql() + "\n)");
        long rows = Long.parseLong(session.query("select count(*) from " + tableSql, 1).rows().get(0).get(0));
        checkUniqueKey(session, table, node, config);
        SchemaChange change = SchemaChange.between(session, relation, table);
        OnSchemaChange mode = config.onSchemaChange();
        change.check(mode, relation.toString(), config.location("on_schema_change", node.location()));
        return new StagedIncrement(rows, change, mode);
    }

    private static NodeOutcome notApplied(Relation relation, long rows, long failed) {
        return rejected("kept previous version of " + relation + "; the " + rows + " new row" + (rows == 1 ? " was" : "s were") + " not applied", rows, failed);
    }

    private static NodeOutcome applied(Relation relation, IncrementalConfig config, long rows, SchemaChange change, OnSchemaChange mode) {
        String message = "added " + rows + " row" + (rows == 1 ? "" : "s") + " to incremental model " + relation + " (" + config.strategy().label() + ")";
        if (!change.isEmpty()) {
            message += "; schema change (" + mode.label() + "): " + change.describe();
        }
        return NodeOutcome.built(message, rows);
    }

    /** Merge needs the engine's MERGE; without it, delete+insert does the same in one transaction. */
    private static Strategy effectiveStrategy(Engine engine, IncrementalConfig config) {
        if (config.strategy() == Strategy.MERGE && config.uniqueKey().isEmpty()) {
            return Strategy.APPEND; // dbt: a merge without unique_key inserts every row
        }
        if (config.strategy() == Strategy.MERGE && !engine.capabilities().merge()) {
            return Strategy.DELETE_INSERT;
        }
        return config.strategy();
    }

    /** Audits the table as it would be after applying the increment, through a view; returns the failed error-level checks. */
    private long auditIncrement(Engine engine, EngineSession session, Relation relation, Relation staging, Relation view, SchemaChange change,
            OnSchemaChange mode, Strategy strategy, List<String> uniqueKey) throws SQLException {
        if (context.checks() == StagedChecks.NONE) {
            return 0;
        }
        session.execute("create or replace view " + engine.render(view) + " as " + afterIncrement(engine, relation, staging, change, mode, strategy, uniqueKey));
        return context.checks().audit(session, engine.render(view), relation.toString());
    }

    /** The table as it would be after the increment: the live rows it keeps, then the new rows, in the final columns. */
    private static String afterIncrement(Engine engine, Relation relation, Relation staging, SchemaChange change, OnSchemaChange mode, Strategy strategy,
            List<String> uniqueKey) {
        String live = engine.render(relation);
        String staged = engine.render(staging);
        String kept = "select " + String.join(", ", change.liveExpressions(engine, mode)) + " from " + live + " as live";
        if (strategy != Strategy.APPEND) {
            kept += " where not exists (select 1 from " + staged + " as fresh where " + matching(engine, "fresh", "live", uniqueKey, strategy) + ")";
        }
        String added = "select " + String.join(", ", change.stagedExpressions(engine, mode)) + " from " + staged;
        return kept + "\nunion all\n" + added;
    }

    /** The statements that apply staged rows to the live table. */
    static List<String> apply(Engine engine, Relation relation, String stagingSql, List<String> columns, List<String> uniqueKey, Strategy strategy) {
        String target = engine.render(relation);
        String columnList = String.join(", ", columns.stream().map(engine::quote).toList());
        String insert = "insert into " + target + " (" + columnList + ") select " + columnList + " from " + stagingSql;
        List<String> statements = new ArrayList<>();
        switch (strategy) {
            case MERGE -> {
                List<String> on = new ArrayList<>();
                uniqueKey.forEach(key -> on.add("target." + engine.quote(key) + " = fresh." + engine.quote(key)));
                List<String> set = new ArrayList<>();
                for (String column : columns) {
                    if (uniqueKey.stream().noneMatch(key -> key.equalsIgnoreCase(column))) {
                        set.add(engine.quote(column) + " = fresh." + engine.quote(column));
                    }
                }
                String values = String.join(", ", columns.stream().map(column -> "fresh." + engine.quote(column)).toList());
                statements.add("merge into " + target + " as target using " + stagingSql + " as fresh on (" + String.join(" and ", on) + ")"
                        + (set.isEmpty() ? "" : " when matched then update set " + String.join(", ", set))
                        + " when not matched then insert (" + columnList + ") values (" + values + ")");
            }
            case DELETE_INSERT, INSERT_OVERWRITE -> {
                statements.add("delete from " + target + " where exists (select 1 from " + stagingSql + " as fresh where "
                        + matching(engine, "fresh", target, uniqueKey, strategy) + ")");
                statements.add(insert);
            }
            default -> statements.add(insert);
        }
        return statements;
    }

    /**
     * The rows of {@code right} an increment replaces, matched on {@code columns}: by equal keys, or for insert_overwrite by
     * equal partition values, a NULL partition being a partition too.
     */
    private static String matching(Engine engine, String left, String right, List<String> columns, Strategy strategy) {
        String operator = strategy == Strategy.INSERT_OVERWRITE ? " is not distinct from " : " = ";
        List<String> terms = new ArrayList<>();
        columns.forEach(column -> terms.add(left + "." + engine.quote(column) + operator + right + "." + engine.quote(column)));
        return String.join(" and ", terms);
    }

    /** A unique_key (and an insert_overwrite's partition_by) must name columns of the model's result. */
    static void checkUniqueKey(EngineSession session, Relation staged, Node node, IncrementalConfig config) throws SQLException {
        if (config.uniqueKey().isEmpty() && config.strategy() != Strategy.INSERT_OVERWRITE) {
            return;
        }
        List<String> columns = SchemaChange.columns(session, staged).stream().map(SchemaChange.Column::name).toList();
        for (String key : config.partitionBy()) {
            if (config.strategy() == Strategy.INSERT_OVERWRITE && columns.stream().noneMatch(column -> column.equalsIgnoreCase(key))) {
                throw new BatonException(ErrorCode.UNKNOWN_PARTITION_COLUMN, "partition_by '" + key + "' is not a column of incremental model "
                        + node.relation().orElseThrow() + " (its columns: " + String.join(", ", columns) + ")"
                        + Suggestions.didYouMeanOr(key.toLowerCase(Locale.ROOT), columns, "name a column the model selects"),
                        config.location("partition_by", node.location()));
            }
        }
        for (String key : config.uniqueKey()) {
            if (columns.stream().noneMatch(column -> column.equalsIgnoreCase(key))) {
                throw new BatonException(ErrorCode.UNKNOWN_UNIQUE_KEY, "unique_key '" + key + "' is not a column of incremental model "
                        + node.relation().orElseThrow() + " (its columns: " + String.join(", ", columns) + ")"
                        + Suggestions.didYouMeanOr(key.toLowerCase(Locale.ROOT), columns, "name a column the model selects"),
                        config.location("unique_key", node.location()));
            }
        }
    }

    static NodeOutcome rejected(String kept, long rows, long failed) {
        String message = kept + "; " + failed + " check" + (failed == 1 ? "" : "s") + " failed";
        return new NodeOutcome(message, rows >= 0 ? OptionalLong.of(rows) : OptionalLong.empty(), OptionalLong.of(failed), false, true);
    }

    static void dropQuietly(EngineSession session, String statement) {
        try {
            session.execute(statement);
        } catch (SQLException | RuntimeException ignored) {
            // The janitor removes what is left; the original outcome matters more.
        }
    }
}
