package dev.baton.incident;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.project.AssetMeta;
import dev.baton.project.Node;
import dev.baton.project.Project;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Opens, acknowledges and resolves incidents, kept in the state store. Opening is idempotent per
 * asset and cause: while one is open, a new failure only counts as another occurrence. Every
 * change is recorded as a {@link Transition}. Thread-safe.
 */
public final class IncidentService implements AutoCloseable {
    /** The actor recorded for what Baton does by itself. */
    public static final String SYSTEM_ACTOR = "baton";

    private static final String COLUMNS = "id, asset, cause, status, tier, owner, runbook, summary, run_id, opened_at, last_seen_at, occurrences, "
            + "acknowledged_at, acknowledged_by, resolved_at, resolved_by, resolution_reason, resolution_note";

    private final Connection connection;
    private final Project project;
    private final Clock clock;
    private final List<IncidentListener> listeners = new CopyOnWriteArrayList<>();

    /** @param connection a connection of its own to the state store; closed with the service */
    public IncidentService(Connection connection, Project project, Clock clock) {
        this.connection = requireNonNull(connection, "connection is null");
        this.project = requireNonNull(project, "project is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public void addListener(IncidentListener listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /**
     * Opens an incident for the asset and cause, or counts another occurrence of the open one.
     * The asset's tier, owner and runbook come from the project (for a test: from what it tests).
     */
    public Incident open(String asset, Cause cause, String summary, Optional<String> runId) {
        Instant now = clock.instant();
        Incident incident;
        synchronized (this) {
            Optional<Incident> existing = openIncident(asset, cause);
            if (existing.isPresent()) {
                update("UPDATE baton_incidents SET last_seen_at = ?, occurrences = occurrences + 1, summary = ?, run_id = COALESCE(?, run_id) WHERE id = ?",
                        now.toEpochMilli(), summary, runId.orElse(null), existing.get().id());
                incident = get(existing.get().id()).orElseThrow();
            } else {
                Optional<Node> described = describedNode(asset);
                String id = UUID.randomUUID().toString();
                update("INSERT INTO baton_incidents (" + COLUMNS + ") VALUES (?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, 1, NULL, NULL, NULL, NULL, NULL, NULL)",
                        id, asset, cause.label(), described.flatMap(AssetMeta::tier).orElse(null), described.flatMap(AssetMeta::owner).orElse(null),
                        described.flatMap(AssetMeta::runbook).orElse(null), summary, runId.orElse(null), now.toEpochMilli(), now.toEpochMilli());
                transition(id, now, null, IncidentStatus.NEW, SYSTEM_ACTOR, summary);
                incident = get(id).orElseThrow();
            }
        }
        listeners.forEach(listener -> listener.opened(incident));
        return incident;
    }

    /** The cause passed again: resolves the open incident of the asset and cause, if any, as fixed. */
    public Optional<Incident> passed(String asset, Cause cause) {
        Optional<Incident> open;
        synchronized (this) {
            open = openIncident(asset, cause);
        }
        return open.map(incident -> resolve(incident.id(), SYSTEM_ACTOR, ResolutionReason.FIXED, "resolved by itself: the " + cause.label().replace('_', ' ')
                + " passed again"));
    }

    /**
     * @throws BatonException {@code UNKNOWN_RECORD} for an unknown id; {@code INVALID_TRANSITION} unless the incident is new
     */
    public Incident acknowledge(String id, String actor) {
        requireNonNull(actor, "actor is null");
        Instant now = clock.instant();
        synchronized (this) {
            Incident incident = require(id);
            if (incident.status() != IncidentStatus.NEW) {
                throw new BatonException(ErrorCode.INVALID_TRANSITION, "incident '" + id + "' is " + incident.status().label()
                        + "; only a new incident can be acknowledged");
            }
            update("UPDATE baton_incidents SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ? WHERE id = ?", now.toEpochMilli(), actor, id);
            transition(id, now, IncidentStatus.NEW, IncidentStatus.ACKNOWLEDGED, actor, "");
            return get(id).orElseThrow();
        }
    }

    /**
     * Resolves a new or acknowledged incident.
     *
     * @throws BatonException {@code INVALID_ARGUMENT} without a note; {@code UNKNOWN_RECORD} for an unknown id;
     *     {@code INVALID_TRANSITION} for a resolved incident
     */
    public Incident resolve(String id, String actor, ResolutionReason reason, String note) {
        requireNonNull(actor, "actor is null");
        requireNonNull(reason, "reason is null");
        if (note == null || note.isBlank()) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "resolving incident '" + id + "' needs a note saying what was done or found");
        }
        Instant now = clock.instant();
        Incident resolved;
        synchronized (this) {
            Incident incident = require(id);
            if (incident.status() == IncidentStatus.RESOLVED) {
                throw new BatonException(ErrorCode.INVALID_TRANSITION, "incident '" + id + "' is already resolved");
            }
            update("UPDATE baton_incidents SET status = 'resolved', resolved_at = ?, resolved_by = ?, resolution_reason = ?, resolution_note = ? WHERE id = ?",
                    now.toEpochMilli(), actor, reason.label(), note.strip(), id);
            transition(id, now, incident.status(), IncidentStatus.RESOLVED, actor, reason.label() + ": " + note.strip());
            resolved = get(id).orElseThrow();
        }
        listeners.forEach(listener -> listener.resolved(resolved));
        return resolved;
    }

    public synchronized Optional<Incident> get(String id) {
        List<Incident> found = query("SELECT " + COLUMNS + " FROM baton_incidents WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * Incidents, newest first.
     *
     * @param status only those in this status, when given
     * @param tier only those of this tier, when given
     */
    public synchronized List<Incident> list(Optional<IncidentStatus> status, Optional<Integer> tier, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM baton_incidents WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        status.ifPresent(value -> {
            sql.append(" AND status = ?");
            parameters.add(value.label());
        });
        tier.ifPresent(value -> {
            sql.append(" AND tier = ?");
            parameters.add(value);
        });
        sql.append(" ORDER BY opened_at DESC, id LIMIT ? OFFSET ?");
        parameters.add(limit);
        parameters.add(offset);
        return query(sql.toString(), parameters.toArray());
    }

    /** How many incidents are open (new or acknowledged), by tier; an asset without a tier counts under empty. */
    public synchronized Map<Optional<Integer>, Long> openByTier() {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT tier, count(*) FROM baton_incidents WHERE status IN ('new', 'acknowledged') GROUP BY tier ORDER BY tier")) {
            Map<Optional<Integer>, Long> counts = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    int tier = rows.getInt(1);
                    counts.put(rows.wasNull() ? Optional.empty() : Optional.of(tier), rows.getLong(2));
                }
            }
            return counts;
        } catch (SQLException e) {
            throw failure("count the open incidents", e);
        }
    }

    /** The incident's transitions, oldest first. */
    public synchronized List<Transition> transitions(String id) {
        require(id);
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT incident_id, at, from_status, to_status, actor, note FROM baton_incident_transitions WHERE incident_id = ? ORDER BY at, to_status")) {
            statement.setString(1, id);
            List<Transition> transitions = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String from = rows.getString(3);
                    transitions.add(new Transition(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)),
                            from == null ? Optional.empty() : Optional.of(IncidentStatus.fromLabel(from)), IncidentStatus.fromLabel(rows.getString(4)),
                            rows.getString(5), rows.getString(6)));
                }
            }
            return transitions;
        } catch (SQLException e) {
            throw failure("read the transitions of incident '" + id + "'", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Every write committed when it was made.
        }
    }

    private Optional<Node> describedNode(String asset) {
        Optional<Node> node = project.node(asset);
        return node.flatMap(found -> found.attachedNode().flatMap(project::node)).or(() -> node);
    }

    private Incident require(String id) {
        return get(id).orElseThrow(() -> new BatonException(ErrorCode.UNKNOWN_RECORD, "no incident with id '" + id + "'; list the incidents to find its id"));
    }

    private Optional<Incident> openIncident(String asset, Cause cause) {
        List<Incident> found = query("SELECT " + COLUMNS + " FROM baton_incidents WHERE asset = ? AND cause = ? AND status <> 'resolved'", asset, cause.label());
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private void transition(String id, Instant at, IncidentStatus from, IncidentStatus to, String actor, String note) {
        update("INSERT INTO baton_incident_transitions (incident_id, at, from_status, to_status, actor, note) VALUES (?, ?, ?, ?, ?, ?)",
                id, at.toEpochMilli(), from == null ? null : from.label(), to.label(), actor, note);
    }

    private void update(String sql, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure("record an incident", e);
        }
    }

    private List<Incident> query(String sql, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            List<Incident> incidents = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    incidents.add(read(rows));
                }
            }
            return incidents;
        } catch (SQLException e) {
            throw failure("read incidents", e);
        }
    }

    private static Incident read(ResultSet rows) throws SQLException {
        int tier = rows.getInt(5);
        Optional<Integer> tierValue = rows.wasNull() ? Optional.empty() : Optional.of(tier);
        String reason = rows.getString(17);
        return new Incident(rows.getString(1), rows.getString(2), Cause.fromLabel(rows.getString(3)), IncidentStatus.fromLabel(rows.getString(4)),
                tierValue, Optional.ofNullable(rows.getString(6)), Optional.ofNullable(rows.getString(7)), rows.getString(8),
                Optional.ofNullable(rows.getString(9)), Instant.ofEpochMilli(rows.getLong(10)), Instant.ofEpochMilli(rows.getLong(11)), rows.getInt(12),
                instant(rows, 13), Optional.ofNullable(rows.getString(14)), instant(rows, 15), Optional.ofNullable(rows.getString(16)),
                reason == null ? Optional.empty() : Optional.of(ResolutionReason.valueOf(reason.toUpperCase(java.util.Locale.ROOT))),
                Optional.ofNullable(rows.getString(18)));
    }

    private static Optional<Instant> instant(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
    }

    private static void bind(PreparedStatement statement, Object[] parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == null) {
                statement.setNull(i + 1, Types.VARCHAR);
            } else {
                statement.setObject(i + 1, parameters[i]);
            }
        }
    }

    private static BatonException failure(String what, SQLException e) {
        return new BatonException(ErrorCode.STATE_STORE_FAILED, "could not " + what + " in the state store: " + e.getMessage(), Optional.empty(), e);
    }
}
