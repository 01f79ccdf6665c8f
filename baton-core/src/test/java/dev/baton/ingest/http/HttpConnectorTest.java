package dev.baton.ingest.http;

import static dev.baton.ingest.IngestFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.ingest.IngestFixture;
import dev.baton.ingest.LoadObserver;
import dev.baton.project.Project;
import dev.baton.state.LoadRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP connector against a local server that also misbehaves on purpose. */
class HttpConnectorTest {
    private static final String NODE = "source.app.api.items";
    private static final String TOKEN = "tok-5f3a9c7e1b";

    @TempDir
    Path temp;

    private Engine engine;
    private HttpServer server;
    private String base;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    /** Answers by path; each takes the exchange and its query parameters. */
    private final Map<String, Handler> handlers = new java.util.concurrent.ConcurrentHashMap<>();

    interface Handler {
        void handle(HttpExchange exchange, Map<String, String> query) throws Exception;
    }

    @BeforeEach
    void setUp() throws IOException {
        engine = DuckDbEngines.openInMemory("main", 2);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestURI().toString());
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            try {
                Handler handler = handlers.get(path);
                if (handler == null) {
                    send(exchange, 404, "{\"error\": \"no such path\"}");
                } else {
                    handler.handle(exchange, query(exchange));
                }
            } catch (Exception e) {
                exchange.close();
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        engine.close();
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> values = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] parts = pair.split("=", 2);
                values.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        return values;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String items(int from, int to) {
        List<String> items = new ArrayList<>();
        for (int id = from; id <= to; id++) {
            items.add("{\"id\": " + id + ", \"name\": \"item " + id + "\", \"owner\": {\"name\": \"o" + id + "\", \"team\": {\"code\": \"t" + id % 2 + "\"}}}");
        }
        return "[" + String.join(", ", items) + "]";
    }

    private Project project(String connector) {
        return IngestFixture.project(temp, """
                version: 2
                sources:
                  - name: api
                    schema: raw
                    tables:
                      - name: items
                        connector: %s
                """.formatted(connector));
    }

    private LoadRecord load(Project project) throws Exception {
        return IngestFixture.load(engine, project, NODE, Map.of("API_TOKEN", TOKEN), LoadObserver.NONE);
    }

    @Test
    void pagesByNumberWithABearerTokenFromTheEnvironmentAndRecordsAtAPath() throws Exception {
        handlers.put("/items", (exchange, query) -> {
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{}");
                return;
            }
            int page = Integer.parseInt(query.get("page"));
            send(exchange, 200, "{\"data\": {\"items\": " + (page <= 3 ? items(page * 2 - 1, Math.min(page * 2, 5)) : "[]") + "}}");
        });
        LoadRecord load = load(project("{type: http, url: \"" + base + "/items\", records_path: data.items, pagination: page,"
                + " bearer_token: \"{{ env_var('API_TOKEN') }}\", nested: flatten}"));

        assertThat(load.rowsRead()).isEqualTo(5);
        assertThat(load.rowsLoaded()).isEqualTo(5);
        assertThat(requests).containsExactly("/items?page=1", "/items?page=2", "/items?page=3", "/items?page=4");
        assertThat(rows(engine, "SELECT id, name, owner_name, owner_team_code FROM raw.items ORDER BY id")).containsExactly(
                List.of("1", "item 1", "o1", "t1"), List.of("2", "item 2", "o2", "t0"), List.of("3", "item 3", "o3", "t1"),
                List.of("4", "item 4", "o4", "t0"), List.of("5", "item 5", "o5", "t1"));

        assertThatThrownBy(() -> IngestFixture.load(engine, project("{type: http, url: \"" + base + "/items\", records_path: data.items,"
                + " bearer_token: \"{{ env_var('API_TOKEN') }}\"}"), NODE, Map.of("API_TOKEN", "wrong-token-1"), LoadObserver.NONE))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SOURCE_ACCESS_DENIED))
                .hasMessage("models/sources.yml:6:9: GET " + base + "/items (page 1) of source api.items was refused with HTTP 401;"
                        + " check bearer_token or headers in the connector block");
    }

    @Test
    void pagesByACursorInTheBodyAndByLinkHeadersAndKeepsNestedObjectsAsJson() throws Exception {
        handlers.put("/cursor", (exchange, query) -> {
            String cursor = query.getOrDefault("after", "");
            String next = cursor.isEmpty() ? "c2" : cursor.equals("c2") ? "c3" : null;
            int first = cursor.isEmpty() ? 1 : cursor.equals("c2") ? 3 : 5;
            send(exchange, 200, "{\"results\": " + items(first, first + 1) + ", \"meta\": {\"next\": " + (next == null ? "null" : "\"" + next + "\"") + "}}");
        });
        LoadRecord cursor = load(project("{type: http, url: \"" + base + "/cursor?kind=all\", records_path: results, pagination: cursor,"
                + " cursor_path: meta.next, cursor_param: after, headers: {X-Api-Key: \"{{ env_var('API_TOKEN') }}\"}, nested: json}"));
        assertThat(cursor.rowsLoaded()).isEqualTo(6);
        assertThat(requests).containsExactly("/cursor?kind=all", "/cursor?kind=all&after=c2", "/cursor?kind=all&after=c3");
        assertThat(rows(engine, "SELECT typeof(owner), owner->'team'->>'code' FROM raw.items WHERE id = 6").get(0)).containsExactly("JSON", "t0");

        requests.clear();
        handlers.put("/linked", (exchange, query) -> {
            int page = Integer.parseInt(query.getOrDefault("p", "1"));
            if (page < 3) {
                exchange.getResponseHeaders().add("Link", "<" + base + "/linked?p=1>; rel=\"first\", </linked?p=" + (page + 1) + ">; rel=\"next\"");
            }
            send(exchange, 200, items(page * 10, page * 10 + 2));
        });
        LoadRecord linked = load(project("{type: http, url: \"" + base + "/linked\", pagination: link, schema_drift: ignore}"));
        assertThat(linked.rowsLoaded()).isEqualTo(9);
        assertThat(requests).containsExactly("/linked", "/linked?p=2", "/linked?p=3");

        requests.clear();
        handlers.put("/offset", (exchange, query) -> {
            int offset = Integer.parseInt(query.get("offset"));
            send(exchange, 200, items(offset + 1, Math.min(offset + Integer.parseInt(query.get("limit")), 7)));
        });
        LoadRecord offset = load(project("{type: http, url: \"" + base + "/offset\", pagination: offset, page_size: 3, schema_drift: ignore}"));
        assertThat(offset.rowsLoaded()).isEqualTo(7);
        assertThat(requests).containsExactly("/offset?limit=3&offset=0", "/offset?limit=3&offset=3", "/offset?limit=3&offset=6");
        assertThat(rows(engine, "SELECT count(DISTINCT id), min(id), max(id) FROM raw.items").get(0)).containsExactly("7", "1", "7");
    }

    @Test
    void incrementalLoadsAskForRecordsUpdatedSinceTheHighWaterMark() throws Exception {
        List<String> updated = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("2024-01-01T10:00:00Z", "2024-01-02T10:00:00Z"));
        handlers.put("/changes", (exchange, query) -> {
            String since = query.get("updated_since");
            List<String> records = new ArrayList<>();
            for (int i = 0; i < updated.size(); i++) {
                if (since == null || updated.get(i).compareTo(since) > 0) {
                    records.add("{\"id\": " + (i + 1) + ", \"updated_at\": \"" + updated.get(i) + "\"}");
                }
            }
            send(exchange, 200, "{\"items\": [" + String.join(", ", records) + "]}");
        });
        Project project = project("{type: http, url: \"" + base + "/changes\", records_path: items, mode: incremental,"
                + " updated_since_param: updated_since, updated_field: updated_at}");
        LoadRecord first = load(project);
        assertThat(first.rowsLoaded()).isEqualTo(2);
        assertThat(first.watermark()).contains("2024-01-02T10:00:00Z");

        LoadRecord nothing = load(project);
        assertThat(nothing.rowsLoaded()).isZero();
        assertThat(nothing.watermark()).contains("2024-01-02T10:00:00Z");

        updated.add("2024-01-03T08:00:00Z");
        updated.add("2024-01-02T12:00:00Z");
        LoadRecord second = load(project);
        assertThat(second.rowsLoaded()).isEqualTo(2);
        assertThat(second.watermark()).contains("2024-01-03T08:00:00Z");
        assertThat(requests).containsExactly("/changes", "/changes?updated_since=2024-01-02T10%3A00%3A00Z",
                "/changes?updated_since=2024-01-02T10%3A00%3A00Z");
        assertThat(rows(engine, "SELECT id FROM raw.items ORDER BY id").stream().map(row -> row.get(0)).toList())
                .containsExactly("1", "2", "3", "4");
    }

    @Test
    void retriesA429AfterItsRetryAfterAndA500WithBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        handlers.put("/busy", (exchange, query) -> {
            int call = calls.incrementAndGet();
            if (call == 1) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                send(exchange, 429, "{\"error\": \"slow down\"}");
            } else if (call == 2) {
                send(exchange, 500, "{\"error\": \"oops\"}");
            } else if (call == 3) {
                exchange.getResponseHeaders().set("Retry-After", "0");
                send(exchange, 503, "busy");
            } else {
                send(exchange, 200, items(1, 3));
            }
        });
        long started = System.nanoTime();
        LoadRecord load = load(project("{type: http, url: \"" + base + "/busy\", retry_backoff: 0.05}"));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(load.rowsLoaded()).isEqualTo(3);
        assertThat(calls.get()).isEqualTo(4);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(1000);

        calls.set(0);
        handlers.put("/down", (exchange, query) -> {
            calls.incrementAndGet();
            send(exchange, 500, "{}");
        });
        assertThatThrownBy(() -> load(project("{type: http, url: \"" + base + "/down\", retry_backoff: 0.01, max_retries: 2}")))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode().type().exitCode()).isEqualTo(1))
                .hasMessage("models/sources.yml:6:9: GET " + base + "/down (page 1) of source api.items failed 3 times, last with HTTP 500;"
                        + " nothing was committed, run the load again later or raise max_retries or timeout");
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void aSlowServerTimesOut() {
        handlers.put("/slow", (exchange, query) -> {
            Thread.sleep(1500);
            send(exchange, 200, items(1, 1));
        });
        assertThatThrownBy(() -> load(project("{type: http, url: \"" + base + "/slow\", timeout: 0.3, max_retries: 1, retry_backoff: 0.01}")))
                .hasMessage("models/sources.yml:6:9: GET " + base + "/slow (page 1) of source api.items failed 2 times, last with no answer within"
                        + " 0.3 s; nothing was committed, run the load again later or raise max_retries or timeout");
    }

    @Test
    void aTruncatedOrNonJsonPageFailsTheLoadNamingTheUrlAndPageAndCommitsNothing() throws Exception {
        handlers.put("/pages", (exchange, query) -> send(exchange, 200, items(1, 2)));
        load(project("{type: http, url: \"" + base + "/pages\"}"));

        handlers.put("/pages", (exchange, query) -> {
            if (query.get("page").equals("1")) {
                send(exchange, 200, items(10, 11));
            } else {
                exchange.sendResponseHeaders(200, 400);
                OutputStream out = exchange.getResponseBody();
                out.write("[{\"id\": 12, \"na".getBytes(StandardCharsets.UTF_8));
                out.flush();
                exchange.getHttpContext().getServer();
                exchange.close();
            }
        });
        assertThatThrownBy(() -> load(project("{type: http, url: \"" + base + "/pages\", pagination: page, max_retries: 1, retry_backoff: 0.01}")))
                .hasMessageStartingWith("models/sources.yml:6:9: GET " + base + "/pages?page=2 (page 2) of source api.items failed 2 times,"
                        + " last with the connection failed (")
                .hasMessageEndingWith("); nothing was committed, run the load again later or raise max_retries or timeout");

        handlers.put("/pages", (exchange, query) -> send(exchange, 200, query.get("page").equals("1") ? items(10, 11) : "[{\"id\": 12, \"na"));
        assertThatThrownBy(() -> load(project("{type: http, url: \"" + base + "/pages\", pagination: page}")))
                .hasMessage("models/sources.yml:6:9: GET " + base + "/pages?page=2 (page 2) of source api.items answered with a body that is not"
                        + " whole JSON (Unexpected end-of-input in field name at byte 15 of 15); nothing was committed");

        handlers.put("/pages", (exchange, query) -> send(exchange, 200, "<html>maintenance</html>"));
        assertThatThrownBy(() -> load(project("{type: http, url: \"" + base + "/pages\", pagination: page}")))
                .hasMessageStartingWith("models/sources.yml:6:9: GET " + base + "/pages?page=1 (page 1) of source api.items answered with a body that"
                        + " is not whole JSON (Unexpected character ('<' (code 60))");

        assertThat(rows(engine, "SELECT id FROM raw.items ORDER BY id")).containsExactly(List.of("1"), List.of("2"));
        assertThat(rows(engine, "SELECT count(*) FROM baton_ingest.loads").get(0)).containsExactly("1");
    }

    @Test
    void badOptionsAreReportedAtTheSourceLine() {
        assertThatThrownBy(() -> load(project("{type: http, url: \"" + base + "/x\", pagination: pages}")))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode().type().exitCode()).isEqualTo(2))
                .hasMessage("models/sources.yml:6:9: connector option 'pagination' of source api.items is 'pages'; use one of none, page, offset, cursor, link");
        assertThatThrownBy(() -> load(project("{type: http, url: \"" + base + "/x\", pagination: cursor}")))
                .hasMessage("models/sources.yml:6:9: pagination: cursor of source api.items needs 'cursor_path', where the next page's cursor is in"
                        + " the response (such as meta.next_cursor)");
        assertThatThrownBy(() -> load(project("{type: http, url: \"ftp://example.com/x\"}")))
                .hasMessage("models/sources.yml:6:9: url 'ftp://example.com/x' of source api.items is not an http:// or https:// URL");
        assertThatThrownBy(() -> project("{type: http, url: \"" + base + "/x\", page_sise: 3}"))
                .hasMessageStartingWith("models/sources.yml:7:66: unknown option 'page_sise' for a http connector; did you mean 'page_size'?");
    }
}
