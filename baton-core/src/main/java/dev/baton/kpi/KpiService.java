package dev.baton.kpi;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.project.AssetMeta;
import dev.baton.project.ColumnInfo;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ResourceType;
import dev.baton.sla.FreshnessSla;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The team's KPIs, computed from the platform's own history in the state store:
 *
 * <ul>
 *   <li>{@code pipeline_success_rate}: builds that succeeded at their first attempt (retries and {@code baton retry} do not count as first attempts)
 *   <li>{@code freshness_sla_adherence} by tier: SLA evaluations that were not breaches
 *   <li>{@code incidents}, {@code mean_time_to_acknowledge}, {@code mean_time_to_resolve} by tier, of incidents opened in the window
 *   <li>{@code check_coverage}: tier-0/1 models with at least one check that ran in the window
 *   <li>{@code documentation_completeness}: of tier-0/1 models, the share of description, owner, tier, SLA and column docs present (the project as it is now; no history)
 *   <li>{@code model_run_duration} (mean per build) and {@code model_compute_time} (sum) per model
 * </ul>
 */
public final class KpiService implements AutoCloseable {
    private final Connection connection;
    private final Project project;
    private final Clock clock;

    /** @param connection a connection of its own to the state store; closed with the service */
    public KpiService(Connection connection, Project project, Clock clock) {
        this.connection = requireNonNull(connection, "connection is null");
        this.project = requireNonNull(project, "project is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The KPIs of the window ending now. */
    public synchronized KpiReport report(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "the KPI window must be longer than zero, such as 30d");
        }
        Instant to = clock.instant();
        Instant from = to.minus(window);
        Instant before = from.minus(window);
        List<KpiValue> values = new ArrayList<>();
        values.add(new KpiValue("pipeline_success_rate", Optional.empty(), "ratio", successRate(from, to), successRate(before, from)));
        byDimension(values, "freshness_sla_adherence", "ratio", slaAdherence(from, to), slaAdherence(before, from));
        IncidentFigures current = incidents(from, to);
        IncidentFigures previous = incidents(before, from);
        byDimension(values, "incidents", "count", current.count(), previous.count());
        byDimension(values, "mean_time_to_acknowledge", "minutes", current.acknowledge(), previous.acknowledge());
        byDimension(values, "mean_time_to_resolve", "minutes", current.resolve(), previous.resolve());
        values.add(new KpiValue("check_coverage", Optional.of("tier 0-1"), "ratio", checkCoverage(from, to), checkCoverage(before, from)));
        values.add(new KpiValue("documentation_completeness", Optional.of("tier 0-1"), "ratio", documentationCompleteness(), Optional.empty()));
        ModelFigures models = modelFigures(from, to);
        ModelFigures previousModels = modelFigures(before, from);
        byDimension(values, "model_run_duration", "milliseconds", models.meanDuration(), previousModels.meanDuration());
        byDimension(values, "model_compute_time", "milliseconds", models.totalDuration(), previousModels.totalDuration());
        return new KpiReport(from, to, window, values);
    }

    private static void byDimension(List<KpiValue> values, String name, String unit, Map<String, Double> current, Map<String, Double> previous) {
        Set<String> dimensions = new TreeSet<>(current.keySet());
        dimensions.addAll(previous.keySet());
        for (String dimension : dimensions) {
            values.add(new KpiValue(name, Optional.of(dimension), unit, Optional.ofNullable(current.get(dimension)), Optional.ofNullable(previous.get(dimension))));
        }
    }

    private Optional<Double> successRate(Instant from, Instant to) {
        String sql = "SELECT sum(CASE WHEN status = 'SUCCESS' THEN 1 ELSE 0 END), count(*) FROM baton_runs"
                + " WHERE started_at >= ? AND started_at < ? AND status IN ('SUCCESS', 'FAILED', 'CRASHED') AND command NOT LIKE 'baton retry%'"
                + " AND id NOT IN (SELECT build_run_id FROM baton_job_runs WHERE attempt > 1 AND build_run_id IS NOT NULL)";
        return ratio(sql, from, to);
    }

    private Map<String, Double> slaAdherence(Instant from, Instant to) {
        Map<String, Double> result = new TreeMap<>();
        String sql = "SELECT tier, sum(CASE WHEN status <> 'error' THEN 1 ELSE 0 END), count(*) FROM baton_freshness_checks"
                + " WHERE checked_at >= ? AND checked_at < ? GROUP BY tier";
        query(sql, rows -> result.put(tier(rows, 1), rows.getDouble(2) / rows.getDouble(3)), from.toEpochMilli(), to.toEpochMilli());
        return result;
    }

    private record IncidentFigures(Map<String, Double> count, Map<String, Double> acknowledge, Map<String, Double> resolve) {}

    private IncidentFigures incidents(Instant from, Instant to) {
        Map<String, Double> count = new TreeMap<>();
        Map<String, Double> acknowledge = new TreeMap<>();
        Map<String, Double> resolve = new TreeMap<>();
        String sql = "SELECT tier, count(*), avg(acknowledged_at - opened_at), avg(resolved_at - opened_at) FROM baton_incidents"
                + " WHERE opened_at >= ? AND opened_at < ? GROUP BY tier";
        query(sql, rows -> {
            String tier = tier(rows, 1);
            count.put(tier, rows.getDouble(2));
            double ack = rows.getDouble(3);
            if (!rows.wasNull()) {
                acknowledge.put(tier, ack / 60_000.0);
            }
            double resolved = rows.getDouble(4);
            if (!rows.wasNull()) {
                resolve.put(tier, resolved / 60_000.0);
            }
        }, from.toEpochMilli(), to.toEpochMilli());
        return new IncidentFigures(count, acknowledge, resolve);
    }

    private List<Node> criticalModels() {
        List<Node> models = new ArrayList<>();
        for (Node node : project.nodes().values()) {
            if (node.resourceType() == ResourceType.MODEL && AssetMeta.tier(node).filter(tier -> tier <= 1).isPresent()) {
                models.add(node);
            }
        }
        return models;
    }

    private Optional<Double> checkCoverage(Instant from, Instant to) {
        List<Node> critical = criticalModels();
        if (critical.isEmpty()) {
            return Optional.empty();
        }
        Set<String> ranTests = new HashSet<>();
        query("SELECT DISTINCT node_id FROM baton_node_results WHERE resource_type = 'test' AND started_at >= ? AND started_at < ?",
                rows -> ranTests.add(rows.getString(1)), from.toEpochMilli(), to.toEpochMilli());
        if (ranTests.isEmpty()) {
            long[] results = {0};
            query("SELECT count(*) FROM baton_node_results WHERE started_at >= ? AND started_at < ?", rows -> results[0] = rows.getLong(1),
                    from.toEpochMilli(), to.toEpochMilli());
            if (results[0] == 0) {
                // Nothing ran in the window: there is no coverage to measure, rather than none.
                return Optional.empty();
            }
        }
        Set<String> covered = new HashSet<>();
        for (String test : ranTests) {
            project.node(test).flatMap(Node::attachedNode).ifPresent(covered::add);
        }
        long count = critical.stream().filter(model -> covered.contains(model.uniqueId())).count();
        return Optional.of((double) count / critical.size());
    }

    private Optional<Double> documentationCompleteness() {
        List<Node> critical = criticalModels();
        if (critical.isEmpty()) {
            return Optional.empty();
        }
        double total = 0;
        for (Node model : critical) {
            int present = 0;
            present += model.description().isBlank() ? 0 : 1;
            present += AssetMeta.owner(model).isPresent() ? 1 : 0;
            present += 1; // tier: every model counted here has one
            present += FreshnessSla.of(model).isPresent() ? 1 : 0;
            present += !model.columns().isEmpty() && model.columns().stream().map(ColumnInfo::description).noneMatch(String::isBlank) ? 1 : 0;
            total += present / 5.0;
        }
        return Optional.of(total / critical.size());
    }

    private record ModelFigures(Map<String, Double> meanDuration, Map<String, Double> totalDuration) {}

    private ModelFigures modelFigures(Instant from, Instant to) {
        Map<String, Double> mean = new TreeMap<>();
        Map<String, Double> total = new TreeMap<>();
        query("SELECT node_id, avg(duration_ms), sum(duration_ms) FROM baton_node_results WHERE resource_type = 'model' AND status = 'SUCCESS'"
                + " AND started_at >= ? AND started_at < ? GROUP BY node_id", rows -> {
                    mean.put(rows.getString(1), rows.getDouble(2));
                    total.put(rows.getString(1), rows.getDouble(3));
                }, from.toEpochMilli(), to.toEpochMilli());
        return new ModelFigures(mean, total);
    }

    private static String tier(ResultSet rows, int column) throws SQLException {
        int tier = rows.getInt(column);
        return rows.wasNull() ? "no tier" : "tier " + tier;
    }

    private Optional<Double> ratio(String sql, Instant from, Instant to) {
        double[] figures = new double[2];
        query(sql, rows -> {
            figures[0] = rows.getDouble(1);
            figures[1] = rows.getDouble(2);
        }, from.toEpochMilli(), to.toEpochMilli());
        return figures[1] == 0 ? Optional.empty() : Optional.of(figures[0] / figures[1]);
    }

    private interface RowReader {
        void read(ResultSet rows) throws SQLException;
    }

    private void query(String sql, RowReader reader, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    reader.read(rows);
                }
            }
        } catch (SQLException e) {
            throw new BatonException(ErrorCode.STATE_STORE_FAILED, "could not compute KPIs from the state store: " + e.getMessage(), Optional.empty(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Only reads were made.
        }
    }
}
