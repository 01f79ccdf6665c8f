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
    /**
     * The text type values are cast to: the one spelling DuckDB, PostgreSQL and Spark all accept (Spark's parser wants a
     * length; DuckDB ignores it, and no minimum or maximum Baton keeps is that long).
     */
    static final String TEXT = "varchar(65535)";

    private FusedAudit() {}

    /**
     * @param relation the relation to audit, as SQL text (the staged relation during a build)
     * @param liveRelation the relation that compiled SQL names, replaced by {@code relation} in singular checks
     */
    public static List<AuditQuery> compile(String relation, String liveRelation, List<CheckSpec> checks) {
        return compile(relation, liveRelation, checks, dev.baton.api.engine.EngineCapabilities.builder().build());
    }

    /**
     * The queries as {@link Auditor} starts from. With {@code integerBitmaps} (an engine that counts
     * distinct integers by bitmap), it reads the probed columns' types and integer ranges before the
     * distinct-values query, which it then rewrites with a bitmap for each integer key. With
     * {@code zoneMaps}, range and comparison checks are counted by filtered queries of their own,
     * which the engine answers from its block statistics, instead of by the aggregate scan.
     */
    public static List<AuditQuery> compile(String relation, String liveRelation, List<CheckSpec> checks,
            dev.baton.api.engine.EngineCapabilities capabilities) {
        List<AuditQuery> queries = new ArrayList<>();
        Map<String, List<CheckSpec>> groupings = uniqueGroups(checks);
        List<CheckSpec> filtered = capabilities.zoneMaps() ? checks.stream().filter(FusedAudit::filteredAlone).toList() : List.of();
        Optional<AuditQuery> aggregate = aggregate(relation, checks, filtered, !capabilities.zoneMaps());
        aggregate.ifPresent(queries::add);
        Set<String> nullCounted = capabilities.zoneMaps() && (!filtered.isEmpty() || aggregate.isPresent()) ? metricColumns(checks) : Set.of();
        if (!filtered.isEmpty() || !nullCounted.isEmpty()) {
            queries.add(filteredCounts(relation, filtered, nullCounted, aggregate.isEmpty()));
        }
        if (groupings.values().stream().anyMatch(FusedAudit::probed)) {
            queries.add(distinctValues(relation, groupings, Map.of()));
        }
        for (List<CheckSpec> group : groupings.values()) {
            if (!probed(group)) {
                queries.add(unique(relation, group));
            }
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

    /** The uniqueness checks by the column set (and {@code where}) they group by, in order. */
    static Map<String, List<CheckSpec>> uniqueGroups(List<CheckSpec> checks) {
        Map<String, List<CheckSpec>> groupings = new LinkedHashMap<>();
        for (CheckSpec check : checks) {
            if (check.kind().equals("unique") || check.kind().equals("unique_combination_of_columns")) {
                List<String> columns = check.kind().equals("unique") ? List.of(check.column().orElseThrow()) : CheckSql.combination(check.arguments());
                String key = check.kind().equals("unique") + "|" + columns + "|" + check.where().orElse("");
                groupings.computeIfAbsent(key, k -> new ArrayList<>()).add(check);
            }
        }
        return groupings;
    }

    /**
     * Whether a group of uniqueness checks is probed by the distinct-values query: a single column
     * has duplicates exactly when it has fewer distinct than non-null values, which that one scan
     * counts for every probed column. Only when the probe finds duplicates does the grouped query run,
     * for the exact count (the number of duplicated values, as dbt counts). Column combinations
     * always group (a NULL in one column would make the probe disagree with dbt's grouping).
     */
    static boolean probed(List<CheckSpec> group) {
        return group.get(0).kind().equals("unique");
    }

    /** The grouped query of the uniqueness checks of one group, after their probe found duplicates. */
    static AuditQuery exactUniqueness(String relation, List<CheckSpec> group) {
        return unique(relation, group);
    }

    /** The shape of a relationship's anti-join. */
    static final String RELATIONSHIP_SHAPE = "relationships";

    /**
     * The uniqueness probe of one column by sorting (engines with {@code sortedProbes}): its values
     * when they are integers, else their 64-bit hashes, each compared with the one before it. The
     * distinct count is the rows minus the repeats; it equals the non-null values only when the
     * column is unique. Fewer mean duplicates or (for hashes, rarely) a collision, and the grouped
     * query then counts exactly.
     */
    static AuditQuery sortedDistinct(String relation, String groupKey, List<CheckSpec> group, boolean integer) {
        CheckSpec first = group.get(0);
        String column = first.column().orElseThrow();
        String key = integer ? column : "hash(" + column + ")";
        return new AuditQuery("sorted " + (integer ? "values" : "hashes") + " (" + column + ")",
                "select count(*) - count(*) filter (where k = previous), count(*)\nfrom (\n    select k, lag(k) over (order by k) as previous\n"
                        + "    from (select " + key + " as k from " + relation + " where " + nonNullRows(first) + ") probed\n) sorted",
                List.of(AuditQuery.Output.probe(groupKey, "distinct"), AuditQuery.Output.probe(groupKey, "values")),
                group.stream().map(CheckSpec::testId).toList());
    }

    /**
     * The types of a relationship's child column (from a non-null value) and parent field, and the
     * range and number of the parent keys, in one row (types null when either relation has no row).
     */
    static String relationshipProbe(String relation, CheckSpec check) {
        String field = String.valueOf(check.arguments().get("field"));
        String parent = check.parentRelation().orElseThrow();
        return "select (select typeof(" + check.column().orElseThrow() + ") from " + relation + " where " + nonNullRows(check) + " limit 1), (select typeof("
                + field + ") from " + parent + " limit 1), (select cast(min(" + field + ") as " + TEXT + ") from " + parent + "), (select cast(max(" + field
                + ") as " + TEXT + ") from " + parent + "), (select count(" + field + ") from " + parent + ")";
    }

    /**
     * How many distinct parent keys lie in {@code [min, max]} (a bitmap over that range), and the
     * smallest and largest child key: when the parent has every key of its range, a child key has a
     * parent exactly when it lies in that range.
     */
    static String parentDensityAndChildRange(String relation, CheckSpec check, long min, long max) {
        String field = String.valueOf(check.arguments().get("field"));
        String column = check.column().orElseThrow();
        return "select (select bit_count(bitstring_agg(" + field + ", " + min + ", " + max + ")) from " + check.parentRelation().orElseThrow()
                + "), (select cast(min(" + column + ") as " + TEXT + ") from " + relation + " where " + nonNullRows(check) + "), (select cast(max("
                + column + ") as " + TEXT + ") from " + relation + " where " + nonNullRows(check) + ")";
    }

    /** The rows a column check reads: those where its column is not null, and its {@code where}. */
    private static String nonNullRows(CheckSpec check) {
        return check.column().orElseThrow() + " is not null" + check.where().map(where -> " and (" + where + ")").orElse("");
    }

    /** The shape of the query counting the distinct values of probed columns. */
    static final String DISTINCT_SHAPE = "distinct values";
    private static final java.util.Set<String> INTEGER_TYPES = java.util.Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT",
            "UINTEGER", "UBIGINT");
    /** The largest bitmap an audit builds, in bits (16 MiB). */
    private static final long MAX_BITMAP = 1L << 27;

    /**
     * The query counting the distinct values of every probed column, one scan for all of them: a
     * bitmap over the range for an integer column whose range {@code bitmaps} gives (no hash table,
     * a few milliseconds per ten million rows), {@code count(distinct)} otherwise.
     *
     * @param bitmaps by group key, the {@code [min, max]} of integer columns worth a bitmap
     */
    static AuditQuery distinctValues(String relation, Map<String, List<CheckSpec>> groupings, Map<String, long[]> bitmaps) {
        List<String> expressions = new ArrayList<>();
        List<AuditQuery.Output> outputs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (Map.Entry<String, List<CheckSpec>> group : groupings.entrySet()) {
            if (!probed(group.getValue())) {
                continue;
            }
            CheckSpec first = group.getValue().get(0);
            String column = first.column().orElseThrow();
            String filtered = first.where().map(where -> " filter (where " + where + ")").orElse("");
            long[] range = bitmaps.get(group.getKey());
            expressions.add(range == null ? "count(distinct " + column + ")" + filtered
                    : "bit_count(bitstring_agg(" + column + ", " + range[0] + ", " + range[1] + ")" + filtered + ")");
            outputs.add(AuditQuery.Output.probe(group.getKey(), "distinct"));
            expressions.add("count(" + column + ")" + filtered);
            outputs.add(AuditQuery.Output.probe(group.getKey(), "values"));
            group.getValue().forEach(check -> ids.add(check.testId()));
            columns.add(column);
        }
        return new AuditQuery(DISTINCT_SHAPE + " (" + String.join(", ", columns) + ")", "select " + String.join(", ", expressions) + "\nfrom " + relation,
                outputs, ids);
    }

    /** The types of the probed columns, read from one row ({@code typeof}); no row when the relation is empty. */
    static AuditQuery probedTypes(String relation, Map<String, List<CheckSpec>> groupings) {
        List<String> expressions = new ArrayList<>();
        List<AuditQuery.Output> outputs = new ArrayList<>();
        for (Map.Entry<String, List<CheckSpec>> group : groupings.entrySet()) {
            if (probed(group.getValue())) {
                expressions.add("typeof(" + group.getValue().get(0).column().orElseThrow() + ")");
                outputs.add(AuditQuery.Output.probe(group.getKey(), "type"));
            }
        }
        return new AuditQuery("types", "select " + String.join(", ", expressions) + "\nfrom " + relation + "\nlimit 1", outputs);
    }

    /** Whether a probed column is an integer, by its type as {@link #probedTypes} read it. */
    static boolean integer(Map<String, String> probe) {
        return integer(probe.get("type"));
    }

    /** Whether a type, as {@code typeof} names it, is an integer type. */
    static boolean integer(String type) {
        return INTEGER_TYPES.contains(String.valueOf(type));
    }

    /** The range (and count) of values of the integer columns among {@code keys}: what sizes their bitmaps. */
    static AuditQuery integerRanges(String relation, Map<String, List<CheckSpec>> groupings, java.util.Collection<String> keys) {
        List<String> expressions = new ArrayList<>();
        List<AuditQuery.Output> outputs = new ArrayList<>();
        for (String key : keys) {
            CheckSpec first = groupings.get(key).get(0);
            String column = first.column().orElseThrow();
            String filtered = first.where().map(where -> " filter (where " + where + ")").orElse("");
            expressions.add("cast(min(" + column + ")" + filtered + " as " + TEXT + ")");
            outputs.add(AuditQuery.Output.probe(key, "min"));
            expressions.add("cast(max(" + column + ")" + filtered + " as " + TEXT + ")");
            outputs.add(AuditQuery.Output.probe(key, "max"));
            expressions.add("count(" + column + ")" + filtered);
            outputs.add(AuditQuery.Output.probe(key, "values"));
        }
        return new AuditQuery("ranges", "select " + String.join(", ", expressions) + "\nfrom " + relation, outputs);
    }

    /** The range of an integer column small enough for a bitmap, from {@link #integerRanges}: {@code [min, max]}, or null. */
    static long[] bitmapRange(Map<String, String> probe) {
        return bitmapRange(probe.get("type"), probe.get("min"), probe.get("max"), probe.get("values"));
    }

    /** The same from the type, minimum, maximum and number of non-null values of a column, as text. */
    static long[] bitmapRange(String type, String minText, String maxText, String valuesText) {
        if (!integer(type) || minText == null || maxText == null) {
            return null;
        }
        try {
            long min = Long.parseLong(minText);
            long max = Long.parseLong(maxText);
            long values = Long.parseLong(valuesText);
            long bits = Math.addExact(Math.subtractExact(max, min), 1);
            return bits <= Math.min(MAX_BITMAP, Math.max(16 * values, 1 << 16)) ? new long[] {min, max} : null;
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    /** An expression check whose expression compares the column: {@code > 0}, {@code between 1 and 9}, {@code >= date '2000-01-01'}. */
    private static final java.util.regex.Pattern COMPARISON = java.util.regex.Pattern.compile("(?is)\\s*(>=|<=|<>|!=|=|>|<|between\\s).*");

    /**
     * Whether a check is one that the engine's scan filters answer faster than the aggregate scan:
     * a null check, a range, or an expression comparing the column with a constant (counted alone,
     * each reads only the blocks whose statistics, has-nulls, minimum and maximum, might break it),
     * and accepted values (a filter on one column, which the scan evaluates once per dictionary
     * entry of a low-cardinality column instead of once per row).
     */
    static boolean filteredAlone(CheckSpec check) {
        if (check.column().isEmpty()) {
            return false;
        }
        if (check.kind().equals("accepted_range") || check.kind().equals("not_null") || check.kind().equals("accepted_values")) {
            return true;
        }
        return check.kind().equals("expression_is_true") && COMPARISON.matcher(String.valueOf(check.arguments().get("expression"))).matches();
    }

    /**
     * The failure counts of {@code checks}, each a filtered count of its own (a scalar subquery), in
     * one query of one row, and the null counts of {@code nullCounted} (the metrics the aggregate
     * scan would otherwise compute by reading every value of those columns).
     *
     * @param rowCount whether to count the rows too (when there is no aggregate scan to count them)
     */
    static AuditQuery filteredCounts(String relation, List<CheckSpec> checks, Set<String> nullCounted, boolean rowCount) {
        List<String> counts = new ArrayList<>();
        List<AuditQuery.Output> outputs = new ArrayList<>();
        if (rowCount) {
            counts.add("(select count(*) from " + relation + ")");
            outputs.add(AuditQuery.Output.metric("", "row_count"));
        }
        for (CheckSpec check : checks) {
            String where = check.where().map(condition -> "(" + condition + ") and ").orElse("");
            // dbt counts the distinct values an accepted-values check refuses, and the rows of every other check.
            String count = check.kind().equals("accepted_values") ? "count(distinct " + check.column().orElseThrow() + ")" : "count(*)";
            counts.add("(select " + count + " from " + relation + " where " + where + "("
                    + CheckSql.rowFails(check.kind(), check.column(), check.arguments()).orElseThrow() + "))");
            outputs.add(AuditQuery.Output.failures(check.testId()));
        }
        for (String column : nullCounted) {
            counts.add("(select count(*) from " + relation + " where " + column + " is null)");
            outputs.add(AuditQuery.Output.metric(column, "null_count"));
        }
        return new AuditQuery("filtered counts", "select\n    " + String.join(",\n    ", counts), outputs);
    }

    /** Whether a check's failure count is one expression of the aggregate scan. */
    static boolean fusable(String kind) {
        return switch (kind) {
            case "not_null", "accepted_values", "expression_is_true", "accepted_range", "row_count", "not_empty", "recency" -> true;
            default -> false;
        };
    }

    /** The columns whose null counts an audit measures: every column a check reads, except those only a freshness check reads. */
    static Set<String> metricColumns(List<CheckSpec> checks) {
        Set<String> columns = new LinkedHashSet<>();
        for (CheckSpec check : checks) {
            if (!check.kind().equals("freshness_anomaly")) {
                columns.addAll(check.checkedColumns());
            }
        }
        return columns;
    }

    /**
     * @param nullCounts whether this scan counts the nulls of every checked column (without
     *     {@code zoneMaps}; with them, {@link #filteredCounts} does)
     */
    private static Optional<AuditQuery> aggregate(String relation, List<CheckSpec> checks, List<CheckSpec> filtered, boolean nullCounts) {
        List<String> expressions = new ArrayList<>();
        List<AuditQuery.Output> outputs = new ArrayList<>();
        for (CheckSpec check : checks) {
            if (!fusable(check.kind()) || filtered.contains(check)) {
                continue;
            }
            expressions.add(failureCount(check));
            outputs.add(AuditQuery.Output.failures(check.testId()));
        }
        if (expressions.isEmpty() && checks.stream().noneMatch(Anomalies::is)) {
            return Optional.empty();
        }
        Set<String> columns = metricColumns(checks);
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
            if (check.kind().equals("accepted_range") && !filtered.contains(check) || check.kind().equals("recency")) {
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
            if (nullCounts) {
                expressions.add("count(*) - count(" + column + ")");
                outputs.add(AuditQuery.Output.metric(column, "null_count"));
            }
            if (ranged.contains(column)) {
                // Minimum and maximum only where a check bounds the values: on wide text columns they cost more than the checks.
                expressions.add("cast(min(" + column + ") as " + TEXT + ")");
                outputs.add(AuditQuery.Output.metric(column, "min"));
                expressions.add("cast(max(" + column + ") as " + TEXT + ")");
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
        String sql = "select count(*)\nfrom (select " + column + " as from_field from " + relation + " where " + nonNullRows(check) + ") as child\nleft join (select " + field + " as to_field from "
                + check.parentRelation().orElseThrow() + ") as parent on child.from_field = parent.to_field\nwhere parent.to_field is null";
        return new AuditQuery(RELATIONSHIP_SHAPE + " (" + column + " -> " + check.parentRelation().orElseThrow() + ")", sql,
                List.of(AuditQuery.Output.failures(check.testId())));
    }
}
