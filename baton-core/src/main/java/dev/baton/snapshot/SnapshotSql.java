package dev.baton.snapshot;

import static java.util.Objects.requireNonNull;

import dev.baton.snapshot.SnapshotSettings.HardDeletes;
import dev.baton.snapshot.SnapshotSettings.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The query that computes a snapshot's next version from its current version and its source
 * query, in dbt's shape: every column of the query plus {@code dbt_scd_id}, {@code dbt_updated_at},
 * {@code dbt_valid_from}, {@code dbt_valid_to} and, for {@code hard_deletes: new_record},
 * {@code dbt_is_deleted} ({@code 'True'}/{@code 'False'}, as dbt writes it).
 *
 * <p>The whole next version is one query, written beside the live table and swapped in, so a
 * reader (or a process that dies half-way) sees the previous snapshot or the next one, never a
 * partly updated one. Columns the query gains later are added (earlier rows hold NULL). The query
 * is portable SQL: every branch of its union names its columns, so it runs on DuckDB and PostgreSQL.
 */
final class SnapshotSql {
    static final String VALID_FROM = "dbt_valid_from";
    static final String VALID_TO = "dbt_valid_to";
    static final String SCD_ID = "dbt_scd_id";
    static final String UPDATED_AT = "dbt_updated_at";
    static final String IS_DELETED = "dbt_is_deleted";
    private static final String CHANGE_TIME = "__baton_change_time";
    private static final String CLOSED_ID = "__baton_closed_id";
    private static final String CLOSED_AT = "__baton_closed_at";

    private final SnapshotSettings settings;
    private final UnaryOperator<String> quote;
    private final String sourceSql;
    private final List<String> sourceColumns;
    private final String now;

    /**
     * @param sourceSql the snapshot's compiled query
     * @param sourceColumns the query's columns, in order
     * @param now the time of this snapshot as a SQL literal
     */
    SnapshotSql(SnapshotSettings settings, UnaryOperator<String> quote, String sourceSql, List<String> sourceColumns, String now) {
        this.settings = requireNonNull(settings, "settings is null");
        this.quote = requireNonNull(quote, "quote is null");
        this.sourceSql = requireNonNull(sourceSql, "sourceSql is null");
        this.sourceColumns = List.copyOf(sourceColumns);
        this.now = requireNonNull(now, "now is null");
    }

    /** The first version: every row of the query, current since its change time. */
    String first() {
        return "with " + sourceCte() + "\nselect " + newRow("s") + " from src s";
    }

    /**
     * The next version, from the live table {@code current} whose columns are {@code currentColumns}. Every branch of the
     * union lists the same columns in the same order: the live table's, then those the query gained. A column one side
     * lacks is a NULL of the other side's type ({@code (select x from t where false)}), so the union's types agree on
     * every engine.
     */
    String next(String current, List<String> currentColumns) {
        List<String> columns = allColumns(currentColumns);
        List<String> ctes = new ArrayList<>();
        ctes.add(sourceCte());
        ctes.add("cur as (select * from " + current + " where " + q(VALID_TO) + " is null)");
        ctes.add("changes as (select c." + q(SCD_ID) + " as " + q(CLOSED_ID) + ", s." + q(CHANGE_TIME) + " as " + q(CLOSED_AT) + keysOf("s")
                + " from cur c join src s on " + keysMatch("c", "s") + " where " + changed("c", "s") + ")");
        boolean tracksDeletes = settings.hardDeletes() != HardDeletes.IGNORE;
        if (tracksDeletes) {
            ctes.add("deletions as (select c.* from cur c where " + notMarker("c") + " and not exists (select 1 from src s where "
                    + keysMatch("c", "s") + "))");
        }
        StringBuilder sql = new StringBuilder("with ").append(String.join(",\n", ctes)).append('\n');
        sql.append("select ").append(kept("h", currentColumns, column -> null)).append(" from ").append(current).append(" h where ")
                .append(q(VALID_TO)).append(" is not null\n");
        String closedByDeletion = tracksDeletes ? ", case when d." + q(SCD_ID) + " is not null then " + now + " end" : "";
        String closedAt = "coalesce(ch." + q(CLOSED_AT) + closedByDeletion + ", c." + q(VALID_TO) + ")";
        sql.append("union all\nselect ").append(kept("c", currentColumns, column -> column.equalsIgnoreCase(VALID_TO) ? closedAt : null))
                .append(" from cur c left join changes ch on ch.").append(q(CLOSED_ID)).append(" = c.").append(q(SCD_ID));
        if (tracksDeletes) {
            sql.append(" left join deletions d on d.").append(q(SCD_ID)).append(" = c.").append(q(SCD_ID));
        }
        sql.append('\n');
        sql.append("union all\nselect ").append(newRow("s", columns)).append(" from src s where not exists (select 1 from cur c where ")
                .append(keysMatch("c", "s")).append(")\n");
        sql.append("union all\nselect ").append(newRow("s", columns)).append(" from src s join changes ch on ").append(keysMatch("ch", "s"));
        if (settings.hardDeletes() == HardDeletes.NEW_RECORD) {
            Map<String, String> replaced = Map.of(SCD_ID, scdId("d", now), UPDATED_AT, now, VALID_FROM, now, VALID_TO, "nullif(" + now + ", " + now + ")",
                    IS_DELETED, "'True'");
            sql.append("\nunion all\nselect ").append(kept("d", currentColumns, column -> replaced.get(column.toLowerCase(Locale.ROOT))))
                    .append(" from deletions d");
        }
        return sql.toString();
    }

    /** The live table's columns, then those the query gained (and {@code dbt_is_deleted} when deletions become records). */
    private List<String> allColumns(List<String> currentColumns) {
        List<String> columns = new ArrayList<>(currentColumns);
        for (String column : sourceColumns) {
            if (!contains(columns, column)) {
                columns.add(column);
            }
        }
        if (settings.hardDeletes() == HardDeletes.NEW_RECORD && !contains(columns, IS_DELETED)) {
            columns.add(IS_DELETED);
        }
        return columns;
    }

    /**
     * The next version's columns for a row of the live table {@code alias}: the expression {@code replacement} gives,
     * else its own value, else (a column the live table lacks) a NULL of the query's type.
     */
    private String kept(String alias, List<String> currentColumns, Function<String, String> replacement) {
        List<String> values = new ArrayList<>();
        for (String column : allColumns(currentColumns)) {
            String replaced = replacement.apply(column);
            if (replaced != null) {
                values.add(replaced + " as " + q(column));
            } else if (contains(currentColumns, column)) {
                values.add(alias + "." + q(column));
            } else if (column.equalsIgnoreCase(IS_DELETED)) {
                values.add("'False' as " + q(column));
            } else {
                values.add("(select n." + q(column) + " from src n where false) as " + q(column));
            }
        }
        return String.join(", ", values);
    }

    private String sourceCte() {
        String changeTime = settings.updatedAt().map(expression -> "(" + expression + ")").orElse(now);
        return "src as (select *, " + changeTime + " as " + q(CHANGE_TIME) + " from (\n" + sourceSql + "\n) as source_data)";
    }

    /** The first version's columns for each row of the source {@code alias}. */
    private String newRow(String alias) {
        List<String> columns = new ArrayList<>(sourceColumns);
        columns.addAll(List.of(SCD_ID, UPDATED_AT, VALID_FROM, VALID_TO));
        if (settings.hardDeletes() == HardDeletes.NEW_RECORD) {
            columns.add(IS_DELETED);
        }
        return newRow(alias, columns);
    }

    /** A new current version of each row of the source {@code alias}, in {@code columns}; a column the query lacks is a NULL of the live table's type. */
    private String newRow(String alias, List<String> columns) {
        String time = alias + "." + q(CHANGE_TIME);
        List<String> values = new ArrayList<>();
        for (String column : columns) {
            String value;
            switch (column.toLowerCase(Locale.ROOT)) {
                case SCD_ID -> value = scdId(alias, time);
                case UPDATED_AT, VALID_FROM -> value = time;
                case VALID_TO -> value = "nullif(" + time + ", " + time + ")";
                case IS_DELETED -> value = settings.hardDeletes() == HardDeletes.NEW_RECORD ? "'False'" : "(select n." + q(column) + " from cur n where false)";
                default -> value = sourceColumns.stream().filter(column::equalsIgnoreCase).findFirst().map(name -> alias + "." + q(name))
                        .orElse("(select n." + q(column) + " from cur n where false)");
            }
            values.add(value + " as " + q(column));
        }
        return String.join(", ", values);
    }

    private static boolean contains(List<String> columns, String name) {
        return columns.stream().anyMatch(name::equalsIgnoreCase);
    }

    /** dbt's scd id: md5 of the key columns and the change time, joined by {@code |}. */
    private String scdId(String alias, String time) {
        List<String> parts = new ArrayList<>();
        for (String key : settings.uniqueKey()) {
            parts.add("coalesce(cast(" + alias + "." + q(key) + " as varchar(65535)), '')");
        }
        parts.add("coalesce(cast(" + time + " as varchar(65535)), '')");
        return "md5(" + String.join(" || '|' || ", parts) + ")";
    }

    private String keysOf(String alias) {
        StringBuilder keys = new StringBuilder();
        for (String key : settings.uniqueKey()) {
            keys.append(", ").append(alias).append('.').append(q(key));
        }
        return keys.toString();
    }

    private String keysMatch(String left, String right) {
        List<String> terms = new ArrayList<>();
        for (String key : settings.uniqueKey()) {
            terms.add(left + "." + q(key) + " = " + right + "." + q(key));
        }
        return String.join(" and ", terms);
    }

    private String changed(String current, String source) {
        List<String> terms = new ArrayList<>();
        if (settings.strategy() == Strategy.TIMESTAMP) {
            terms.add(current + "." + q(VALID_FROM) + " < " + source + "." + q(CHANGE_TIME));
        } else {
            for (String column : checkedColumns()) {
                terms.add(source + "." + q(column) + " is distinct from " + current + "." + q(column));
            }
        }
        if (settings.hardDeletes() == HardDeletes.NEW_RECORD) {
            // A row that comes back after its deletion was recorded starts a new version.
            terms.add(current + "." + q(IS_DELETED) + " = 'True'");
        }
        return terms.isEmpty() ? "false" : "(" + String.join(" or ", terms) + ")";
    }

    private String notMarker(String alias) {
        return settings.hardDeletes() == HardDeletes.NEW_RECORD ? alias + "." + q(IS_DELETED) + " is distinct from 'True'" : "true";
    }

    /** The columns {@code check} compares: {@code check_cols}, or for {@code all} every column of the query but the key. */
    List<String> checkedColumns() {
        if (!settings.checkAll()) {
            return settings.checkColumns();
        }
        List<String> columns = new ArrayList<>();
        for (String column : sourceColumns) {
            if (settings.uniqueKey().stream().noneMatch(column::equalsIgnoreCase)) {
                columns.add(column);
            }
        }
        return columns;
    }

    private String q(String identifier) {
        return quote.apply(identifier);
    }
}
