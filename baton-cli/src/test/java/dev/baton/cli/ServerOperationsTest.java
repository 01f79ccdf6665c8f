package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler's jobs, incidents and KPIs over the server's API. */
class ServerOperationsTest {
    @TempDir
    Path temp;

    static JsonNode awaitJobRun(ServerFixture fixture, String id, String token) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonNode run = fixture.get("/api/v1/job-runs/" + id, token).json();
            String state = run.path("state").asText();
            if (!state.equals("queued") && !state.equals("running")) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job run " + id + " did not finish");
    }

    private static List<String> texts(JsonNode items, String field) {
        List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(item.path(field).asText()));
        return values;
    }

    @Test
    void jobsRunThroughTheQueueAndAFailureIsAnIncidentToAcknowledgeAndResolve() throws Exception {
        Path root = ServerFixture.shop(temp.resolve("shop"));
        Files.writeString(root.resolve("baton.yml"), """
                name: shop
                jobs:
                  - name: orders_job
                    select: +orders
                  - name: broken_job
                    select: broken
                """);
        Files.writeString(root.resolve("models/broken.sql"), "select * from no_such_table\n");
        String viewer = ServerFixture.token(root, "viewer");
        String operator = ServerFixture.token(root, "operator");
        try (ServerFixture fixture = new ServerFixture(root)) {
            ServerFixture.Response jobs = fixture.get("/api/v1/jobs", viewer);
            assertThat(jobs.status()).as(jobs.body()).isEqualTo(200);
            assertThat(texts(jobs.json().get("items"), "name")).containsExactly("orders_job", "broken_job");
            assertThat(fixture.post("/api/v1/jobs/orders_job/runs", viewer, "{}").status()).isEqualTo(403);

            ServerFixture.Response triggered = fixture.post("/api/v1/jobs/orders_job/runs", operator, "{}");
            assertThat(triggered.status()).as(triggered.body()).isEqualTo(202);
            assertThat(triggered.json().get("trigger").asText()).isEqualTo("manual");
            JsonNode done = awaitJobRun(fixture, triggered.json().get("id").asText(), viewer);
            assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("succeeded");
            JsonNode build = ServerRunsTest.awaitFinished(fixture, done.get("run_id").asText(), viewer);
            assertThat(build.get("exit_code").asInt()).isZero();
            assertThat(texts(build.get("node_results"), "status")).containsExactlyInAnyOrder("success", "success", "success", "pass", "pass");

            ServerFixture.Response unknown = fixture.post("/api/v1/jobs/orders_jbo/runs", operator, "{}");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().get("detail").asText()).startsWith("unknown job 'orders_jbo'");

            assertThat(fixture.get("/api/v1/incidents", viewer).json().get("items")).isEmpty();
            JsonNode failed = awaitJobRun(fixture, fixture.post("/api/v1/jobs/broken_job/runs", operator, "{}").json().get("id").asText(), viewer);
            assertThat(failed.get("state").asText()).as(failed.toString()).isEqualTo("failed");

            JsonNode incidents = fixture.get("/api/v1/incidents?status=new", viewer).json().get("items");
            assertThat(incidents).hasSize(1);
            JsonNode incident = incidents.get(0);
            assertThat(incident.get("asset").asText()).contains("broken");
            assertThat(incident.get("cause").asText()).isEqualTo("run_failure");
            String id = incident.get("id").asText();
            assertThat(fixture.get("/api/v1/incidents/no-such-incident", viewer).status()).isEqualTo(404);

            ServerFixture.Response noReason = fixture.post("/api/v1/incidents/" + id + "/resolve", operator, "{\"note\": \"fixed the table\"}");
            assertThat(noReason.status()).isEqualTo(400);
            assertThat(noReason.json().get("detail").asText()).isEqualTo("resolving an incident needs 'reason' (one of fixed, upstream_issue, "
                    + "false_positive, expected_change, other) in the JSON body");
            ServerFixture.Response noNote = fixture.post("/api/v1/incidents/" + id + "/resolve", operator, "{\"reason\": \"fixed\"}");
            assertThat(noNote.status()).isEqualTo(400);
            assertThat(noNote.json().get("detail").asText()).isEqualTo("resolving an incident needs 'note' (what was done or found) in the JSON body");

            assertThat(fixture.post("/api/v1/incidents/" + id + "/acknowledge", viewer, "{}").status()).isEqualTo(403);
            ServerFixture.Response acknowledged = fixture.post("/api/v1/incidents/" + id + "/acknowledge", operator, "{}");
            assertThat(acknowledged.status()).as(acknowledged.body()).isEqualTo(200);
            assertThat(acknowledged.json().get("status").asText()).isEqualTo("acknowledged");
            ServerFixture.Response resolved = fixture.post("/api/v1/incidents/" + id + "/resolve", operator,
                    "{\"reason\": \"fixed\", \"note\": \"created the missing table\"}");
            assertThat(resolved.status()).as(resolved.body()).isEqualTo(200);
            assertThat(resolved.json().get("status").asText()).isEqualTo("resolved");
            assertThat(resolved.json().get("resolution_reason").asText()).isEqualTo("fixed");
            assertThat(fixture.post("/api/v1/incidents/" + id + "/acknowledge", operator, "{}").status()).isEqualTo(409);

            JsonNode shown = fixture.get("/api/v1/incidents/" + id, viewer).json();
            assertThat(texts(shown.get("transitions"), "to")).containsExactly("new", "acknowledged", "resolved");
            assertThat(fixture.get("/api/v1/incidents?status=resolved", viewer).json().get("items")).hasSize(1);
            assertThat(fixture.get("/api/v1/incidents?status=new", viewer).json().get("items")).isEmpty();
        }
    }

    @Test
    void aBadJobInTheProjectFileStopsServeWithItsLine() throws Exception {
        Path root = ServerFixture.shop(temp.resolve("shop"));
        Files.writeString(root.resolve("baton.yml"), "name: shop\njobs:\n  - name: nightly\n    schedule: \"every night\"\n");
        Cli.Result serve = Cli.run("serve", "--port", "0", "--project-dir", root.toString());
        assertThat(serve.exitCode()).isEqualTo(2);
        assertThat(serve.err().strip()).isEqualTo("error: baton.yml:4:15: invalid cron expression 'every night': Cron expression contains 2 parts "
                + "but we expect one of [5]; write five fields: minute hour day-of-month month day-of-week, such as '0 2 * * *' for 02:00 every day");
        assertThat(root.resolve(".baton/server.json")).doesNotExist();
    }

    @Test
    void kpisAreServedForAWindow() {
        Path root = ServerFixture.shop(temp.resolve("shop"));
        String viewer = ServerFixture.token(root, "viewer");
        try (ServerFixture fixture = new ServerFixture(root)) {
            ServerFixture.Response kpis = fixture.get("/api/v1/kpis?window=7d", viewer);
            assertThat(kpis.status()).as(kpis.body()).isEqualTo(200);
            assertThat(kpis.json().get("window_seconds").asLong()).isEqualTo(7 * 24 * 3600);
            assertThat(texts(kpis.json().get("values"), "name")).contains("pipeline_success_rate", "check_coverage", "documentation_completeness");
            ServerFixture.Response bad = fixture.get("/api/v1/kpis?window=soon", viewer);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(fixture.get("/api/v1/openapi.json", viewer).body()).contains("/api/v1/jobs/{name}/runs", "/api/v1/incidents/{id}/resolve",
                    "/api/v1/kpis", "/api/v1/job-runs/{id}/cancel", "/api/v1/runs/{id}/logs");
        }
    }
}
