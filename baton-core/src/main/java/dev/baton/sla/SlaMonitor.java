package dev.baton.sla;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.incident.Cause;
import dev.baton.incident.IncidentService;
import dev.baton.project.AssetMeta;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ResourceType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates the freshness SLAs of a project's models and sources against the clock, records
 * every evaluation in the state store (the history behind SLA adherence) and opens an incident
 * for each breach ({@code error_after} exceeded), resolving it when the asset is fresh again.
 *
 * <p>A model's data is as new as its last successful build; a source's is the newest value of
 * its {@code loaded_at_field}, or else its last recorded load. A source whose warehouse cannot be
 * read for now (a {@link SQLTransientException}: busy, locked) is left out of that evaluation and
 * judged at the next one.
 */
public final class SlaMonitor implements AutoCloseable {
    private final Project project;
    private final Engine engine;
    private final Connection connection;
    private final Clock clock;
    private final Optional<IncidentService> incidents;
    private final Map<String, SlaResult> latest = new ConcurrentHashMap<>();

    /** @param connection a connection of its own to the state store; closed with the monitor */
    public SlaMonitor(Project project, Engine engine, Connection connection, Clock clock, Optional<IncidentService> incidents) {
        this.project = requireNonNull(project, "project is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.connection = requireNonNull(connection, "connection is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.incidents = requireNonNull(incidents, "incidents is null");
    }

    /** Evaluates every SLA once, records the results, opens and resolves incidents. */
    public synchronized List<SlaResult> evaluate() {
        Instant now = clock.instant();
        List<SlaResult> results = new ArrayList<>();
        for (Node node : project.nodes().values()) {
            Optional<FreshnessSla> sla = FreshnessSla.of(node);
            if (sla.isEmpty()) {
                continue;
            }
            Optional<SlaResult> judged = evaluate(node, sla.get(), now);
            if (judged.isEmpty()) {
                continue;
            }
            SlaResult result = judged.get();
            record(result);
            latest.put(result.asset(), result);
            results.add(result);
            incidents.ifPresent(service -> {
                if (result.status() == SlaStatus.ERROR) {
                    service.open(result.asset(), Cause.SLA_BREACH, result.message(), Optional.empty());
                } else {
                    service.passed(result.asset(), Cause.SLA_BREACH);
                }
            });
        }
        return results;
    }

    /** The latest result of every asset with an SLA, as the last evaluation that could judge it found it. */
    public List<SlaResult> latest() {
        return List.copyOf(latest.values());
    }

    /** The asset's result, or empty when its data cannot be read for now. */
    private Optional<SlaResult> evaluate(Node node, FreshnessSla sla, Instant now) {
        Optional<Instant> lastUpdate;
        try {
            lastUpdate = node.resourceType() == ResourceType.MODEL ? lastSuccessfulBuild(node) : lastSourceUpdate(node);
        } catch (SQLTransientException e) {
            return Optional.empty();
        }
        Optional<Integer> tier = AssetMeta.tier(node);
        if (lastUpdate.isEmpty()) {
            String what = node.resourceType() == ResourceType.MODEL ? "never built successfully" : "has no data to judge its freshness by";
            return Optional.of(new SlaResult(node.uniqueId(), tier, sla, sla.errorAfter().isPresent() ? SlaStatus.ERROR : SlaStatus.WARN,
                    Optional.empty(), Optional.empty(), now, node.uniqueId() + " " + what));
        }
        Duration age = Duration.between(lastUpdate.get(), now);
        if (age.isNegative()) {
            age = Duration.ZERO;
        }
        SlaStatus status = sla.judge(age);
        String limit = status == SlaStatus.PASS ? "" : "; " + (status == SlaStatus.ERROR ? "error after " + describe(sla.errorAfter().orElseThrow())
                : "warn after " + describe(sla.warnAfter().orElseThrow()));
        return Optional.of(new SlaResult(node.uniqueId(), tier, sla, status, lastUpdate, Optional.of(age), now,
                node.uniqueId() + " is " + describe(age) + " old" + limit));
    }

    private Optional<Instant> lastSuccessfulBuild(Node node) {
        return maxMillis("SELECT max(started_at + duration_ms) FROM baton_node_results WHERE node_id = ? AND status = 'SUCCESS'", node.uniqueId());
    }

    private Optional<Instant> lastSourceUpdate(Node node) throws SQLTransientException {
        Object field = node.config().other().get("loaded_at_field");
        if (field == null) {
            return maxMillis("SELECT max(started_at + duration_ms) FROM baton_loads WHERE node_id = ?", node.uniqueId());
        }
        String sql = "SELECT CAST(epoch_ms(max(" + field + ")) AS BIGINT) FROM " + engine.render(node.relation().orElseThrow());
        try (EngineSession session = engine.openSession()) {
            QueryResult result = session.query(sql, 1);
            String value = result.rows().isEmpty() ? null : result.rows().get(0).get(0);
            return value == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(value)));
        } catch (SQLTransientException e) {
            throw e;
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private Optional<Instant> maxMillis(String sql, String nodeId) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, nodeId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                long value = rows.getLong(1);
                return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
            }
        } catch (SQLException e) {
            throw failure("read when " + nodeId + " was last updated", e);
        }
    }

    private void record(SlaResult result) {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO baton_freshness_checks (asset, tier, checked_at, status, age_ms, error_after_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, result.asset());
            if (result.tier().isPresent()) {
                statement.setInt(2, result.tier().get());
            } else {
                statement.setNull(2, Types.INTEGER);
            }
            statement.setLong(3, result.checkedAt().toEpochMilli());
            statement.setString(4, result.status().label());
            if (result.age().isPresent()) {
                statement.setLong(5, result.age().get().toMillis());
            } else {
                statement.setNull(5, Types.BIGINT);
            }
            if (result.sla().errorAfter().isPresent()) {
                statement.setLong(6, result.sla().errorAfter().get().toMillis());
            } else {
                statement.setNull(6, Types.BIGINT);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure("record the freshness of " + result.asset(), e);
        }
    }

    static String describe(Duration duration) {
        long minutes = duration.toMinutes();
        if (minutes < 120) {
            return minutes + " minutes";
        }
        long hours = duration.toHours();
        return hours < 48 ? hours + " hours" : duration.toDays() + " days";
    }

    private static BatonException failure(String what, SQLException e) {
        return new BatonException(ErrorCode.STATE_STORE_FAILED, "could not " + what + " in the state store: " + e.getMessage(), Optional.empty(), e);
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Every write committed when it was made.
        }
    }
}
