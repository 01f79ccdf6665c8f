package dev.baton.alert;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.incident.Incident;
import dev.baton.incident.IncidentListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sends incidents to the webhooks of the routes that match their tier and owner. An alert for
 * the same route, asset, cause and event (opened or resolved) is sent at most once per
 * suppression interval, so a flapping check does not page again and again; the interval's memory
 * is in the state store, so it survives restarts.
 */
public final class AlertRouter implements IncidentListener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlertsConfig config;
    private final String projectName;
    private final Connection connection;
    private final Clock clock;
    private final PrintWriter warnings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One alert that was sent, or suppressed, or failed. */
    public record Delivery(String route, String event, String incidentId, Outcome outcome, String detail) {}

    public enum Outcome {
        SENT,
        SUPPRESSED,
        FAILED
    }

    /**
     * @param connection a connection of its own to the state store; closed with the router
     * @param warnings where failed deliveries are reported
     */
    public AlertRouter(AlertsConfig config, String projectName, Connection connection, Clock clock, PrintWriter warnings) {
        this.config = requireNonNull(config, "config is null");
        this.projectName = requireNonNull(projectName, "projectName is null");
        this.connection = requireNonNull(connection, "connection is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.warnings = requireNonNull(warnings, "warnings is null");
    }

    @Override
    public void opened(Incident incident) {
        routeQuietly(incident, "opened");
    }

    @Override
    public void resolved(Incident incident) {
        routeQuietly(incident, "resolved");
    }

    private void routeQuietly(Incident incident, String event) {
        try {
            route(incident, event);
        } catch (RuntimeException e) {
            warnings.println("warning: could not route the alert of incident " + incident.id() + ": " + e.getMessage());
        }
    }

    /** Sends the incident's event to every matching route; returns what happened on each. */
    public synchronized List<Delivery> route(Incident incident, String event) {
        List<Delivery> deliveries = new ArrayList<>();
        for (AlertRoute route : config.routes()) {
            if (!route.matches(incident)) {
                continue;
            }
            String key = incident.cause().label() + ":" + event;
            Instant now = clock.instant();
            Optional<Instant> last = lastSent(route.name(), incident.asset(), key);
            if (last.isPresent() && last.get().plus(config.suppressFor()).isAfter(now)) {
                deliveries.add(new Delivery(route.name(), event, incident.id(), Outcome.SUPPRESSED, "last sent at " + last.get()));
                continue;
            }
            try {
                send(route, payload(route, incident, event));
                recordSent(route.name(), incident.asset(), key, now);
                deliveries.add(new Delivery(route.name(), event, incident.id(), Outcome.SENT, ""));
            } catch (BatonException e) {
                warnings.println("warning: " + e.getMessage());
                deliveries.add(new Delivery(route.name(), event, incident.id(), Outcome.FAILED, e.getMessage()));
            }
        }
        return deliveries;
    }

    private void send(AlertRoute route, String body) {
        HttpRequest request = HttpRequest.newBuilder(route.url()).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new BatonException(ErrorCode.ALERT_DELIVERY_FAILED, "alert route '" + route.name() + "' answered HTTP " + response.statusCode()
                        + "; check its url in the project file");
            }
        } catch (IOException e) {
            throw new BatonException(ErrorCode.ALERT_DELIVERY_FAILED, "could not send an alert to route '" + route.name() + "' at " + route.url().getHost()
                    + ": " + e.getMessage() + "; check that the webhook is reachable", Optional.empty(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatonException(ErrorCode.ALERT_DELIVERY_FAILED, "sending an alert to route '" + route.name() + "' was interrupted");
        }
    }

    String payload(AlertRoute route, Incident incident, String event) {
        return route.format() == AlertRoute.Format.SLACK ? slack(incident, event) : json(incident, event);
    }

    private String json(Incident incident, String event) {
        ObjectNode root = JSON.createObjectNode();
        root.put("event", "incident." + event);
        root.put("project", projectName);
        ObjectNode body = root.putObject("incident");
        body.put("id", incident.id());
        body.put("asset", incident.asset());
        body.put("cause", incident.cause().label());
        body.put("status", incident.status().label());
        if (incident.tier().isPresent()) {
            body.put("tier", incident.tier().get());
        } else {
            body.putNull("tier");
        }
        body.put("owner", incident.owner().orElse(null));
        body.put("runbook", incident.runbook().orElse(null));
        body.put("summary", incident.summary());
        body.put("run_id", incident.runId().orElse(null));
        body.put("opened_at", incident.openedAt().toString());
        body.put("occurrences", incident.occurrences());
        body.put("resolution_reason", incident.resolutionReason().map(reason -> reason.label()).orElse(null));
        body.put("resolution_note", incident.resolutionNote().orElse(null));
        return root.toString();
    }

    private String slack(Incident incident, String event) {
        String tier = incident.tier().map(value -> "[tier " + value + "] ").orElse("");
        String headline = (event.equals("resolved") ? ":white_check_mark: Resolved: " : ":rotating_light: Incident: ") + tier + incident.asset()
                + " (" + incident.cause().label().replace('_', ' ') + ")";
        StringBuilder detail = new StringBuilder(incident.summary());
        incident.owner().ifPresent(owner -> detail.append("\nOwner: ").append(owner));
        incident.runbook().ifPresent(runbook -> detail.append("\nRunbook: <").append(runbook).append(">"));
        incident.resolutionNote().ifPresent(note -> detail.append("\nResolution: ")
                .append(incident.resolutionReason().map(reason -> reason.label() + ", ").orElse("")).append(note));
        ObjectNode root = JSON.createObjectNode();
        root.put("text", headline + " in " + projectName + ": " + incident.summary());
        ArrayNode blocks = root.putArray("blocks");
        ObjectNode header = blocks.addObject();
        header.put("type", "section");
        header.putObject("text").put("type", "mrkdwn").put("text", "*" + headline + "*");
        ObjectNode section = blocks.addObject();
        section.put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", detail.toString());
        return root.toString();
    }

    private Optional<Instant> lastSent(String route, String asset, String cause) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT sent_at FROM baton_alerts_sent WHERE route = ? AND asset = ? AND cause = ?")) {
            statement.setString(1, route);
            statement.setString(2, asset);
            statement.setString(3, cause);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(Instant.ofEpochMilli(rows.getLong(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void recordSent(String route, String asset, String cause, Instant at) {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO baton_alerts_sent (route, asset, cause, sent_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (route, asset, cause) DO UPDATE SET sent_at = excluded.sent_at")) {
            statement.setString(1, route);
            statement.setString(2, asset);
            statement.setString(3, cause);
            statement.setLong(4, at.toEpochMilli());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static BatonException failure(SQLException e) {
        return new BatonException(ErrorCode.STATE_STORE_FAILED, "could not read or record sent alerts in the state store: " + e.getMessage(), Optional.empty(), e);
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
