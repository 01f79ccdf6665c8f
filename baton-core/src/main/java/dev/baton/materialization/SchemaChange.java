package dev.baton.materialization;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.Relation;
import dev.baton.project.IncrementalConfig.OnSchemaChange;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the columns of new rows differ from the live table's, and what {@code on_schema_change}
 * makes of it: the DDL to run in the publishing transaction and the columns the table ends with.
 */
final class SchemaChange {
    record Column(String name, String type) {
        String key() {
            return name.toLowerCase(Locale.ROOT);
        }
    }

    private final List<Column> live;
    private final List<Column> staged;
    private final List<Column> added = new ArrayList<>();
    private final List<Column> removed = new ArrayList<>();
    private final List<Column> retyped = new ArrayList<>();

    private SchemaChange(List<Column> live, List<Column> staged) {
        this.live = live;
        this.staged = staged;
        Map<String, Column> liveByKey = byKey(live);
        Map<String, Column> stagedByKey = byKey(staged);
        for (Column column : staged) {
            Column old = liveByKey.get(column.key());
            if (old == null) {
                added.add(column);
            } else if (!old.type().equalsIgnoreCase(column.type())) {
                retyped.add(column);
            }
        }
        for (Column column : live) {
            if (!stagedByKey.containsKey(column.key())) {
                removed.add(column);
            }
        }
    }

    static SchemaChange between(EngineSession session, Relation live, Relation staged) throws SQLException {
        return new SchemaChange(columns(session, live), columns(session, staged));
    }

    /** The columns of a table, in order. */
    static List<Column> columns(EngineSession session, Relation relation) throws SQLException {
        List<Column> columns = new ArrayList<>();
        for (List<String> row : session.query("select column_name, data_type from information_schema.columns where table_schema = "
                + literal(relation.schema()) + " and table_name = " + literal(relation.identifier()) + " order by ordinal_position", Integer.MAX_VALUE).rows()) {
            columns.add(new Column(row.get(0), row.get(1)));
        }
        return columns;
    }

    boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && retyped.isEmpty();
    }

    /** The changes for people: {@code new column note VARCHAR; missing column name; column amount INTEGER -> DOUBLE}. */
    String describe() {
        Map<String, Column> liveByKey = byKey(live);
        List<String> parts = new ArrayList<>();
        added.forEach(column -> parts.add("new column " + column.name() + " " + column.type()));
        removed.forEach(column -> parts.add("missing column " + column.name()));
        retyped.forEach(column -> parts.add("column " + column.name() + " " + liveByKey.get(column.key()).type() + " -> " + column.type()));
        return String.join("; ", parts);
    }

    /** Refuses any change under {@code fail}. */
    void check(OnSchemaChange mode, String relation, SourceLocation at) {
        if (mode == OnSchemaChange.FAIL && !isEmpty()) {
            throw new BatonException(ErrorCode.SCHEMA_CHANGE_REFUSED, "the columns of incremental model " + relation + " changed (" + describe()
                    + ") and on_schema_change is 'fail'; set on_schema_change to append_new_columns or sync_all_columns, or rebuild it with --full-refresh", at);
        }
    }

    /** The columns the table has after the change, in its order. */
    List<Column> finalColumns(OnSchemaChange mode) {
        List<Column> result = new ArrayList<>();
        switch (mode) {
            case APPEND_NEW_COLUMNS -> {
                result.addAll(live);
                result.addAll(added);
            }
            case SYNC_ALL_COLUMNS -> {
                Map<String, Column> stagedByKey = byKey(staged);
                for (Column column : live) {
                    if (stagedByKey.containsKey(column.key())) {
                        result.add(stagedByKey.get(column.key()));
                    }
                }
                result.addAll(added);
            }
            default -> result.addAll(live);
        }
        return result;
    }

    /** The statements that give the live table its new columns. */
    List<String> ddl(Engine engine, Relation relation, OnSchemaChange mode) {
        List<String> statements = new ArrayList<>();
        String table = engine.render(relation);
        if (mode == OnSchemaChange.APPEND_NEW_COLUMNS || mode == OnSchemaChange.SYNC_ALL_COLUMNS) {
            added.forEach(column -> statements.add("alter table " + table + " add column " + engine.quote(column.name()) + " " + column.type()));
        }
        if (mode == OnSchemaChange.SYNC_ALL_COLUMNS) {
            removed.forEach(column -> statements.add("alter table " + table + " drop column " + engine.quote(column.name())));
            retyped.forEach(column -> statements.add("alter table " + table + " alter column " + engine.quote(column.name()) + " set data type "
                    + column.type()));
        }
        return statements;
    }

    /** Of the final columns, those the new rows have (the others stay NULL in new rows). */
    List<String> insertedColumns(OnSchemaChange mode) {
        Map<String, Column> stagedByKey = byKey(staged);
        List<String> names = new ArrayList<>();
        for (Column column : finalColumns(mode)) {
            if (stagedByKey.containsKey(column.key())) {
                names.add(column.name());
            }
        }
        return names;
    }

    /** For the audit view: each final column as the live table gives it (NULL when it is new). */
    List<String> liveExpressions(Engine engine, OnSchemaChange mode) {
        Map<String, Column> liveByKey = byKey(live);
        List<String> expressions = new ArrayList<>();
        for (Column column : finalColumns(mode)) {
            Column old = liveByKey.get(column.key());
            String name = engine.quote(column.name());
            expressions.add(old == null ? "cast(null as " + column.type() + ") as " + name
                    : old.type().equalsIgnoreCase(column.type()) ? name : "cast(" + engine.quote(old.name()) + " as " + column.type() + ") as " + name);
        }
        return expressions;
    }

    /** For the audit view: each final column as the new rows give it (NULL when they lack it). */
    List<String> stagedExpressions(Engine engine, OnSchemaChange mode) {
        Map<String, Column> stagedByKey = byKey(staged);
        List<String> expressions = new ArrayList<>();
        for (Column column : finalColumns(mode)) {
            Column fresh = stagedByKey.get(column.key());
            String name = engine.quote(column.name());
            expressions.add(fresh == null ? "cast(null as " + column.type() + ") as " + name : "cast(" + engine.quote(fresh.name()) + " as " + column.type() + ") as " + name);
        }
        return expressions;
    }

    List<Column> staged() {
        return staged;
    }

    private static Map<String, Column> byKey(List<Column> columns) {
        Map<String, Column> map = new LinkedHashMap<>();
        columns.forEach(column -> map.put(column.key(), column));
        return map;
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
