package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.server.DiscoveryFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs executed by the server: through the API, by the command line's delegation, cancelled, and at shutdown. */
class ServerRunsTest {
    @TempDir
    Path temp;

    /** A run's output with the clock and durations taken out. */
    static String normalized(String output) {
        return output.replaceAll("\\d\\d:\\d\\d:\\d\\d", "HH:MM:SS").replaceAll("\\d+\\.\\d+", "N");
    }

    static JsonNode awaitFinished(ServerFixture fixture, String id, String token) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonNode run = fixture.get("/api/v1/runs/" + id, token).json();
            if (run.has("exit_code")) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " did not finish");
    }

    static JsonNode awaitRunning(ServerFixture fixture, String id, String token) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonNode run = fixture.get("/api/v1/runs/" + id, token).json();
            if (run.path("node_results").size() > 0 || "running".equals(run.path("status").asText())) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " did not start");
    }

    @Test
    void anOperatorTriggersABuildThatTheServerExecutes() throws Exception {
        Path root = ServerFixture.shop(temp.resolve("shop"));
        String operator = ServerFixture.token(root, "operator");
        try (ServerFixture fixture = new ServerFixture(root)) {
            ServerFixture.Response accepted = fixture.post("/api/v1/runs", operator, "{\"command\": \"build\", \"select\": \"+orders\"}");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            String id = accepted.json().get("id").asText();
            assertThat(accepted.json().get("command").asText()).isEqualTo("build");
            JsonNode run = awaitFinished(fixture, id, operator);
            assertThat(run.get("exit_code").asInt()).isZero();
            assertThat(run.get("status").asText()).isEqualTo("success");
            assertThat(run.get("command").asText()).isEqualTo("baton build --select=+orders");
            assertThat(run.get("node_results")).hasSize(5);

            String metrics = fixture.get("/metrics", operator).body();
            assertThat(metrics).contains("baton_runs_total{status=\"success\"} 1.0");
            assertThat(metrics).contains("baton_node_duration_seconds_count{resource_type=\"model\",status=\"success\"} 2");
            assertThat(metrics).contains("baton_node_duration_seconds_count{resource_type=\"test\",status=\"pass\"} 2");
            assertThat(metrics).contains("baton_runs_waiting 0.0");
        }
    }

    @Test
    void aRunIsCancelledThroughTheApiAndRecordedAsCancelled() throws Exception {
        Path root = Cli.project(temp.resolve("slow"),
                "baton.yml", "name: p\n",
                "models/slow.sql", "{{ config(materialized='table') }}\nselect count(*) as n from range({{ var('rows', 10) }})\n");
        String operator = ServerFixture.token(root, "operator");
        try (ServerFixture fixture = new ServerFixture(root)) {
            String slow = fixture.post("/api/v1/runs", operator, "{\"args\": [\"build\", \"--vars\", \"{rows: 500000000000}\"]}").json().get("id").asText();
            String queued = fixture.post("/api/v1/runs", operator, "{\"command\": \"build\"}").json().get("id").asText();
            awaitRunning(fixture, slow, operator);
            assertThat(fixture.get("/api/v1/runs/" + queued, operator).json().get("state").asText()).isEqualTo("queued");
            assertThat(fixture.post("/api/v1/runs/" + queued + "/cancel", operator, "").status()).isEqualTo(202);
            assertThat(fixture.post("/api/v1/runs/" + slow + "/cancel", operator, "").status()).isEqualTo(202);

            JsonNode cancelled = awaitFinished(fixture, slow, operator);
            assertThat(cancelled.get("exit_code").asInt()).isEqualTo(130);
            assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
            JsonNode neverStarted = awaitFinished(fixture, queued, operator);
            assertThat(neverStarted.get("exit_code").asInt()).isEqualTo(130);
            assertThat(neverStarted.get("state").asText()).isEqualTo("finished");
            ServerFixture.Response again = fixture.post("/api/v1/runs/" + slow + "/cancel", operator, "");
            assertThat(again.status()).isEqualTo(409);
        }
    }

    @Test
    void writingCommandsRunInTheServerWithTheSameOutputAndExitCode() throws Exception {
        Path local = ServerFixture.shop(temp.resolve("local"));
        Path served = ServerFixture.shop(temp.resolve("served"));
        // One thread on both sides: with more, the order of lines of nodes running at once differs from run to run.
        Cli.Result localBuild = Cli.run("build", "--project-dir", local.toString(), "--threads", "1");
        Cli.Result localBadSelector = Cli.run("run", "--project-dir", local.toString(), "-s", "tag:");
        String viewer = ServerFixture.token(served, "viewer");
        try (ServerFixture fixture = new ServerFixture(served)) {
            Path discovery = served.resolve(".baton/server.json");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(discovery))).isEqualTo("rw-------");
            assertThat(DiscoveryFile.find(served)).contains(fixture.server.endpoint());

            Cli.Result servedBuild = Cli.run("build", "--project-dir", served.toString(), "--threads", "1");
            assertThat(servedBuild.exitCode()).as(servedBuild.toString()).isEqualTo(localBuild.exitCode()).isZero();
            assertThat(normalized(servedBuild.out())).isEqualTo(normalized(localBuild.out()));
            assertThat(servedBuild.err()).isEqualTo(localBuild.err());
            assertThat(fixture.get("/metrics", viewer).body()).contains("baton_runs_total{status=\"success\"} 1.0");

            Cli.Result servedBadSelector = Cli.run("run", "--project-dir", served.toString(), "-s", "tag:");
            assertThat(servedBadSelector.exitCode()).isEqualTo(localBadSelector.exitCode()).isEqualTo(2);
            assertThat(servedBadSelector.err()).isEqualTo(localBadSelector.err());

            Files.writeString(served.resolve("models/orders.sql"), "select id, customer_id, amount, nope from {{ ref('stg_orders') }}\n");
            Files.writeString(local.resolve("models/orders.sql"), "select id, customer_id, amount, nope from {{ ref('stg_orders') }}\n");
            Cli.Result localFailure = Cli.run("run", "--project-dir", local.toString(), "--threads", "1");
            Cli.Result servedFailure = Cli.run("run", "--project-dir", served.toString(), "--threads", "1");
            assertThat(servedFailure.exitCode()).isEqualTo(localFailure.exitCode()).isEqualTo(1);
            assertThat(normalized(servedFailure.out())).isEqualTo(normalized(localFailure.out()).replace(local.toString(), served.toString()));
            assertThat(fixture.get("/api/v1/runs?status=failed", viewer).json().get("items")).hasSize(1);
            assertThat(fixture.get("/metrics", viewer).body()).contains("baton_runs_total{status=\"failed\"} 1.0");
        }
        assertThat(served.resolve(".baton/server.json")).doesNotExist();
    }

    @Test
    void aDiscoveryFileOfADeadServerIsIgnored() throws Exception {
        Path root = ServerFixture.shop(temp.resolve("shop"));
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.createDirectories(root.resolve(".baton"));
        Files.writeString(root.resolve(".baton/server.json"),
                "{\"host\":\"127.0.0.1\",\"port\":1,\"pid\":" + dead.pid() + ",\"token\":\"btn_x\"}\n");
        assertThat(DiscoveryFile.find(root)).isEmpty();
        Cli.Result build = Cli.run("build", "--project-dir", root.toString());
        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(build.out()).contains("Completed successfully");
    }

    @Test
    void aPortInUseIsAClearError() throws Exception {
        Path root = ServerFixture.shop(temp.resolve("shop"));
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Cli.Result serve = Cli.run("serve", "--project-dir", root.toString(), "--port", Integer.toString(taken.getLocalPort()));
            assertThat(serve.exitCode()).isEqualTo(2);
            assertThat(serve.err().strip()).isEqualTo("error: port " + taken.getLocalPort() + " on 127.0.0.1 is in use by another process; "
                    + "stop it, or choose another port with --port N (--port 0 picks a free one)");
        }
        assertThat(root.resolve(".baton/server.json")).doesNotExist();
    }

    @Test
    void sigtermCancelsTheRunningRunRecordsItAndRemovesTheDiscoveryFile() throws Exception {
        Path root = Cli.project(temp.resolve("slow"),
                "baton.yml", "name: p\n",
                "models/slow.sql", "{{ config(materialized='table') }}\nselect count(*) as n from range({{ var('rows', 10) }})\n");
        String operator = ServerFixture.token(root, "operator");
        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "dev.baton.cli.Main", "serve", "--port", "0", "--project-dir", root.toString()).redirectErrorStream(true).start();
        Runtime.getRuntime().addShutdownHook(new Thread(serve::destroyForcibly));
        BufferedReader output = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String first = output.readLine();
        assertThat(first).startsWith("Serving project p on http://127.0.0.1:")
                .endsWith(" (API /api/v1, OpenAPI /api/v1/openapi.json, metrics /metrics, health /health). Stop with Ctrl-C.");
        DiscoveryFile.Endpoint endpoint = DiscoveryFile.find(root).orElseThrow();
        assertThat(endpoint.pid()).isEqualTo(serve.pid());
        assertThat(first).contains(":" + endpoint.port() + " ");

        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> accepted = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(endpoint.baseUrl() + "/api/v1/runs")).header("Authorization", "Bearer " + operator)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"args\": [\"build\", \"--vars\", \"{rows: 500000000000}\"]}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = ServerFixture.JSON.readTree(accepted.body()).get("id").asText();
        for (int i = 0; i < 300; i++) {
            java.net.http.HttpResponse<String> run = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(endpoint.baseUrl() + "/api/v1/runs/" + id)).header("Authorization", "Bearer " + operator).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (run.body().contains("\"status\":\"running\"")) {
                break;
            }
            Thread.sleep(100);
        }
        Thread.sleep(300);

        new ProcessBuilder("kill", "-TERM", Long.toString(serve.pid())).start().waitFor();
        assertThat(serve.waitFor(40, TimeUnit.SECONDS)).isTrue();
        String rest = new String(serve.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(rest).contains("Stopping: cancelling queued and running work...").contains("Stopped.");
        assertThat(root.resolve(".baton/server.json")).doesNotExist();
        try (dev.baton.state.StateStore store = dev.baton.state.StateStore.open(root, java.util.Optional.empty())) {
            assertThat(store.run(id).orElseThrow().status()).isEqualTo(dev.baton.api.event.RunStatus.CANCELLED);
        }
    }
}
