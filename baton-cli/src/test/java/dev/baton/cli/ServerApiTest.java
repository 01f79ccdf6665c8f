package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.server.http.Route;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over HTTP against a real server on a free port. */
class ServerApiTest {
    @TempDir
    static Path temp;

    static ServerFixture fixture;
    static String viewer;

    @BeforeAll
    static void start() {
        Path root = ServerFixture.shop(temp.resolve("shop"));
        Cli.Result build = Cli.run("build", "--project-dir", root.toString());
        assertThat(build.exitCode()).as(build.toString()).isZero();
        viewer = ServerFixture.token(root, "viewer");
        fixture = new ServerFixture(root);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.has("id") ? item.get("id").asText() : item.get("node_id").asText()));
        return ids;
    }

    @Test
    void healthNeedsNoToken() {
        ServerFixture.Response health = fixture.get("/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
        assertThat(health.json().get("project").asText()).isEqualTo("shop");
    }

    @Test
    void listsModelsWithPagingAndFilters() {
        JsonNode all = fixture.get("/api/v1/models", viewer).json();
        assertThat(ids(all)).containsExactly("model.shop.customers", "model.shop.orders", "model.shop.stg_orders");
        assertThat(all.get("total").asInt()).isEqualTo(3);
        assertThat(all.get("next_offset").isNull()).isTrue();

        JsonNode second = fixture.get("/api/v1/models?limit=1&offset=1", viewer).json();
        assertThat(ids(second)).containsExactly("model.shop.orders");
        assertThat(second.get("next_offset").asInt()).isEqualTo(2);

        assertThat(ids(fixture.get("/api/v1/models?tier=1", viewer).json())).containsExactly("model.shop.orders");
        assertThat(ids(fixture.get("/api/v1/models?owner=growth", viewer).json())).containsExactly("model.shop.customers");
        assertThat(ids(fixture.get("/api/v1/models?tag=finance", viewer).json())).containsExactly("model.shop.orders");
        assertThat(ids(fixture.get("/api/v1/models?materialized=table", viewer).json())).containsExactly("model.shop.orders");
        assertThat(ids(fixture.get("/api/v1/models?name=ORD", viewer).json())).containsExactly("model.shop.orders", "model.shop.stg_orders");
        assertThat(ids(fixture.get("/api/v1/sources", viewer).json())).containsExactly("source.shop.app.events");
        assertThat(ids(fixture.get("/api/v1/seeds", viewer).json())).containsExactly("seed.shop.raw_orders");
        assertThat(ids(fixture.get("/api/v1/checks", viewer).json())).hasSize(3);
    }

    @Test
    void showsAModelWithColumnsOwnerTierSlaAndChecks() {
        JsonNode orders = fixture.get("/api/v1/models/orders", viewer).json();
        assertThat(orders.get("id").asText()).isEqualTo("model.shop.orders");
        assertThat(orders.get("description").asText()).isEqualTo("One row per order.");
        assertThat(orders.get("owner").asText()).isEqualTo("finance-team");
        assertThat(orders.get("tier").asInt()).isEqualTo(1);
        assertThat(orders.get("sla").asText()).isEqualTo("daily by 06:00");
        assertThat(orders.get("materialized").asText()).isEqualTo("table");
        assertThat(orders.get("relation").asText()).isEqualTo("main.orders");
        assertThat(orders.get("columns").get(0).get("name").asText()).isEqualTo("id");
        assertThat(orders.get("columns").get(0).get("description").asText()).isEqualTo("The order id.");
        assertThat(orders.get("columns").get(0).get("checks")).hasSize(2);
        assertThat(orders.get("depends_on").get(0).asText()).isEqualTo("model.shop.stg_orders");
        assertThat(orders.get("referenced_by").toString()).contains("model.shop.customers");
        assertThat(fixture.get("/api/v1/models/model.shop.orders", viewer).json().get("name").asText()).isEqualTo("orders");
    }

    @Test
    void walksLineageToADepth() {
        JsonNode one = fixture.get("/api/v1/models/customers/lineage?depth=1", viewer).json();
        assertThat(one.get("upstream").toString()).isEqualTo("[{\"id\":\"model.shop.orders\",\"name\":\"orders\",\"resource_type\":\"model\",\"depth\":1}]");
        assertThat(one.get("downstream")).isEmpty();
        JsonNode three = fixture.get("/api/v1/models/customers/lineage?depth=3&direction=upstream", viewer).json();
        List<String> upstream = new ArrayList<>();
        three.get("upstream").forEach(step -> upstream.add(step.get("id").asText() + "@" + step.get("depth").asInt()));
        assertThat(upstream).containsExactly("model.shop.orders@1", "model.shop.stg_orders@2", "seed.shop.raw_orders@3");
        assertThat(three.has("downstream")).isFalse();
        assertThat(three.get("edges")).hasSize(3);
        JsonNode down = fixture.get("/api/v1/models/stg_orders/lineage?depth=2&direction=downstream", viewer).json();
        assertThat(down.get("downstream").toString()).contains("model.shop.orders").contains("model.shop.customers");
    }

    @Test
    void searchesByNameColumnTagAndOwner() {
        assertThat(ids(fixture.get("/api/v1/search?q=customer_id&in=column", viewer).json())).containsExactly("model.shop.customers");
        assertThat(ids(fixture.get("/api/v1/search?q=finance", viewer).json())).containsExactly("model.shop.orders");
        assertThat(fixture.get("/api/v1/search?q=finance", viewer).json().get("items").get(0).get("matched").toString())
                .isEqualTo("[\"tag\",\"owner\"]");
        assertThat(ids(fixture.get("/api/v1/search?q=event", viewer).json())).containsExactly("source.shop.app.events");
        assertThat(ids(fixture.get("/api/v1/search?q=raw&in=name", viewer).json())).containsExactly("seed.shop.raw_orders");
    }

    @Test
    void showsRunsWithNodeResultsCheckResultsAndMetricHistory() {
        JsonNode runs = fixture.get("/api/v1/runs?status=success", viewer).json();
        assertThat(runs.get("items")).isNotEmpty();
        String runId = runs.get("items").get(0).get("id").asText();
        JsonNode run = fixture.get("/api/v1/runs/" + runId, viewer).json();
        assertThat(run.get("status").asText()).isEqualTo("success");
        assertThat(run.get("command").asText()).startsWith("baton build");
        assertThat(run.get("node_results")).hasSize(7);
        assertThat(fixture.get("/api/v1/runs?status=failed", viewer).json().get("items")).isEmpty();

        JsonNode checks = fixture.get("/api/v1/check-results?status=pass&limit=2", viewer).json();
        assertThat(checks.get("items")).hasSize(2);
        assertThat(checks.get("next_offset").asInt()).isEqualTo(2);
        assertThat(checks.get("items").get(0).get("run_id").asText()).isEqualTo(runId);

        JsonNode history = fixture.get("/api/v1/models/orders/metrics?metric=row_count", viewer).json();
        assertThat(history.get("items").get(0).get("value").asText()).isEqualTo("3");
    }

    @Test
    void errorsAreProblemDocumentsWithTheMessage() {
        ServerFixture.Response missing = fixture.get("/api/v1/models/custmers", viewer);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().get("title").asText()).isEqualTo("Not Found");
        assertThat(missing.json().get("status").asInt()).isEqualTo(404);
        assertThat(missing.json().get("type").asText()).isEqualTo("https://baton.dev/problems/BTN-0023");
        assertThat(missing.json().get("detail").asText()).isEqualTo("no model 'custmers' in project shop; list them with GET /api/v1/models");

        ServerFixture.Response badLimit = fixture.get("/api/v1/models?limit=lots", viewer);
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().get("detail").asText()).isEqualTo("query parameter 'limit' must be a whole number from 1 to 1000, not 'lots'");

        ServerFixture.Response badTier = fixture.get("/api/v1/models?tier=7", viewer);
        assertThat(badTier.json().get("detail").asText()).isEqualTo("query parameter 'tier' must be a whole number from 0 to 2, not '7'");

        ServerFixture.Response badStatus = fixture.get("/api/v1/runs?status=done", viewer);
        assertThat(badStatus.json().get("detail").asText())
                .isEqualTo("query parameter 'status' must be one of running, success, failed, cancelled, crashed, not 'done'");

        String operator = ServerFixture.token(fixture.root, "operator");
        ServerFixture.Response malformed = fixture.post("/api/v1/runs", operator, "{\"command\": \"build\",");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        assertThat(malformed.json().get("detail").asText()).startsWith("the request body is not valid JSON: Unexpected end-of-input");

        ServerFixture.Response notACommand = fixture.post("/api/v1/runs", operator, "{\"command\": \"serve\"}");
        assertThat(notACommand.status()).isEqualTo(400);
        assertThat(notACommand.json().get("detail").asText()).isEqualTo("the server runs build, run, seed, test, retry and ingest; 'serve' is none of them");

        ServerFixture.Response noRoute = fixture.get("/api/v1/nothing", viewer);
        assertThat(noRoute.status()).isEqualTo(404);
        assertThat(noRoute.json().get("detail").asText()).isEqualTo("no route GET /api/v1/nothing; the routes are listed at /api/v1/openapi.json");
    }

    @Test
    void theOpenApiDescriptionListsEveryRoute() {
        JsonNode document = fixture.get("/api/v1/openapi.json", viewer).json();
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        Set<String> described = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> described.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));
        Set<String> served = new TreeSet<>();
        for (Route route : fixture.server.routes()) {
            served.add(route.method() + " " + route.path());
        }
        assertThat(described).isEqualTo(served).hasSize(32).contains("POST /api/v1/job-runs/{id}/cancel", "GET /api/v1/runs/{id}/logs");
        assertThat(document.get("paths").get("/api/v1/models/{id}/lineage").get("get").get("parameters").toString()).contains("\"depth\"");
        assertThat(document.get("paths").get("/api/v1/runs/{id}/logs").get("get").get("parameters").toString()).contains("\"stream\"");
    }
}
