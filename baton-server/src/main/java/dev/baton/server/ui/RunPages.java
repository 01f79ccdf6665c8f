package dev.baton.server.ui;

import static dev.baton.server.ui.Html.esc;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.event.RunStatus;
import dev.baton.operations.Operations;
import dev.baton.project.Node;
import dev.baton.schedule.Job;
import dev.baton.schedule.JobRun;
import dev.baton.server.catalog.Catalog;
import dev.baton.server.run.QueuedRun;
import dev.baton.server.run.RunQueue;
import dev.baton.server.run.RunRequest;
import dev.baton.server.run.RunRoutes;
import dev.baton.state.NodeResultRecord;
import dev.baton.state.RunRecord;
import dev.baton.state.StateStore;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** The run list, one run's timeline, and starting, cancelling and re-running runs through the server's queue. */
final class RunPages {
    private static final int PAGE = 50;
    /** How many of a job's latest runs the job filter looks at. */
    private static final int JOB_RUNS = 1000;
    private static final Map<String, Duration> WINDOWS = Map.of("1h", Duration.ofHours(1), "24h", Duration.ofHours(24), "7d", Duration.ofDays(7),
            "30d", Duration.ofDays(30));

    private final Supplier<Catalog> catalog;
    private final StateStore store;
    private final RunQueue queue;
    private final Path projectRoot;
    private final Optional<Operations> operations;

    RunPages(Supplier<Catalog> catalog, StateStore store, RunQueue queue, Path projectRoot, Optional<Operations> operations) {
        this.catalog = catalog;
        this.store = store;
        this.queue = queue;
        this.projectRoot = projectRoot;
        this.operations = operations;
    }

    void list(Context context, Session session) {
        String statusText = Optional.ofNullable(context.queryParam("status")).orElse("");
        String since = Optional.ofNullable(context.queryParam("since")).orElse("");
        String job = Optional.ofNullable(context.queryParam("job")).orElse("");
        List<String> jobs = operations.map(value -> value.scheduler().jobs().stream().map(Job::name).toList()).orElse(List.of());
        if (!job.isEmpty() && !jobs.contains(job)) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "unknown job '" + GraphPage.shorten(job, 40) + "'"
                    + (jobs.isEmpty() ? "; this project has no jobs: add them under jobs: in baton.yml" : "; choose one from the list"));
        }
        int offset = Math.max(0, parse(context.queryParam("offset")));
        Optional<RunStatus> status = Optional.empty();
        if (!statusText.isEmpty()) {
            status = java.util.Arrays.stream(RunStatus.values()).filter(value -> value.label().equals(statusText)).findFirst();
            if (status.isEmpty()) {
                throw new BatonException(ErrorCode.INVALID_ARGUMENT, "unknown run status '" + GraphPage.shorten(statusText, 40) + "'; choose one from the list");
            }
        }
        if (!since.isEmpty() && !WINDOWS.containsKey(since)) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "unknown time window '" + GraphPage.shorten(since, 40) + "'; use 1h, 24h, 7d or 30d");
        }
        Optional<Instant> after = since.isEmpty() ? Optional.empty() : Optional.of(Instant.now().minus(WINDOWS.get(since)));
        List<RunRecord> page = job.isEmpty() ? store.runs(status, PAGE + 1, offset) : runsOfJob(job, status, PAGE + 1, offset);
        boolean more = page.size() > PAGE;
        List<RunRecord> shown = new ArrayList<>();
        for (RunRecord run : page.subList(0, Math.min(PAGE, page.size()))) {
            if (after.isPresent() && run.startedAt().isBefore(after.get())) {
                more = false;
                break;
            }
            shown.add(run);
        }
        StringBuilder body = new StringBuilder("<h1>Runs</h1><form class=\"filter\" method=\"get\" action=\"/runs\">");
        body.append("<label for=\"status\">Status</label><select id=\"status\" name=\"status\"><option value=\"\">any</option>");
        for (RunStatus value : RunStatus.values()) {
            body.append("<option value=\"").append(value.label()).append('"').append(value.label().equals(statusText) ? " selected" : "").append('>')
                    .append(value.label()).append("</option>");
        }
        body.append("</select><label for=\"since\">Started within</label><select id=\"since\" name=\"since\"><option value=\"\">any time</option>");
        for (String window : List.of("1h", "24h", "7d", "30d")) {
            body.append("<option value=\"").append(window).append('"').append(window.equals(since) ? " selected" : "").append('>').append(window).append("</option>");
        }
        body.append("</select>");
        if (!jobs.isEmpty()) {
            body.append("<label for=\"job\">Job</label><select id=\"job\" name=\"job\"><option value=\"\">any run</option>");
            for (String name : jobs) {
                body.append("<option value=\"").append(esc(name)).append('"').append(name.equals(job) ? " selected" : "").append('>').append(esc(name)).append("</option>");
            }
            body.append("</select>");
        }
        body.append("<button type=\"submit\">Filter</button></form>");
        if (shown.isEmpty()) {
            body.append("<p class=\"empty\">No runs match.</p>");
        } else {
            body.append("<table id=\"runs\"><thead><tr><th>Run</th><th>Command</th><th>Status</th><th>Started</th><th>Duration</th><th>Nodes</th>")
                    .append("<th>Success</th><th>Errors</th><th>Checks passed</th><th>Checks failed</th></tr></thead><tbody>");
            for (RunRecord run : shown) {
                body.append("<tr class=\"run\" data-run-id=\"").append(esc(run.id())).append("\"><td><a href=\"/runs/").append(esc(Html.url(run.id())))
                        .append("\"><code>").append(esc(run.id().substring(0, Math.min(8, run.id().length())))).append("</code></a></td><td>")
                        .append(esc(shownCommand(run))).append("</td><td>").append(Html.status(run.status().label())).append("</td><td>")
                        .append(Html.time(run.startedAt())).append("</td><td class=\"num\">").append(run.elapsed().map(Html::duration).orElse("—"))
                        .append("</td><td class=\"num\">").append(run.nodeCount()).append("</td><td class=\"num\">").append(run.counts().success())
                        .append("</td><td class=\"num\">").append(run.counts().error()).append("</td><td class=\"num\">").append(run.counts().pass())
                        .append("</td><td class=\"num\">").append(run.counts().fail()).append("</td></tr>");
            }
            body.append("</tbody></table>");
        }
        if (more) {
            body.append("<p><a class=\"button secondary\" href=\"/runs?status=").append(esc(Html.url(statusText))).append("&since=").append(esc(Html.url(since)))
                    .append("&job=").append(esc(Html.url(job))).append("&offset=").append(offset + PAGE).append("\">Older runs</a></p>");
        }
        WebUi.html(context, 200, Layout.page(session, "/runs", "Runs", body.toString()));
    }

    /** The build runs a job started, newest first, as the state store has them. */
    private List<RunRecord> runsOfJob(String job, Optional<RunStatus> status, int limit, int offset) {
        List<RunRecord> runs = new ArrayList<>();
        for (JobRun run : operations.orElseThrow().scheduler().runs(Optional.of(job), JOB_RUNS)) {
            run.buildRunId().flatMap(store::run).filter(record -> status.isEmpty() || record.status() == status.get()).ifPresent(runs::add);
        }
        runs.sort(Comparator.comparing(RunRecord::startedAt).reversed());
        return runs.subList(Math.min(offset, runs.size()), Math.min(offset + limit, runs.size()));
    }

    void show(Context context, Session session) {
        String id = context.pathParam("id");
        StringBuilder body = new StringBuilder("<h1>Run <code>").append(esc(GraphPage.shorten(id, 40))).append("</code></h1>");
        body.append("<div id=\"run-live\">").append(live(id, session)).append("</div>");
        WebUi.html(context, 200, Layout.page(session, "/runs", "Run " + GraphPage.shorten(id, 12), body.toString()));
    }

    void live(Context context, Session session) {
        WebUi.html(context, 200, live(context.pathParam("id"), session));
    }

    /** The part of the run page that refreshes itself while the run goes on. */
    private String live(String id, Session session) {
        Optional<RunRecord> record = store.run(id);
        Optional<QueuedRun> queued = queue.find(record.map(RunRecord::id).orElse(id));
        if (record.isEmpty() && queued.isEmpty()) {
            throw new BatonException(ErrorCode.NOT_FOUND, "no run '" + GraphPage.shorten(id, 60) + "' in the state store or the server's queue");
        }
        boolean going = queued.map(run -> run.state() != QueuedRun.State.FINISHED).orElse(false)
                || record.map(run -> run.status() == RunStatus.RUNNING && queued.isPresent()).orElse(false);
        StringBuilder html = new StringBuilder();
        if (going) {
            html.append("<div hx-get=\"/runs/").append(esc(Html.url(id))).append("/live\" hx-trigger=\"every 1s\" hx-target=\"#run-live\" hx-swap=\"innerHTML\"></div>");
        }
        String state = record.map(run -> run.status().label())
                .orElse(queued.get().state().name().toLowerCase(Locale.ROOT));
        if (record.isPresent() && record.get().status() == RunStatus.RUNNING && queued.isPresent() && queued.get().state() == QueuedRun.State.FINISHED) {
            state = "finishing";
        }
        html.append("<dl class=\"facts\" id=\"run-facts\"><dt>Status</dt><dd id=\"run-status\" data-state=\"").append(going ? "going" : "done").append("\">")
                .append(Html.status(state)).append("</dd>");
        record.ifPresent(run -> html.append("<dt>Command</dt><dd>").append(esc(shownCommand(run))).append("</dd><dt>Started</dt><dd>")
                .append(Html.time(run.startedAt())).append("</dd><dt>Duration</dt><dd>").append(run.elapsed().map(Html::duration).orElse("running"))
                .append("</dd><dt>Threads</dt><dd>").append(run.threads()).append("</dd><dt>Nodes</dt><dd>").append(run.nodeCount()).append("</dd>"));
        queued.ifPresent(run -> html.append("<dt>Submitted</dt><dd>").append(Html.time(run.submittedAt())).append(" as <code>baton ")
                .append(esc(String.join(" ", commandLine(run.request())))).append("</code></dd>"));
        queued.flatMap(run -> run.exitCode().isPresent() ? Optional.of(run.exitCode().getAsInt()) : Optional.empty())
                .ifPresent(code -> html.append("<dt>Exit code</dt><dd id=\"exit-code\">").append(code).append("</dd>"));
        html.append("</dl>");
        if (session.mayOperate()) {
            html.append("<div class=\"actions\">");
            if (going) {
                html.append("<form method=\"post\" action=\"/runs/").append(esc(Html.url(id))).append("/cancel\"><button id=\"cancel-run\" class=\"operator danger\"")
                        .append(" type=\"submit\">Cancel run</button></form>");
            } else if (queued.isPresent() || record.flatMap(RunPages::storedCommandLine).isPresent()) {
                html.append("<form method=\"post\" action=\"/runs/").append(esc(Html.url(id))).append("/rerun\"><button id=\"rerun\" class=\"operator\"")
                        .append(" type=\"submit\">Run again: baton ").append(esc(rerunLabel(queued, record))).append("</button></form>");
            }
            html.append("</div>");
        }
        if (record.isPresent()) {
            html.append(timeline(record.get(), store.nodeResults(record.get().id()), masked(session)));
        }
        queued.ifPresent(run -> html.append(output(run, masked(session))));
        return html.toString();
    }

    /** The columns whose sample values this session sees masked: the project's PII columns for viewers, none for operators. */
    private java.util.Set<String> masked(Session session) {
        return session.mayOperate() ? java.util.Set.of() : Samples.piiColumns(catalog.get().project());
    }

    private String timeline(RunRecord run, List<NodeResultRecord> results, java.util.Set<String> pii) {
        if (results.isEmpty()) {
            return "<p class=\"empty\">No node has finished yet.</p>";
        }
        List<NodeResultRecord> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing(NodeResultRecord::startedAt));
        Instant start = run.startedAt();
        Instant end = start;
        for (NodeResultRecord result : sorted) {
            Instant finished = result.startedAt().plus(result.duration());
            if (finished.isAfter(end)) {
                end = finished;
            }
            if (result.startedAt().isBefore(start)) {
                start = result.startedAt();
            }
        }
        double span = Math.max(1, Duration.between(start, end).toMillis());
        int parallel = maxParallel(sorted);
        Catalog current = catalog.get();
        StringBuilder html = new StringBuilder("<h2>Timeline</h2><p class=\"muted\" id=\"parallelism\">")
                .append(sorted.size()).append(" nodes over ").append(Html.duration(Duration.between(start, end))).append("; at most ")
                .append(parallel).append(" at once</p><table class=\"timeline\" id=\"timeline\"><thead><tr><th>Node</th><th>Status</th><th>Rows</th>")
                .append("<th>Duration</th><th class=\"bar-cell\">Time</th></tr></thead><tbody>");
        for (NodeResultRecord result : sorted) {
            double left = Duration.between(start, result.startedAt()).toMillis() / span * 100;
            double width = Math.max(0.6, result.duration().toMillis() / span * 100);
            Node node = current.project().nodes().get(result.nodeId());
            String name = node == null ? result.nodeId() : node.name();
            Optional<dev.baton.api.event.NodeStatus> status = Optional.of(result.status());
            html.append("<tr class=\"node-result\" data-node-id=\"").append(esc(result.nodeId())).append("\" data-status=\"")
                    .append(result.status().name().toLowerCase(Locale.ROOT)).append("\"><td>");
            if (node != null && node.resourceType() != dev.baton.project.ResourceType.TEST) {
                html.append("<a href=\"/nodes/").append(esc(Html.url(result.nodeId()))).append("\">").append(esc(name)).append("</a>");
            } else {
                html.append(esc(name));
            }
            html.append(" <span class=\"muted small\">").append(esc(result.resourceType())).append("</span></td><td>").append(Html.status(status))
                    .append("</td><td class=\"num\">").append(result.rowsAffected().isPresent() ? String.valueOf(result.rowsAffected().getAsLong()) : "—")
                    .append("</td><td class=\"num\">").append(Html.duration(result.duration())).append("</td><td class=\"bar-cell\"><div class=\"track\">")
                    .append(String.format(Locale.ROOT, "<div class=\"bar st-%s\" style=\"left:%.2f%%;width:%.2f%%\"></div>", Html.cssClass(status), left,
                            Math.min(width, 100 - left)))
                    .append("</div></td></tr>");
            result.errorMessage().ifPresent(error -> html.append("<tr class=\"error-row\"><td colspan=\"5\"><pre class=\"error\">").append(esc(Samples.mask(error, pii)))
                    .append("</pre></td></tr>"));
        }
        return html.append("</tbody></table>").toString();
    }

    static int maxParallel(List<NodeResultRecord> results) {
        List<long[]> events = new ArrayList<>();
        for (NodeResultRecord result : results) {
            long begin = result.startedAt().toEpochMilli();
            events.add(new long[] {begin, 1});
            events.add(new long[] {begin + Math.max(1, result.duration().toMillis()), -1});
        }
        events.sort(Comparator.<long[]>comparingLong(event -> event[0]).thenComparingLong(event -> event[1]));
        int current = 0;
        int max = 0;
        for (long[] event : events) {
            current += (int) event[1];
            max = Math.max(max, current);
        }
        return max;
    }

    private static String output(QueuedRun run, java.util.Set<String> pii) {
        StringBuilder text = new StringBuilder();
        try {
            for (QueuedRun.Chunk chunk : run.output(0, 0)) {
                text.append(chunk.text());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (text.length() == 0) {
            return "";
        }
        return "<h2>Log</h2><pre class=\"log\" id=\"run-log\">" + esc(Samples.mask(text.toString(), pii)) + "</pre>";
    }

    void trigger(Context context, Session session) {
        String command = Optional.ofNullable(context.formParam("command")).orElse("build");
        if (!RunRoutes.WRITING_COMMANDS.contains(command) || command.equals("retry") || command.equals("ingest")) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "the UI starts build, run, seed and test; '" + GraphPage.shorten(command, 40) + "' is none of them");
        }
        List<String> args = new ArrayList<>(List.of(command));
        String select = Optional.ofNullable(context.formParam("select")).orElse("").strip();
        if (!select.isEmpty()) {
            args.add("--select=" + select);
        }
        QueuedRun run = submit(args);
        context.redirect("/runs/" + Html.url(run.id()));
    }

    void cancel(Context context, Session session) {
        String id = context.pathParam("id");
        if (queue.find(id).isEmpty()) {
            throw new BatonException(ErrorCode.NOT_FOUND, "no run '" + GraphPage.shorten(id, 60) + "' in the server's queue; only runs the server executes can be cancelled");
        }
        queue.cancel(id);
        context.redirect("/runs/" + Html.url(id));
    }

    void rerun(Context context, Session session) {
        String id = context.pathParam("id");
        Optional<QueuedRun> queued = queue.find(id);
        List<String> args;
        if (queued.isPresent()) {
            args = commandLine(queued.get().request());
        } else {
            RunRecord record = store.run(id).orElseThrow(() -> new BatonException(ErrorCode.NOT_FOUND, "no run '" + GraphPage.shorten(id, 60) + "'"));
            args = storedCommandLine(record).orElseThrow(() -> new BatonException(ErrorCode.INVALID_ARGUMENT, "run " + record.id() + " was '"
                    + GraphPage.shorten(record.command(), 80) + "', which the server does not run; it runs build, run, seed, test, retry and ingest"));
        }
        QueuedRun run = submit(args);
        context.redirect("/runs/" + Html.url(run.id()));
    }

    private QueuedRun submit(List<String> args) {
        List<String> full = new ArrayList<>(args);
        full.add("--project-dir=" + projectRoot);
        return queue.submit(new RunRequest(UUID.randomUUID().toString(), full, Map.of(), false));
    }

    /** A queued run's command line without the project folder the server adds. */
    private static List<String> commandLine(RunRequest request) {
        List<String> args = new ArrayList<>();
        for (String arg : request.args()) {
            if (!arg.startsWith("--project-dir=")) {
                args.add(arg);
            }
        }
        return args;
    }

    private static String rerunLabel(Optional<QueuedRun> queued, Optional<RunRecord> record) {
        return queued.map(run -> String.join(" ", commandLine(run.request()))).orElseGet(() -> String.join(" ", storedCommandLine(record.get()).get()));
    }

    /** A stored run's command without the project folder, which is the same for every run here. */
    static String shownCommand(RunRecord run) {
        String[] words = run.command().strip().split("\\s+");
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            if (words[i].equals("--project-dir")) {
                i++;
            } else if (!words[i].startsWith("--project-dir=")) {
                shown.add(words[i]);
            }
        }
        return String.join(" ", shown);
    }

    /** The command line a stored run was started with (recorded as {@code baton build --select=...}), when the server may run it again. */
    static Optional<List<String>> storedCommandLine(RunRecord run) {
        String text = run.command().strip();
        if (text.startsWith("baton ")) {
            text = text.substring("baton ".length()).strip();
        }
        List<String> args = new ArrayList<>();
        String[] words = text.split("\\s+");
        for (int i = 0; i < words.length; i++) {
            if (words[i].equals("--project-dir")) {
                i++;
            } else if (!words[i].isEmpty() && !words[i].startsWith("--project-dir=")) {
                args.add(words[i]);
            }
        }
        if (args.isEmpty() || !RunRoutes.WRITING_COMMANDS.contains(args.get(0)) || text.contains("\"") || text.contains("'")) {
            return Optional.empty();
        }
        return Optional.of(args);
    }

    private static int parse(String text) {
        if (text == null) {
            return 0;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
