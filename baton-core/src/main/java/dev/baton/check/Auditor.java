package dev.baton.check;

import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.api.event.RunEvent;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the queries of a fused audit, maps each result column back to its check or metric, and
 * fetches a sample of failing rows for each check that did not pass.
 */
public final class Auditor {
    private Auditor() {}

    public static AuditReport run(EngineSession session, String relation, String liveRelation, List<CheckSpec> checks) throws SQLException {
        return run(session, relation, liveRelation, checks, java.util.Optional.empty());
    }

    /** Where a check's failing rows are stored when it has {@code store_failures}: the table as SQL text and as people read it. */
    public interface FailureStore {
        /** Replaces the check's failure table with the rows of {@code rowsSql} and returns its name as people read it. */
        String store(CheckSpec check, String rowsSql) throws SQLException;
    }

    public static AuditReport run(EngineSession session, String relation, String liveRelation, List<CheckSpec> checks,
            java.util.Optional<FailureStore> failureStore) throws SQLException {
        return run(session, relation, liveRelation, checks, failureStore, MetricHistory.NONE, "");
    }

    /**
     * @param history the metric history anomaly checks are judged against
     * @param nodeId the audited model, whose history that is
     */
    public static AuditReport run(EngineSession session, String relation, String liveRelation, List<CheckSpec> checks,
            java.util.Optional<FailureStore> failureStore, MetricHistory history, String nodeId) throws SQLException {
        return run(session, relation, liveRelation, checks, failureStore, history, nodeId, dev.baton.api.engine.EngineCapabilities.builder().build());
    }

    /**
     * @param capabilities what the engine can do that shapes the queries: bitmaps for integer keys
     *     ({@code integerBitmaps}), filtered counts answered from block statistics ({@code zoneMaps})
     */
    public static AuditReport run(EngineSession session, String relation, String liveRelation, List<CheckSpec> checks,
            java.util.Optional<FailureStore> failureStore, MetricHistory history, String nodeId, dev.baton.api.engine.EngineCapabilities capabilities)
            throws SQLException {
        try {
            return audit(session, relation, liveRelation, checks, failureStore, history, nodeId, capabilities);
        } catch (SQLException e) {
            // A check of a missing column fails its query; say which check and where it is declared (no cost when all is well).
            checkColumns(session, relation, checks);
            throw e;
        }
    }

    private static AuditReport audit(EngineSession session, String relation, String liveRelation, List<CheckSpec> checks,
            java.util.Optional<FailureStore> failureStore, MetricHistory history, String nodeId, dev.baton.api.engine.EngineCapabilities capabilities)
            throws SQLException {
        Map<String, CheckSpec> byId = new LinkedHashMap<>();
        checks.forEach(check -> byId.put(check.testId(), check));
        Map<String, CheckOutcome> outcomes = new LinkedHashMap<>();
        List<RunEvent.Metric> metrics = new ArrayList<>();
        List<String> issued = new ArrayList<>();
        Map<String, Map<String, String>> probes = new LinkedHashMap<>();
        Map<String, List<CheckSpec>> groups = FusedAudit.uniqueGroups(checks);
        for (AuditQuery query : FusedAudit.compile(relation, liveRelation, checks, capabilities)) {
            if (capabilities.integerBitmaps() && query.shape().startsWith(FusedAudit.RELATIONSHIP_SHAPE)) {
                CheckSpec check = byId.get(query.outputs().get(0).checkId().orElseThrow());
                if (parentCovers(session, relation, check, issued)) {
                    outcomes.put(check.testId(), check.judge(0));
                    continue;
                }
            }
            List<AuditQuery> rewritten = capabilities.integerBitmaps() && query.shape().startsWith(FusedAudit.DISTINCT_SHAPE)
                    ? withBitmaps(session, relation, groups, query, probes, issued, capabilities) : List.of(query);
            for (AuditQuery each : rewritten) {
                run(session, each, byId, outcomes, metrics, probes, issued);
            }
        }
        for (Map.Entry<String, Map<String, String>> probe : probes.entrySet()) {
            if (!probe.getValue().containsKey("values") || !probe.getValue().containsKey("distinct")) {
                continue;
            }
            List<CheckSpec> group = groups.get(probe.getKey());
            String distinct = probe.getValue().get("distinct");
            long count = distinct == null ? 0 : Long.parseLong(distinct);
            if (count == Long.parseLong(probe.getValue().get("values"))) {
                group.forEach(check -> outcomes.put(check.testId(), check.judge(0)));
                metrics.add(new RunEvent.Metric(group.get(0).column().orElseThrow(), "distinct_count", String.valueOf(count)));
            } else {
                run(session, FusedAudit.exactUniqueness(relation, group), byId, outcomes, metrics, probes, issued);
            }
        }
        Map<String, String> measured = new java.util.HashMap<>();
        metrics.forEach(metric -> measured.put(metric.column() + "|" + metric.name(), metric.value()));
        java.time.Instant now = java.time.Instant.now();
        for (CheckSpec check : checks) {
            if (Anomalies.is(check)) {
                outcomes.put(check.testId(), Anomalies.judge(check, Anomalies.current(check, measured), history, nodeId, now));
            }
        }
        Map<String, CheckOutcome> ordered = new LinkedHashMap<>();
        for (CheckSpec check : checks) {
            CheckOutcome outcome = outcomes.get(check.testId());
            if (outcome.verdict() != CheckOutcome.Verdict.PASS) {
                java.util.Optional<String> sample = FailingRows.sql(check, relation, liveRelation);
                if (sample.isPresent()) {
                    outcome = outcome.withSample(FailingRows.fetch(session, sample.get(), check));
                }
                java.util.Optional<String> rows = FailingRows.rows(check, relation, liveRelation);
                if (check.storeFailures() && failureStore.isPresent() && rows.isPresent()) {
                    String table = failureStore.get().store(check, rows.get());
                    outcome = new CheckOutcome(outcome.testId(), outcome.failures(), outcome.verdict(),
                            outcome.message() + "; failing rows stored in " + table, outcome.sample());
                }
            }
            ordered.put(check.testId(), outcome);
        }
        return new AuditReport(ordered, metrics, issued);
    }

    /**
     * The distinct-values query rewritten for an engine with bitmaps: a bitmap for each integer key
     * whose range is small enough (the types come from one row, the ranges from one scan of the
     * integer keys, both cheap), and for every other unique column a sort of its values or hashes
     * where the engine has {@code sortedProbes}, else dbt's grouped query, which such an engine
     * answers faster than a distinct count of the values in a scan with other aggregates.
     */
    private static List<AuditQuery> withBitmaps(EngineSession session, String relation, Map<String, List<CheckSpec>> groups, AuditQuery query,
            Map<String, Map<String, String>> probes, List<String> issued, dev.baton.api.engine.EngineCapabilities capabilities) throws SQLException {
        AuditQuery types = FusedAudit.probedTypes(relation, groups);
        issued.add(types.sql());
        QueryResult typed = session.query(types.sql(), 1);
        if (typed.rows().isEmpty()) {
            return List.of(query);
        }
        List<String> integers = new ArrayList<>();
        List<String> probed = new ArrayList<>();
        for (int i = 0; i < types.outputs().size(); i++) {
            String key = types.outputs().get(i).column();
            probed.add(key);
            probes.computeIfAbsent(key, k -> new java.util.HashMap<>()).put("type", typed.rows().get(0).get(i));
            if (FusedAudit.integer(probes.get(key))) {
                integers.add(key);
            }
        }
        Map<String, long[]> bitmaps = new LinkedHashMap<>();
        if (!integers.isEmpty()) {
            Map<String, CheckSpec> none = Map.of();
            run(session, FusedAudit.integerRanges(relation, groups, integers), none, new LinkedHashMap<>(), new ArrayList<>(), probes, issued);
            for (String key : integers) {
                long[] range = FusedAudit.bitmapRange(probes.get(key));
                if (range != null) {
                    bitmaps.put(key, range);
                }
            }
        }
        List<AuditQuery> queries = new ArrayList<>();
        if (!bitmaps.isEmpty()) {
            Map<String, List<CheckSpec>> withBitmap = new LinkedHashMap<>();
            bitmaps.keySet().forEach(key -> withBitmap.put(key, groups.get(key)));
            queries.add(FusedAudit.distinctValues(relation, withBitmap, bitmaps));
        }
        for (String key : probed) {
            if (!bitmaps.containsKey(key)) {
                queries.add(capabilities.sortedProbes() ? FusedAudit.sortedDistinct(relation, key, groups.get(key), FusedAudit.integer(probes.get(key)))
                        : FusedAudit.exactUniqueness(relation, groups.get(key)));
            }
        }
        return queries;
    }

    /**
     * Whether a relationship holds without its anti-join, for integer keys: the parent has every key
     * of its range (a bitmap over it counts them) and every child key lies in that range. Two
     * one-row queries, none of them a join; any other case (other types, gaps, a range too wide for
     * a bitmap, a child key outside) answers false and the anti-join decides.
     */
    private static boolean parentCovers(EngineSession session, String relation, CheckSpec check, List<String> issued) throws SQLException {
        String probeSql = FusedAudit.relationshipProbe(relation, check);
        issued.add(probeSql);
        List<String> probe = session.query(probeSql, 1).rows().get(0);
        long[] range = FusedAudit.bitmapRange(probe.get(1), probe.get(2), probe.get(3), probe.get(4));
        if (!FusedAudit.integer(probe.get(0)) || range == null) {
            return false;
        }
        long min = range[0];
        long max = range[1];
        long bits = max - min + 1;
        if (bits > Long.parseLong(probe.get(4))) {
            // Fewer parent keys than the range holds: some key of it is surely missing.
            return false;
        }
        try {
            String coverSql = FusedAudit.parentDensityAndChildRange(relation, check, min, max);
            issued.add(coverSql);
            List<String> cover = session.query(coverSql, 1).rows().get(0);
            return Long.parseLong(cover.get(0)) == bits && (cover.get(1) == null || Long.parseLong(cover.get(1)) >= min && Long.parseLong(cover.get(2)) <= max);
        } catch (NumberFormatException e) {
            // A child key beyond a long (UBIGINT).
            return false;
        }
    }

    /** Runs one audit query and maps its columns to failure counts, metrics and uniqueness probes. */
    private static void run(EngineSession session, AuditQuery query, Map<String, CheckSpec> byId, Map<String, CheckOutcome> outcomes,
            List<RunEvent.Metric> metrics, Map<String, Map<String, String>> probes, List<String> issued) throws SQLException {
        issued.add(query.sql());
        QueryResult result = session.query(query.sql(), 1);
        List<String> row = result.rows().get(0);
        for (int i = 0; i < query.outputs().size(); i++) {
            AuditQuery.Output output = query.outputs().get(i);
            String value = row.get(i);
            if (output.checkId().isPresent()) {
                CheckSpec check = byId.get(output.checkId().get());
                outcomes.put(check.testId(), check.judge(value == null ? 0 : Long.parseLong(value)));
            } else if (output.probe()) {
                probes.computeIfAbsent(output.column(), key -> new java.util.HashMap<>()).put(output.metric().substring(AuditQuery.PROBE.length()), value);
            } else {
                metrics.add(new RunEvent.Metric(output.column(), output.metric(), value));
            }
        }
    }

    private static final java.util.regex.Pattern PLAIN_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*|\"[^\"]+\"");

    /** A check of a column the staged relation does not have is the project's mistake, reported where the check is declared. */
    private static void checkColumns(EngineSession session, String relation, List<CheckSpec> checks) throws SQLException {
        List<String> columns = null;
        for (CheckSpec check : checks) {
            for (String column : check.checkedColumns()) {
                String trimmed = column.trim();
                if (!PLAIN_NAME.matcher(trimmed).matches()) {
                    continue;
                }
                if (columns == null) {
                    columns = session.query("select * from " + relation + " limit 0", 1).columns();
                }
                String name = trimmed.startsWith("\"") ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
                if (columns.stream().noneMatch(existing -> existing.equalsIgnoreCase(name))) {
                    throw new dev.baton.api.BatonException(dev.baton.api.ErrorCode.UNKNOWN_COLUMN, "test '" + check.name() + "' checks column '" + name
                            + "', which the model does not have" + dev.baton.api.Suggestions.didYouMeanOr(name, columns,
                            "its columns are " + String.join(", ", columns)), check.location(), null);
                }
            }
        }
    }
}
