package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the server watches by itself: freshness SLAs and source-freshness sensors (read through its run queue), job-run cancels, run logs, metrics. */
class ServerMonitoringTest {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)$");

    @TempDir
    Path temp;

    /** A shop whose source app.events has a tier-0 freshness SLA of one hour, and a job that its loaded_at starts. */
    private Path monitoredShop(int hoursOld) throws Exception {
        Path root = ServerFixture.shop(temp.resolve("shop"));
        Files.writeString(root.resolve("baton.yml"), """
                name: shop
                jobs:
                  - name: on_new_events
                    select: +orders
                    sensors:
                      - source: app.events
                """);
        Files.writeString(root.resolve("models/sources.yml"), """
                version: 2
                sources:
                  - name: app
                    schema: main
                    loaded_at_field: loaded_at
                    freshness:
                      error_after: {count: 1, period: hour}
                    tables:
                      - name: events
                        meta: {tier: 0, owner: platform}
                """);
        String schema = Files.readString(root.resolve("models/schema.yml"));
        Files.writeString(root.resolve("models/schema.yml"), schema.substring(0, schema.indexOf("sources:")) + schema.substring(schema.indexOf("models:")));
        writeEvents(root, hoursOld);
        Cli.Result seed = Cli.run("seed", "--project-dir", root.toString());
        assertThat(seed.exitCode()).as(seed.toString()).isZero();
        return root;
    }

    private static void writeEvents(Path root, int hoursOld) throws Exception {
        LocalDateTime loaded = LocalDateTime.now(ZoneOffset.UTC).minusHours(hoursOld);
        Files.writeString(root.resolve("seeds/events.csv"), "event_id,loaded_at\n1," + TIMESTAMP.format(loaded.minusMinutes(5)) + "\n2,"
                + TIMESTAMP.format(loaded) + "\n");
    }

    private static JsonNode await(ServerFixture fixture, String path, String token, Predicate<JsonNode> done, String what) throws InterruptedException {
        JsonNode last = null;
        for (int i = 0; i < 300; i++) {
            last = fixture.get(path, token).json();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + "; last answer: " + last);
    }

    /** The samples of a Prometheus text exposition, keyed by name and labels as written. */
    static Map<String, Double> samples(String exposition) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher matcher = SAMPLE.matcher(line);
            assertThat(matcher.matches()).as("a Prometheus sample line: " + line).isTrue();
            samples.put(matcher.group(1) + (matcher.group(2) == null ? "" : matcher.group(2)), Double.parseDouble(matcher.group(4)));
        }
        return samples;
    }

    private static boolean cursorSet(Path root) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + root.resolve(".baton/state.db"));
                PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM baton_job_cursors WHERE cursor_key LIKE 'source_freshness:%'");
                ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getInt(1) > 0;
        }
    }

    @Test
    void anSlaBreachOpensAnIncidentThatResolvesItselfWhenTheSourceIsFreshAndTheSensorStartsTheJob() throws Exception {
        Path root = monitoredShop(3);
        String viewer = ServerFixture.token(root, "viewer");
        String operator = ServerFixture.token(root, "operator");
        try (ServerFixture fixture = new ServerFixture(root)) {
            JsonNode breached = await(fixture, "/api/v1/incidents?status=new", viewer, body -> body.get("items").size() > 0,
                    "no incident opened for the stale source").get("items").get(0);
            assertThat(breached.get("asset").asText()).isEqualTo("source.shop.app.events");
            assertThat(breached.get("cause").asText()).isEqualTo("sla_breach");
            assertThat(breached.get("tier").asInt()).isZero();
            assertThat(breached.get("summary").asText()).isEqualTo("source.shop.app.events is 3 hours old; error after 60 minutes");

            Map<String, Double> stale = samples(fixture.get("/metrics", viewer).body());
            assertThat(stale.get("baton_freshness_lag_seconds{tier=\"0\"}")).isBetween(3 * 3600.0 - 5, 3 * 3600.0 + 120);
            assertThat(stale).containsEntry("baton_incidents_open{tier=\"0\"}", 1.0).containsEntry("baton_incidents_open{tier=\"1\"}", 0.0)
                    .containsEntry("baton_incidents_open{tier=\"2\"}", 0.0);

            for (int i = 0; i < 100 && !cursorSet(root); i++) {
                Thread.sleep(100);
            }
            assertThat(cursorSet(root)).as("the sensor read the source's newest loaded_at").isTrue();
            assertThat(fixture.get("/api/v1/jobs", viewer).json().get("items").get(0).get("latest_runs")).isEmpty();

            writeEvents(root, 0);
            ServerFixture.Response seeded = fixture.post("/api/v1/runs", operator, "{\"command\": \"seed\", \"select\": \"events\"}");
            assertThat(seeded.status()).as(seeded.body()).isEqualTo(202);
            assertThat(ServerRunsTest.awaitFinished(fixture, seeded.json().get("id").asText(), viewer).get("exit_code").asInt()).isZero();

            JsonNode resolved = await(fixture, "/api/v1/incidents/" + breached.get("id").asText(), viewer,
                    body -> body.get("status").asText().equals("resolved"), "the incident did not resolve itself");
            assertThat(resolved.get("resolved_by").asText()).isEqualTo("baton");

            JsonNode job = await(fixture, "/api/v1/jobs", viewer, body -> body.get("items").get(0).get("latest_runs").size() > 0,
                    "the sensor did not start the job").get("items").get(0);
            JsonNode sensed = job.get("latest_runs").get(0);
            assertThat(sensed.get("trigger").asText()).isEqualTo("sensor:source_freshness:source.shop.app.events");
            JsonNode finished = ServerOperationsTest.awaitJobRun(fixture, sensed.get("id").asText(), viewer);
            assertThat(finished.get("state").asText()).as(finished.toString()).isEqualTo("succeeded");

            Map<String, Double> fresh = samples(fixture.get("/metrics", viewer).body());
            assertThat(fresh.get("baton_freshness_lag_seconds{tier=\"0\"}")).isLessThan(600.0);
            assertThat(fresh).containsEntry("baton_incidents_open{tier=\"0\"}", 0.0);
            assertThat(fixture.get("/api/v1/incidents?status=new", viewer).json().get("items")).isEmpty();
        }
    }

    @Test
    void aBadMonitorIntervalStopsServeWithAClearError() {
        Path root = ServerFixture.shop(temp.resolve("shop"));
        Cli.Result words = Cli.run("serve", "--port", "0", "--monitor-interval", "soon", "--project-dir", root.toString());
        assertThat(words.exitCode()).isEqualTo(2);
        assertThat(words.err().strip()).isEqualTo("error: --monitor-interval must be a duration such as 30s, 5m, 2h or 30d, not 'soon'");
        Cli.Result zero = Cli.run("serve", "--port", "0", "--monitor-interval", "0s", "--project-dir", root.toString());
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err().strip()).isEqualTo("error: --monitor-interval must be longer than 0s; the SLA monitor needs time between evaluations, "
                + "such as 30s or 1m");
        assertThat(root.resolve(".baton/server.json")).doesNotExist();
    }

    @Test
    void aJobRunIsCancelledQueuedOrRunningAndFreesItsConcurrencySlot() throws Exception {
        Path root = Cli.project(temp.resolve("slow"),
                "baton.yml", "name: p\njobs:\n  - name: slow_job\n    select: slow\n",
                "models/slow.sql", "{{ config(materialized='table') }}\nselect count(*) as n from range(500000000000)\n");
        String viewer = ServerFixture.token(root, "viewer");
        String operator = ServerFixture.token(root, "operator");
        try (ServerFixture fixture = new ServerFixture(root)) {
            String first = fixture.post("/api/v1/jobs/slow_job/runs", operator, "{}").json().get("id").asText();
            await(fixture, "/api/v1/runs?status=running", viewer, body -> body.get("items").size() > 0, "the job's build did not start");
            String second = fixture.post("/api/v1/jobs/slow_job/runs", operator, "{}").json().get("id").asText();
            assertThat(fixture.get("/api/v1/job-runs/" + second, viewer).json().get("state").asText()).isEqualTo("queued");

            assertThat(fixture.post("/api/v1/job-runs/" + second + "/cancel", viewer, "").status()).isEqualTo(403);
            ServerFixture.Response queuedCancel = fixture.post("/api/v1/job-runs/" + second + "/cancel", operator, "");
            assertThat(queuedCancel.status()).as(queuedCancel.body()).isEqualTo(200);
            assertThat(queuedCancel.json().get("state").asText()).isEqualTo("cancelled");
            assertThat(queuedCancel.json().get("message").asText()).isEqualTo("cancelled before it started");

            ServerFixture.Response runningCancel = fixture.post("/api/v1/job-runs/" + first + "/cancel", operator, "");
            assertThat(runningCancel.status()).as(runningCancel.body()).isEqualTo(202);
            JsonNode cancelled = ServerOperationsTest.awaitJobRun(fixture, first, viewer);
            assertThat(cancelled.get("state").asText()).as(cancelled.toString()).isEqualTo("cancelled");
            assertThat(cancelled.get("message").asText()).startsWith("cancelled: run ").endsWith(" was cancelled");
            JsonNode build = ServerRunsTest.awaitFinished(fixture, cancelled.get("run_id").asText(), viewer);
            assertThat(build.get("status").asText()).isEqualTo("cancelled");
            assertThat(build.get("exit_code").asInt()).isEqualTo(130);

            ServerFixture.Response again = fixture.post("/api/v1/job-runs/" + first + "/cancel", operator, "");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.json().get("detail").asText()).isEqualTo("job run '" + first + "' already ended cancelled; "
                    + "only a queued or running run can be cancelled");
            ServerFixture.Response unknown = fixture.post("/api/v1/job-runs/no-such-run/cancel", operator, "");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().get("detail").asText()).isEqualTo("no job run with id 'no-such-run'; list jobs and their latest runs with GET /api/v1/jobs");

            // The job allows one run at a time: a third starts only if the cancelled ones gave their slot back.
            String third = fixture.post("/api/v1/jobs/slow_job/runs", operator, "{}").json().get("id").asText();
            await(fixture, "/api/v1/job-runs/" + third, viewer, body -> body.get("state").asText().equals("running"), "the third run did not start");
            assertThat(fixture.post("/api/v1/job-runs/" + third + "/cancel", operator, "").status()).isEqualTo(202);
            assertThat(ServerOperationsTest.awaitJobRun(fixture, third, viewer).get("state").asText()).isEqualTo("cancelled");
        }
    }

    @Test
    void aRunsOutputIsServedAsItsLogAlsoAfterARestart() throws Exception {
        Path root = ServerFixture.shop(temp.resolve("shop"));
        Files.writeString(root.resolve("models/broken.sql"), "select nope from {{ ref('orders') }}\n");
        String viewer = ServerFixture.token(root, "viewer");
        String operator = ServerFixture.token(root, "operator");
        String id;
        String log;
        try (ServerFixture fixture = new ServerFixture(root)) {
            id = fixture.post("/api/v1/runs", operator, "{\"command\": \"build\"}").json().get("id").asText();
            JsonNode run = ServerRunsTest.awaitFinished(fixture, id, viewer);
            assertThat(run.get("exit_code").asInt()).isEqualTo(1);
            JsonNode broken = null;
            for (JsonNode result : run.get("node_results")) {
                if (result.get("node_id").asText().equals("model.shop.broken")) {
                    broken = result;
                }
            }
            assertThat(broken).isNotNull();
            assertThat(broken.get("status").asText()).isEqualTo("error");
            assertThat(broken.get("error").asText()).contains("nope");

            ServerFixture.Response logs = fixture.get("/api/v1/runs/" + id + "/logs", viewer);
            assertThat(logs.status()).as(logs.body()).isEqualTo(200);
            assertThat(logs.contentType()).startsWith("text/plain");
            log = logs.body();
            assertThat(log).contains("ERROR creating view model main.broken").contains("Referenced column \"nope\" not found").contains("Done. PASS=7 WARN=0 ERROR=1");
            String err = fixture.get("/api/v1/runs/" + id + "/logs?stream=err", viewer).body();
            String out = fixture.get("/api/v1/runs/" + id + "/logs?stream=out", viewer).body();
            assertThat(out).contains("orders");
            assertThat(out.length() + err.length()).isEqualTo(log.length());

            ServerFixture.Response badStream = fixture.get("/api/v1/runs/" + id + "/logs?stream=both", viewer);
            assertThat(badStream.status()).isEqualTo(400);
            assertThat(badStream.json().get("detail").asText()).isEqualTo("stream must be out or err, not 'both'");
            ServerFixture.Response unknown = fixture.get("/api/v1/runs/no-such-run/logs", viewer);
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().get("detail").asText()).isEqualTo("no output of run 'no-such-run': the server keeps what the runs it executes print; "
                    + "a run made without it has its node results and errors at GET /api/v1/runs/{id}");
        }
        try (ServerFixture restarted = new ServerFixture(root)) {
            ServerFixture.Response kept = restarted.get("/api/v1/runs/" + id + "/logs", viewer);
            assertThat(kept.status()).as(kept.body()).isEqualTo(200);
            assertThat(kept.body()).isEqualTo(log);
        }
    }
}
