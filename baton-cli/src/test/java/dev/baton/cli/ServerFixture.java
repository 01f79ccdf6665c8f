package dev.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.project.LoadOptions;
import dev.baton.project.ProjectLoader;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerSettings;
import dev.baton.state.StateStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** A real server for a project, in this JVM on a free port, and an HTTP client for it. */
final class ServerFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final Path root;
    final StateStore store;
    final BatonServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    /** How often the SLA monitor of a test server evaluates. */
    static final java.time.Duration MONITOR_INTERVAL = java.time.Duration.ofMillis(200);

    ServerFixture(Path root) {
        this.root = root;
        this.store = StateStore.open(root, Optional.empty());
        java.util.function.Supplier<dev.baton.project.Project> loader =
                () -> ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), System.getenv(), true));
        this.server = BatonServer.start(new ServerSettings(root, loader, store, "127.0.0.1", 0, Main::executeInServer)
                .withOperations(ServerOperations.factory(loader, store, new java.io.PrintWriter(System.err, true),
                        new dev.baton.schedule.Scheduler.Options(2, java.time.Duration.ofMillis(100), java.time.Duration.ofMinutes(1)),
                        MONITOR_INTERVAL, System.getenv())));
    }

    /** A response: status, body text, and the body as JSON when it is JSON. */
    record Response(int status, String body, String contentType) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    Response get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET(), token);
    }

    Response post(String path, String token, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    Response delete(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).DELETE(), token);
    }

    Response send(String method, String path, String token, String body) {
        switch (method) {
            case "GET":
                return get(path, token);
            case "POST":
                return post(path, token, body);
            case "DELETE":
                return delete(path, token);
            default:
                throw new IllegalArgumentException(method);
        }
    }

    private Response send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a token with {@code baton token create} and returns it. */
    static String token(Path root, String role) {
        Cli.Result created = Cli.run("token", "create", "--role", role, "--project-dir", root.toString());
        if (created.exitCode() != 0) {
            throw new IllegalStateException(created.toString());
        }
        return created.out().strip();
    }

    /** A small shop: a seed, a source, three models with owners, tiers and an SLA, and checks. */
    static Path shop(Path root) {
        return Cli.project(root,
                "baton.yml", "name: shop\n",
                "seeds/raw_orders.csv", "id,customer_id,amount\n1,1,10\n2,2,20\n3,2,5\n",
                "models/staging/stg_orders.sql", "select * from {{ ref('raw_orders') }}\n",
                "models/orders.sql", "{{ config(materialized='table', tags=['finance']) }}\nselect id, customer_id, amount from {{ ref('stg_orders') }}\n",
                "models/customers.sql", "select customer_id, count(*) as orders from {{ ref('orders') }} group by customer_id\n",
                "models/schema.yml", """
                        version: 2
                        sources:
                          - name: app
                            schema: main
                            tables:
                              - name: events
                                columns:
                                  - name: event_id
                        models:
                          - name: orders
                            description: One row per order.
                            meta: {owner: finance-team, tier: 1, sla: "daily by 06:00"}
                            columns:
                              - name: id
                                description: The order id.
                                tests: [unique, not_null]
                              - name: amount
                                description: In euros.
                          - name: customers
                            meta: {owner: growth, tier: 2}
                            columns:
                              - name: customer_id
                                tests: [unique]
                        """);
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
