package dev.baton.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles the checks of one relation into as few scans as possible: one aggregate query for every
 * check decided row by row or over the whole relation (and the metrics that scan computes anyway),
 * one grouped query per column set for uniqueness, one anti-join per relationship (dbt's left join), and one query
 * for each check that cannot fuse (singular SQL).
 */
public final class FusedAudit {
    private FusedAudit() {}

    /**
     * @param relation the relation to audit, as SQL text (the staged relation during a build)
     * @param liveRelation the relation that compiled SQL names, replaced by {@code relation} in singular checks
     */
    public static List<AuditQuery> compile(String relation, String liveRelation, List<CheckSpec> checks) {
        List<AuditQuery> queries = new ArrayList<>();
        aggregate(relation, checks).ifPresent(queries::add);
        Map<String, List<CheckSpec>> groupings = new LinkedHashMap<>();
        for (CheckSpec check : checks) {
            if (check.kind().equals("unique") || check.kind().equals("unique_combination_of_columns")) {
                List<String> columns = check.kind().equals("unique") ? List.of(check.column().orElseThrow()) : CheckSql.combination(check.arguments());
                String key = check.kind().equals("unique") + "|" + columns + "|" + check.where().orElse("");
                groupings.computeIfAbsent(key, k -> new ArrayList<>()).add(check);
            }
        }
        for (List<CheckSpec> group : groupings.values()) {
            queries.add(unique(relation, group));
        }
        for (CheckSpec check : checks) {
            if (check.kind().equals("relationships")) {
                queries.add(relationship(relation, check));
            } else if (!fusable(check.kind()) && !Anomalies.is(check) && !check.kind().equals("unique")
                    && !check.kind().equals("unique_combination_of_columns")) {
                String sql = check.sql().replace(liveRelation, relation);
                queries.add(new AuditQuery("single", "select count(*) from (\n" + sql + "\n) dbt_internal_test", List.of(AuditQuery.Output.failures(check.testId()))));
            }
        }
        return queries;
    }

    /** Whether a check's failure count is one expression of the aggregate scan. */
    static boolean fusable(String kind) {
        return switch (kind) {
            case "not_null", "accepted_values", "expression_is_true", "accepted_range", "row_count", "not_empty", "recency" -> true;
            default -> false;
        };
    }

    private static Optional<AuditQuery> aggregate(String relation, List<CheckSpec> checks) {
        List<String> expressions = new ArrayList<>();
        List<AuditQuery.Output> outputs = new ArrayList<>();
        for (CheckSpec check : checks) {
            if (!fusable(check.kind())) {
                continue;
            }
            expressions.add(failureCount(check));
            outputs.add(AuditQuery.Output.failures(check.testId()));
        }
        if (expressions.isEmpty() && checks.stream().noneMatch(Anomalies::is)) {
            return Optional.empty();
        }
        Set<String> columns = new LinkedHashSet<>();
        Set<String> ranged = new LinkedHashSet<>();
        Set<String> distinct = new LinkedHashSet<>();
        Set<String> means = new LinkedHashSet<>();
        Set<String> freshness = new LinkedHashSet<>();
        Set<String> groupedAlone = new LinkedHashSet<>();
        for (CheckSpec check : checks) {
            if (check.kind().equals("unique") && check.where().isEmpty()) {
                groupedAlone.add(check.column().orElseThrow());
            }
        }
        for (CheckSpec check : checks) {
            if (check.kind().equals("freshness_anomaly")) {
                freshness.addAll(check.checkedColumns());
                continue;
            }
            columns.addAll(check.checkedColumns());
            if (check.kind().equals("accepted_range") || check.kind().equals("recency") || check.kind().equals("expression_is_true")) {
                ranged.addAll(check.checkedColumns());
            }
            if (check.kind().equals("column_anomaly")) {
                switch (String.valueOf(check.arguments().get("metric"))) {
                    case "min", "max" -> ranged.addAll(check.checkedColumns());
                    case "mean" -> means.addAll(check.checkedColumns());
                    case "distinct_count" -> check.checkedColumns().stream().filter(column -> !groupedAlone.contains(column)).forEach(distinct::add);
                    default -> {
                    }
                }
            }
        }
        expressions.add("count(*)");
        outputs.add(AuditQuery.Output.metric("", "row_count"));
        for (String column : columns) {
            expressions.add("count(*) - count(" + column + ")");
            outputs.add(AuditQuery.Output.metric(column, "null_count"));
            if (ranged.contains(column)) {
                // Minimum and maximum only where a check bounds the values: on wide text columns they cost more than the checks.
                expressions.add("cast(min(" + column + ") as varchar)");
                outputs.add(AuditQuery.Output.metric(column, "min"));
                expressions.add("cast(max(" + column + ") as varchar)");
                outputs.add(AuditQuery.Output.metric(column, "max"));
            }
        }
        for (String column : distinct) {
            expressions.add("count(distinct " + column + ")");
            outputs.add(AuditQuery.Output.metric(column, "distinct_count"));
        }
        for (String column : means) {
            expressions.add("avg(" + column + ")");
            outputs.add(AuditQuery.Output.metric(column, "mean"));
        }
        for (String column : freshness) {
            expressions.add("epoch(current_timestamp) - epoch(max(" + column + "))");
            outputs.add(AuditQuery.Output.metric(column, "freshness_seconds"));
        }
        return Optional.of(new AuditQuery("aggregate", "select\n    " + String.join(",\n    ", expressions) + "\nfrom " + relation, outputs));
    }

    private static String failureCount(CheckSpec check) {
        String where = check.where().map(condition -> "(" + condition + ")").orElse("");
        String filtered = where.isEmpty() ? "" : " filter (where " + where + ")";
        return switch (check.kind()) {
            case "accepted_values" -> "count(distinct " + check.column().orElseThrow() + ") filter (where " + (where.isEmpty() ? "" : where + " and ")
                    + CheckSql.rowFails(check.kind(), check.column(), check.arguments()).orElseThrow() + ")";
            case "row_count" -> "case when " + CheckSql.rangeCondition("count(*)" + filtered, check.arguments(), true) + " then 0 else 1 end";
            case "not_empty" -> "case when count(*)" + filtered + " = 0 then 1 else 0 end";
            case "recency" -> "case when " + CheckSql.recent("max(" + check.arguments().get("field") + ")" + filtered, check.arguments())
                    + " then 0 else 1 end";
            // Counting non-null values lets an engine answer from its column statistics without reading the rows.
            case "not_null" -> where.isEmpty() ? "count(*) - count(" + check.column().orElseThrow() + ")"
                    : "count(*) filter (where " + where + " and " + check.column().orElseThrow() + " is null)";
            default -> "count(*) filter (where " + (where.isEmpty() ? "" : where + " and ")
                    + "(" + CheckSql.rowFails(check.kind(), check.column(), check.arguments()).orElseThrow() + "))";
        };
    }

    private static AuditQuery unique(String relation, List<CheckSpec> group) {
        CheckSpec first = group.get(0);
        boolean single = first.kind().equals("unique");
        List<String> columns = single ? List.of(first.column().orElseThrow()) : CheckSql.combination(first.arguments());
        List<String> conditions = new ArrayList<>();
        first.where().ifPresent(where -> conditions.add("(" + where + ")"));
        if (single) {
            conditions.add(columns.get(0) + " is not null");
        }
        String keys = String.join(", ", columns);
        List<String> expressions = new ArrayList<>();
        List<AuditQuery.Output> outputs = new ArrayList<>();
        for (CheckSpec check : group) {
            expressions.add("count(*) filter (where n_records > 1)");
            outputs.add(AuditQuery.Output.failures(check.testId()));
        }
        expressions.add("count(*)");
        outputs.add(AuditQuery.Output.metric(keys, "distinct_count"));
        String sql = "select " + String.join(", ", expressions) + "\nfrom (\n    select " + keys + ", count(*) as n_records\n    from " + relation
                + (conditions.isEmpty() ? "" : "\n    where " + String.join(" and ", conditions)) + "\n    group by " + keys + "\n) grouped";
        return new AuditQuery("unique (" + keys + ")", sql, outputs);
    }

    private static AuditQuery relationship(String relation, CheckSpec check) {
        String column = check.column().orElseThrow();
        String field = String.valueOf(check.arguments().get("field"));
        String sql = "select count(*)\nfrom (select " + column + " as from_field from " + relation + " where " + column + " is not null"
                + check.where().map(where -> " and (" + where + ")").orElse("") + ") as child\nleft join (select " + field + " as to_field from "
                + check.parentRelation().orElseThrow() + ") as parent on child.from_field = parent.to_field\nwhere parent.to_field is null";
        return new AuditQuery("relationships (" + column + " -> " + check.parentRelation().orElseThrow() + ")", sql,
                List.of(AuditQuery.Output.failures(check.testId())));
    }
}
