package dev.baton.server.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunStatus;
import dev.baton.server.auth.Role;
import dev.baton.server.http.Json;
import dev.baton.server.http.Params;
import dev.baton.server.http.Route;
import dev.baton.state.NodeResultRecord;
import dev.baton.state.RunRecord;
import dev.baton.state.StateStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Runs: history from the state store, and new runs through the queue. */
public final class RunRoutes {
    /** The commands that write to the warehouse, and so run in the server when one is up. */
    public static final Set<String> WRITING_COMMANDS = Set.of("build", "run", "seed", "test", "retry", "ingest");
    /** The media type of a followed run: one JSON object per line. */
    public static final String NDJSON = "application/x-ndjson";

    private final StateStore store;
    private final RunQueue queue;
    private final Path projectRoot;

    public RunRoutes(StateStore store, RunQueue queue, Path projectRoot) {
        this.store = store;
        this.queue = queue;
        this.projectRoot = projectRoot;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/runs", Role.VIEWER, this::list).doc("A page of runs, newest first", "status", "limit", "offset"),
                Route.post("/api/v1/runs", Role.OPERATOR, this::submit)
                        .doc("Queue a build, run, seed, test, retry or ingest; with 'Accept: application/x-ndjson' follow its output"),
                Route.get("/api/v1/runs/{id}", Role.VIEWER, this::show).doc("One run with its node results, each with its message and error text"),
                Route.get("/api/v1/runs/{id}/logs", Role.VIEWER, this::logs)
                        .doc("What a run the server executed printed, as plain text; 'stream' picks out or err", "stream"),
                Route.post("/api/v1/runs/{id}/cancel", Role.OPERATOR, this::cancel).doc("Cancel a queued or running run"),
                Route.get("/api/v1/check-results", Role.VIEWER, this::checkResults)
                        .doc("A page of check results of every run, newest first", "node", "status", "limit", "offset"));
    }

    private void list(Context context) {
        Params.Page page = Params.page(context);
        Optional<RunStatus> status = Params.choice(context, "status", RunStatus.class);
        List<Map<String, Object>> items = new ArrayList<>();
        for (RunRecord run : store.runs(status, page.fetch(), page.offset())) {
            items.add(view(run));
        }
        Json.write(context, 200, page.body(items));
    }

    private void show(Context context) {
        String id = context.pathParam("id");
        Optional<RunRecord> run = store.run(id);
        if (run.isPresent()) {
            Map<String, Object> body = view(run.get());
            List<Map<String, Object>> results = new ArrayList<>();
            for (NodeResultRecord result : store.nodeResults(run.get().id())) {
                results.add(view(result));
            }
            body.put("node_results", results);
            queue.find(run.get().id()).ifPresent(queued -> queued.exitCode().ifPresent(code -> body.put("exit_code", code)));
            Json.write(context, 200, body);
            return;
        }
        QueuedRun queued = queue.find(id).orElseThrow(() -> new BatonException(ErrorCode.NOT_FOUND,
                "no run '" + Params.shorten(id) + "' in the state store or the server's queue; list runs with GET /api/v1/runs"));
        Json.write(context, 200, view(queued));
    }

    private void logs(Context context) {
        String id = context.pathParam("id");
        Optional<String> stream = Params.text(context, "stream");
        if (stream.isPresent() && !stream.get().equals("out") && !stream.get().equals("err")) {
            throw new BatonException(ErrorCode.MALFORMED_REQUEST, "stream must be out or err, not '" + Params.shorten(stream.get()) + "'");
        }
        Optional<String> text = queue.find(id).map(run -> output(run, stream)).or(() -> store.runLog(id).map(log -> log.text(stream)));
        if (text.isEmpty()) {
            throw new BatonException(ErrorCode.NOT_FOUND, "no output of run '" + Params.shorten(id) + "': the server keeps what the runs it executes "
                    + "print; a run made without it has its node results and errors at GET /api/v1/runs/{id}");
        }
        context.status(200).contentType("text/plain; charset=utf-8").result(text.get());
    }

    private static String output(QueuedRun run, Optional<String> stream) {
        StringBuilder text = new StringBuilder();
        try {
            for (QueuedRun.Chunk chunk : run.output(0, 0)) {
                if (stream.isEmpty() || stream.get().equals(chunk.stream())) {
                    text.append(chunk.text());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return text.toString();
    }

    private void cancel(Context context) {
        String id = context.pathParam("id");
        QueuedRun run = queue.find(id).orElseThrow(() -> new BatonException(ErrorCode.NOT_FOUND,
                "no run '" + Params.shorten(id) + "' in the server's queue; only runs the server executes can be cancelled"));
        if (!queue.cancel(id)) {
            Json.write(context, 409, Map.of("id", id, "state", "finished", "detail", "the run has already finished"));
            return;
        }
        Json.write(context, 202, view(run));
    }

    private void checkResults(Context context) {
        Params.Page page = Params.page(context);
        Optional<NodeStatus> status = Params.choice(context, "status", NodeStatus.class);
        Optional<String> node = Params.text(context, "node");
        List<Map<String, Object>> items = new ArrayList<>();
        for (NodeResultRecord result : store.checkResults(node, status, page.fetch(), page.offset())) {
            Map<String, Object> view = view(result);
            view.put("run_id", result.runId());
            items.add(view);
        }
        Json.write(context, 200, page.body(items));
    }

    private void submit(Context context) throws IOException, InterruptedException {
        JsonNode body = Json.body(context);
        List<String> args = body.has("args") ? argsOf(body.get("args")) : argsFromFields(body);
        String command = commandOf(args);
        List<String> full = new ArrayList<>(args);
        full.add("--project-dir=" + projectRoot);
        Map<String, String> env = new LinkedHashMap<>();
        if (body.has("env")) {
            JsonNode values = body.get("env");
            if (!values.isObject()) {
                throw new BatonException(ErrorCode.MALFORMED_REQUEST, "'env' must be an object of strings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = values.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isTextual()) {
                    throw new BatonException(ErrorCode.MALFORMED_REQUEST, "'env." + Params.shorten(field.getKey()) + "' must be a string");
                }
                env.put(field.getKey(), field.getValue().asText());
            }
        }
        boolean interactive = body.path("interactive").asBoolean(false);
        QueuedRun run = queue.submit(new RunRequest(UUID.randomUUID().toString(), full, env, interactive));
        String accept = context.header("Accept");
        if (accept != null && accept.contains(NDJSON)) {
            follow(context, run);
            return;
        }
        Map<String, Object> view = view(run);
        view.put("command", command);
        context.header("Location", "/api/v1/runs/" + run.id());
        Json.write(context, 202, view);
    }

    /** Streams the run's output as it is printed, then its exit code. */
    private static void follow(Context context, QueuedRun run) throws IOException, InterruptedException {
        context.status(200).contentType(NDJSON);
        OutputStream out = context.res().getOutputStream();
        line(out, Map.of("type", "accepted", "id", run.id()));
        int next = 0;
        while (true) {
            boolean done = run.state() == QueuedRun.State.FINISHED;
            List<QueuedRun.Chunk> chunks = run.output(next, 500);
            for (QueuedRun.Chunk chunk : chunks) {
                line(out, Map.of("type", chunk.stream(), "text", chunk.text()));
            }
            next += chunks.size();
            if (done && chunks.isEmpty()) {
                break;
            }
        }
        line(out, Map.of("type", "exit", "id", run.id(), "code", run.exitCode().orElse(3)));
    }

    private static void line(OutputStream out, Map<String, Object> value) throws IOException {
        out.write((Json.text(value) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static List<String> argsOf(JsonNode node) {
        if (!node.isArray()) {
            throw new BatonException(ErrorCode.MALFORMED_REQUEST, "'args' must be an array of strings, such as [\"build\", \"-s\", \"orders+\"]");
        }
        List<String> args = new ArrayList<>();
        for (JsonNode arg : node) {
            if (!arg.isTextual()) {
                throw new BatonException(ErrorCode.MALFORMED_REQUEST, "'args' must be an array of strings, such as [\"build\", \"-s\", \"orders+\"]");
            }
            args.add(arg.asText());
        }
        return args;
    }

    private static List<String> argsFromFields(JsonNode body) {
        JsonNode command = body.get("command");
        if (command == null || !command.isTextual()) {
            throw new BatonException(ErrorCode.MALFORMED_REQUEST, "the request needs 'command' (build, run, seed, test, retry or ingest)"
                    + " and may give 'select' and 'exclude', such as {\"command\": \"build\", \"select\": \"orders+\"}");
        }
        List<String> args = new ArrayList<>(List.of(command.asText()));
        for (String field : List.of("select", "exclude")) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                if (!value.isTextual()) {
                    throw new BatonException(ErrorCode.MALFORMED_REQUEST, "'" + field + "' must be a string in the selector syntax, such as \"tag:nightly\"");
                }
                args.add("--" + field + "=" + value.asText());
            }
        }
        return args;
    }

    private static String commandOf(List<String> args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                if (!WRITING_COMMANDS.contains(arg)) {
                    break;
                }
                return arg;
            }
        }
        throw new BatonException(ErrorCode.INVALID_ARGUMENT, "the server runs build, run, seed, test, retry and ingest; '"
                + Params.shorten(String.join(" ", args)) + "' is none of them");
    }

    private static Map<String, Object> view(QueuedRun run) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", run.id());
        view.put("state", run.state().name().toLowerCase(java.util.Locale.ROOT));
        view.put("submitted_at", run.submittedAt().toString());
        run.exitCode().ifPresent(code -> view.put("exit_code", code));
        return view;
    }

    private static Map<String, Object> view(RunRecord run) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", run.id());
        view.put("command", run.command());
        view.put("project", run.project());
        view.put("target", run.target());
        view.put("status", run.status().label());
        view.put("node_count", run.nodeCount());
        view.put("threads", run.threads());
        view.put("started_at", run.startedAt().toString());
        view.put("finished_at", run.finishedAt().map(Object::toString).orElse(null));
        view.put("elapsed_ms", run.elapsed().map(java.time.Duration::toMillis).orElse(null));
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("success", run.counts().success());
        counts.put("error", run.counts().error());
        counts.put("skipped", run.counts().skipped());
        counts.put("pass", run.counts().pass());
        counts.put("fail", run.counts().fail());
        counts.put("warn", run.counts().warn());
        counts.put("cancelled", run.counts().cancelled());
        view.put("counts", counts);
        return view;
    }

    private static Map<String, Object> view(NodeResultRecord result) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("node_id", result.nodeId());
        view.put("resource_type", result.resourceType());
        view.put("relation", result.relation().orElse(null));
        view.put("status", result.status().name().toLowerCase(java.util.Locale.ROOT));
        view.put("message", result.message());
        view.put("started_at", result.startedAt().toString());
        view.put("duration_ms", result.duration().toMillis());
        view.put("rows_affected", result.rowsAffected().isPresent() ? result.rowsAffected().getAsLong() : null);
        view.put("failures", result.failures().isPresent() ? result.failures().getAsLong() : null);
        view.put("error", result.errorMessage().orElse(null));
        return view;
    }
}
