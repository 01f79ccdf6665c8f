package dev.baton.snapshot;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import dev.baton.materialization.NodeExecution;
import dev.baton.materialization.NodeOutcome;
import dev.baton.materialization.Publisher;
import dev.baton.project.Node;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes a snapshot's next version beside the live table and swaps it in (see {@link SnapshotSql}):
 * the first run copies the query with dbt's validity columns, later runs close changed and
 * deleted rows and add their new versions.
 */
final class SnapshotMaterialization implements NodeExecution {
    private static final DateTimeFormatter LITERAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

    private final Clock clock;

    SnapshotMaterialization(Clock clock) {
        this.clock = clock;
    }

    @Override
    public NodeOutcome execute(Engine engine, EngineSession session, Node node) throws SQLException {
        Relation relation = node.relation().orElseThrow();
        SnapshotSettings settings = SnapshotSettings.of(node.name(), node.config().other(), key -> node.location());
        List<String> columns = session.query("select * from (\n" + node.compiledSql() + "\n) as source_data limit 0", 0).columns();
        requireColumns(node, settings, columns);
        String now = "timestamp '" + LITERAL.format(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)) + "'";
        SnapshotSql sql = new SnapshotSql(settings, engine::quote, node.compiledSql(), columns, now);
        Optional<RelationType> existing = session.relationType(relation);
        if (existing.isPresent() && existing.get() != RelationType.TABLE) {
            throw new BatonException(ErrorCode.SNAPSHOT_CONFIG_INVALID, "snapshot '" + node.name() + "' would write to " + relation + ", which is a "
                    + existing.get().name().toLowerCase(Locale.ROOT) + "; drop it or give the snapshot another alias or target_schema", node.location());
        }
        String query = existing.isEmpty() ? sql.first()
                : sql.next(engine.render(relation), session.query("select * from " + engine.render(relation) + " limit 0", 0).columns());
        long rows = Publisher.publishTable(engine, session, relation, "select * from (\n" + query + "\n) as snapshot_version");
        return NodeOutcome.built((existing.isEmpty() ? "created snapshot " : "snapshotted ") + relation, rows);
    }

    /** Every key, check and timestamp column must be a column of the query: the engine's message would not say which option is wrong. */
    private static void requireColumns(Node node, SnapshotSettings settings, List<String> columns) {
        List<String> missing = new ArrayList<>();
        settings.uniqueKey().stream().filter(key -> !contains(columns, key)).forEach(key -> missing.add("unique_key column '" + key + "'"));
        settings.checkColumns().stream().filter(column -> !contains(columns, column)).forEach(column -> missing.add("check_cols column '" + column + "'"));
        if (!missing.isEmpty()) {
            throw new BatonException(ErrorCode.SNAPSHOT_CONFIG_INVALID, "snapshot '" + node.name() + "': " + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not a column of its query (" + String.join(", ", columns)
                    + "); fix the config or the query", node.location());
        }
    }

    private static boolean contains(List<String> columns, String name) {
        return columns.stream().anyMatch(column -> column.equalsIgnoreCase(name));
    }
}
