package dev.baton.check;

import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Up to {@value CheckOutcome#SAMPLE_ROWS} rows that fail a check, asked for only once the check has
 * failed or warned, with the values of PII columns masked.
 */
final class FailingRows {
    /** Marks sample queries, so they can be told from the audit's scans. */
    static final String MARKER = "-- failing-row sample\n";
    static final String MASK = "***";

    private FailingRows() {}

    /** The query for a sample, or empty for checks of the whole relation (row_count, not_empty, recency). */
    static Optional<String> sql(CheckSpec check, String relation, String liveRelation) {
        return rows(check, relation, liveRelation).map(sql -> MARKER + sql + "\nlimit " + CheckOutcome.SAMPLE_ROWS);
    }

    /** The query returning every failing row, or empty for checks of the whole relation. */
    static Optional<String> rows(CheckSpec check, String relation, String liveRelation) {
        String where = check.where().map(condition -> "(" + condition + ") and ").orElse("");
        Optional<String> rowFails = CheckSql.rowFails(check.kind(), check.column(), check.arguments());
        String body;
        if (rowFails.isPresent()) {
            body = "select * from " + relation + " where " + where + "(" + rowFails.get() + ")";
        } else {
            body = switch (check.kind()) {
                case "unique" -> {
                    String column = check.column().orElseThrow();
                    yield "select * from " + relation + " where " + where + column + " in (select " + column + " from " + relation + " where " + where
                            + column + " is not null group by " + column + " having count(*) > 1) order by " + column;
                }
                case "unique_combination_of_columns" -> {
                    String columns = String.join(", ", CheckSql.combination(check.arguments()));
                    yield "select " + columns + ", count(*) as n_records from " + relation + (where.isEmpty() ? "" : " where " + check.where().get())
                            + " group by " + columns + " having count(*) > 1";
                }
                case "relationships" -> "select child.* from " + relation + " as child where " + where + "child." + check.column().orElseThrow()
                        + " is not null and not exists (select 1 from " + check.parentRelation().orElseThrow() + " as parent where parent."
                        + check.arguments().get("field") + " = child." + check.column().orElseThrow() + ")";
                case "singular" -> "select * from (\n" + check.sql().replace(liveRelation, relation) + "\n) dbt_internal_test";
                default -> check.custom() ? "select * from (\n" + check.sql().replace(liveRelation, relation) + "\n) dbt_internal_test" : null;
            };
        }
        return Optional.ofNullable(body);
    }

    static List<String> fetch(EngineSession session, String sql, CheckSpec check) throws SQLException {
        QueryResult result = session.query(sql, CheckOutcome.SAMPLE_ROWS);
        List<String> rows = new ArrayList<>();
        for (List<String> row : result.rows()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < result.columns().size(); i++) {
                String column = result.columns().get(i);
                String value = check.piiColumns().contains(column.toLowerCase(Locale.ROOT)) ? MASK : row.get(i) == null ? "null" : row.get(i);
                cells.add(column + "=" + value);
            }
            rows.add("{" + String.join(", ", cells) + "}");
        }
        return rows;
    }
}
