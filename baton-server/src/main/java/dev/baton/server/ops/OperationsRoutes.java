package dev.baton.server.ops;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.incident.Incident;
import dev.baton.incident.IncidentStatus;
import dev.baton.incident.ResolutionReason;
import dev.baton.incident.Transition;
import dev.baton.kpi.KpiReport;
import dev.baton.kpi.KpiValue;
import dev.baton.operations.Operations;
import dev.baton.schedule.DurationText;
import dev.baton.schedule.Job;
import dev.baton.schedule.JobRun;
import dev.baton.server.auth.Role;
import dev.baton.server.http.Json;
import dev.baton.server.http.Params;
import dev.baton.server.http.Route;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Jobs (trigger a run), incidents (acknowledge, resolve) and KPIs of the project's operations. */
public final class OperationsRoutes {
    private static final int MAX_TIER = 2;

    private final Operations operations;

    public OperationsRoutes(Operations operations) {
        this.operations = requireNonNull(operations, "operations is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/jobs", Role.VIEWER, this::jobs).doc("The jobs of baton.yml with their latest runs"),
                Route.post("/api/v1/jobs/{name}/runs", Role.OPERATOR, this::trigger).doc("Queue a run of a job now"),
                Route.get("/api/v1/job-runs/{id}", Role.VIEWER, this::jobRun).doc("One run of a job"),
                Route.post("/api/v1/job-runs/{id}/cancel", Role.OPERATOR, this::cancelJobRun)
                        .doc("Cancel a queued or running run of a job; it ends cancelled and frees its concurrency slot"),
                Route.get("/api/v1/incidents", Role.VIEWER, this::incidents).doc("A page of incidents, newest first", "status", "tier", "limit", "offset"),
                Route.get("/api/v1/incidents/{id}", Role.VIEWER, this::incident).doc("One incident with its transitions"),
                Route.post("/api/v1/incidents/{id}/acknowledge", Role.OPERATOR, this::acknowledge).doc("Acknowledge an incident"),
                Route.post("/api/v1/incidents/{id}/resolve", Role.OPERATOR, this::resolve)
                        .doc("Resolve an incident with a JSON body {\"reason\": \"fixed|upstream_issue|false_positive|expected_change|other\", \"note\": \"...\"}"),
                Route.get("/api/v1/kpis", Role.VIEWER, this::kpis).doc("The platform's KPIs over a window, with the window before", "window"));
    }

    private void jobs(Context context) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Job job : operations.scheduler().jobs()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", job.name());
            view.put("command", job.command().name().toLowerCase(java.util.Locale.ROOT));
            view.put("select", job.selection().select());
            view.put("exclude", job.selection().exclude());
            view.put("selector", job.selection().selectorName().orElse(null));
            view.put("schedule", job.schedule().map(Object::toString).orElse(null));
            view.put("catch_up", job.catchUp().name().toLowerCase(java.util.Locale.ROOT));
            view.put("retries", job.retries());
            view.put("concurrency", job.concurrency());
            List<Map<String, Object>> runs = new ArrayList<>();
            for (JobRun run : operations.scheduler().runs(Optional.of(job.name()), 5)) {
                runs.add(view(run));
            }
            view.put("latest_runs", runs);
            items.add(view);
        }
        Json.write(context, 200, Map.of("items", items));
    }

    private void trigger(Context context) {
        JobRun run = operations.scheduler().trigger(context.pathParam("name"));
        context.header("Location", "/api/v1/job-runs/" + run.id());
        Json.write(context, 202, view(run));
    }

    private void jobRun(Context context) {
        String id = context.pathParam("id");
        JobRun run = operations.scheduler().run(id).orElseThrow(() -> new BatonException(ErrorCode.UNKNOWN_RECORD,
                "no job run with id '" + Params.shorten(id) + "'; list jobs and their latest runs with GET /api/v1/jobs"));
        Json.write(context, 200, view(run));
    }

    private void cancelJobRun(Context context) {
        String id = context.pathParam("id");
        if (operations.scheduler().run(id).isEmpty()) {
            throw new BatonException(ErrorCode.UNKNOWN_RECORD, "no job run with id '" + Params.shorten(id)
                    + "'; list jobs and their latest runs with GET /api/v1/jobs");
        }
        JobRun run = operations.scheduler().cancel(id);
        Json.write(context, run.state().isFinal() ? 200 : 202, view(run));
    }

    private void incidents(Context context) {
        Params.Page page = Params.page(context);
        Optional<IncidentStatus> status = Params.choice(context, "status", IncidentStatus.class);
        Optional<Integer> tier = context.queryParam("tier") == null || context.queryParam("tier").isEmpty() ? Optional.empty()
                : Optional.of(Params.integer(context, "tier", 0, 0, MAX_TIER));
        List<Map<String, Object>> items = new ArrayList<>();
        for (Incident incident : operations.incidents().list(status, tier, page.fetch(), page.offset())) {
            items.add(view(incident));
        }
        Json.write(context, 200, page.body(items));
    }

    private void incident(Context context) {
        Incident incident = find(context.pathParam("id"));
        Map<String, Object> body = view(incident);
        List<Map<String, Object>> transitions = new ArrayList<>();
        for (Transition transition : operations.incidents().transitions(incident.id())) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("at", transition.at().toString());
            view.put("from", transition.from().map(IncidentStatus::label).orElse(null));
            view.put("to", transition.to().label());
            view.put("actor", transition.actor());
            view.put("note", transition.note());
            transitions.add(view);
        }
        body.put("transitions", transitions);
        Json.write(context, 200, body);
    }

    private void acknowledge(Context context) {
        Incident incident = find(context.pathParam("id"));
        Json.write(context, 200, view(operations.incidents().acknowledge(incident.id(), actor(context))));
    }

    private void resolve(Context context) {
        Incident incident = find(context.pathParam("id"));
        JsonNode body = Json.body(context);
        String reason = text(body, "reason", "one of fixed, upstream_issue, false_positive, expected_change, other");
        String note = text(body, "note", "what was done or found");
        Json.write(context, 200, view(operations.incidents().resolve(incident.id(), actor(context), ResolutionReason.parse(reason), note)));
    }

    private void kpis(Context context) {
        String text = Params.text(context, "window").orElse("30d");
        Duration window = DurationText.parseArgument(text, "window");
        KpiReport report = operations.kpis().report(window);
        List<Map<String, Object>> values = new ArrayList<>();
        for (KpiValue value : report.values()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", value.name());
            view.put("dimension", value.dimension().orElse(null));
            view.put("unit", value.unit());
            view.put("current", value.current().orElse(null));
            view.put("previous", value.previous().orElse(null));
            view.put("change", value.change().orElse(null));
            values.add(view);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", report.from().toString());
        body.put("to", report.to().toString());
        body.put("window_seconds", report.window().toSeconds());
        body.put("values", values);
        Json.write(context, 200, body);
    }

    private Incident find(String id) {
        return operations.incidents().get(id).orElseThrow(() -> new BatonException(ErrorCode.UNKNOWN_RECORD,
                "no incident with id '" + Params.shorten(id) + "'; list incidents with GET /api/v1/incidents"));
    }

    private static String text(JsonNode body, String field, String hint) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new BatonException(ErrorCode.MALFORMED_REQUEST, "resolving an incident needs '" + field + "' (" + hint + ") in the JSON body");
        }
        return value.asText();
    }

    /** Who acts: tokens name no person, so the API records itself. */
    private static String actor(Context context) {
        return "api";
    }

    private static Map<String, Object> view(JobRun run) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", run.id());
        view.put("job", run.jobName());
        view.put("trigger", run.trigger());
        view.put("scheduled_for", run.scheduledFor().map(Instant::toString).orElse(null));
        view.put("attempt", run.attempt());
        view.put("state", run.state().label());
        view.put("queued_at", run.queuedAt().toString());
        view.put("started_at", run.startedAt().map(Instant::toString).orElse(null));
        view.put("finished_at", run.finishedAt().map(Instant::toString).orElse(null));
        view.put("run_id", run.buildRunId().orElse(null));
        view.put("message", run.message());
        return view;
    }

    private static Map<String, Object> view(Incident incident) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", incident.id());
        view.put("asset", incident.asset());
        view.put("cause", incident.cause().label());
        view.put("status", incident.status().label());
        view.put("tier", incident.tier().orElse(null));
        view.put("owner", incident.owner().orElse(null));
        view.put("runbook", incident.runbook().orElse(null));
        view.put("summary", incident.summary());
        view.put("run_id", incident.runId().orElse(null));
        view.put("opened_at", incident.openedAt().toString());
        view.put("last_seen_at", incident.lastSeenAt().toString());
        view.put("occurrences", incident.occurrences());
        view.put("acknowledged_at", incident.acknowledgedAt().map(Instant::toString).orElse(null));
        view.put("acknowledged_by", incident.acknowledgedBy().orElse(null));
        view.put("resolved_at", incident.resolvedAt().map(Instant::toString).orElse(null));
        view.put("resolved_by", incident.resolvedBy().orElse(null));
        view.put("resolution_reason", incident.resolutionReason().map(ResolutionReason::label).orElse(null));
        view.put("resolution_note", incident.resolutionNote().orElse(null));
        return view;
    }
}
