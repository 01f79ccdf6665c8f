package dev.baton.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SQL for the checks Baton adds to dbt's four: the query returning failing rows (what {@code
 * baton test} runs, one query per check) and the condition a row fails (what a fused audit counts).
 */
public final class CheckSql {
    /** The generic checks Baton knows; any other generic check is a project's {@code {% test %}}. */
    public static final List<String> BUILT_IN = List.of("unique", "not_null", "accepted_values", "relationships", "expression_is_true",
            "accepted_range", "row_count", "not_empty", "unique_combination_of_columns", "recency", "volume_anomaly", "column_anomaly", "freshness_anomaly");
    private CheckSql() {}

    /** The failing-rows query of a check over {@code model} (a relation or a parenthesized, aliased subquery). */
    public static String failingRows(String testName, Optional<String> column, Map<String, Object> arguments, String model) {
        return switch (testName) {
            case "expression_is_true", "accepted_range" -> "select *\nfrom " + model + "\nwhere " + rowFails(testName, column, arguments).orElseThrow();
            case "row_count" -> "select row_count from (select count(*) as row_count from " + model + ") counted\nwhere not ("
                    + rangeCondition("row_count", arguments, true) + ")";
            case "not_empty" -> "select row_count from (select count(*) as row_count from " + model + ") counted\nwhere row_count = 0";
            case "unique_combination_of_columns" -> {
                String columns = String.join(", ", combination(arguments));
                yield "select " + columns + ", count(*) as n_records\nfrom " + model + "\ngroup by " + columns + "\nhaving count(*) > 1";
            }
            case "recency" -> "select most_recent from (select max(" + arguments.get("field") + ") as most_recent from " + model
                    + ") latest\nwhere not (" + recent("most_recent", arguments) + ")";
            // Anomaly checks are judged against the metric history by a build's audit; a plain test has no history to judge by.
            case "volume_anomaly", "column_anomaly", "freshness_anomaly" -> "select 1 as anomaly from " + model + " where false";
            default -> throw new IllegalStateException("not a built-in check: " + testName);
        };
    }

    /** For checks decided row by row: the condition under which one row fails. */
    public static Optional<String> rowFails(String testName, Optional<String> column, Map<String, Object> arguments) {
        return switch (testName) {
            case "not_null" -> Optional.of(column.orElseThrow() + " is null");
            case "expression_is_true" -> Optional.of("not (" + column.map(c -> c + " ").orElse("") + arguments.get("expression") + ")");
            case "accepted_range" -> Optional.of("not (" + rangeCondition(column.orElseThrow(), arguments,
                    !Boolean.FALSE.equals(arguments.get("inclusive"))) + ")");
            case "accepted_values" -> Optional.of(column.orElseThrow() + " not in (" + String.join(", ", acceptedValues(arguments)) + ")");
            default -> Optional.empty();
        };
    }

    static String rangeCondition(String expression, Map<String, Object> arguments, boolean inclusive) {
        List<String> parts = new ArrayList<>();
        if (arguments.get("min_value") != null) {
            parts.add(expression + (inclusive ? " >= " : " > ") + arguments.get("min_value"));
        }
        if (arguments.get("max_value") != null) {
            parts.add(expression + (inclusive ? " <= " : " < ") + arguments.get("max_value"));
        }
        return String.join(" and ", parts);
    }

    static String recent(String expression, Map<String, Object> arguments) {
        return expression + " >= current_timestamp - interval '" + Long.parseLong(String.valueOf(arguments.get("interval")).trim()) + " "
                + arguments.get("datepart") + "'";
    }

    static List<String> combination(Map<String, Object> arguments) {
        List<String> columns = new ArrayList<>();
        for (Object column : (List<?>) arguments.get("combination_of_columns")) {
            columns.add(String.valueOf(column));
        }
        return columns;
    }

    static List<String> acceptedValues(Map<String, Object> arguments) {
        boolean quote = !Boolean.FALSE.equals(arguments.get("quote"));
        List<String> values = new ArrayList<>();
        for (Object value : (List<?>) arguments.get("values")) {
            values.add(quote ? "'" + String.valueOf(value).replace("'", "''") + "'" : String.valueOf(value));
        }
        return values;
    }
}
