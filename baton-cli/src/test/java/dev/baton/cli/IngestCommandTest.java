package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.state.LoadRecord;
import dev.baton.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestCommandTest {
    private static final String SECRET = "planted-Secret-7f3a9c";

    @TempDir
    Path temp;

    private final String schema = "ingest_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private Connection postgres;

    @BeforeEach
    void setUp() throws Exception {
        postgres = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        execute("CREATE SCHEMA " + schema, "CREATE TABLE " + schema + ".orders (id int PRIMARY KEY, status text, updated_at timestamptz NOT NULL)",
                "INSERT INTO " + schema + ".orders VALUES (1, 'placed', '2024-01-01 10:00:00+00'), (2, 'shipped', '2024-01-01 11:00:00+00'),"
                        + " (3, 'placed', '2024-01-01 11:00:00+00')");
    }

    @AfterEach
    void tearDown() throws Exception {
        execute("DROP SCHEMA " + schema + " CASCADE");
        postgres.close();
    }

    private void execute(String... statements) throws SQLException {
        try (Statement statement = postgres.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private Path project(String connectorExtra) {
        return Cli.project(temp.resolve("app"),
                "baton.yml", "name: app\n",
                "models/sources.yml", """
                        version: 2
                        sources:
                          - name: app
                            schema: raw_app
                            connector:
                              type: postgres
                              database: test
                              user: postgres
                              password: "{{ env_var('APP_PG_PASSWORD') }}"
                              schema: %s
                            tables:
                              - name: orders
                                connector: {mode: incremental, cursor: updated_at%s}
                                columns:
                                  - name: id
                                    tests: [unique, not_null]
                        """.formatted(schema, connectorExtra),
                "models/order_counts.sql", "{{ config(materialized='table') }}\nselect status, count(*) as orders from {{ source('app', 'orders') }} group by status\n");
    }

    private static Map<String, String> env() {
        return Map.of("APP_PG_PASSWORD", SECRET);
    }

    @Test
    void buildIngestsThenBuildsAndIngestLoadsOnlyNewRows() throws Exception {
        Path project = project("");
        Cli.Result plan = Cli.run(env(), "plan", "--project-dir", project.toString());
        assertThat(plan.out()).containsPattern("1\\s+source\\.app\\.app\\.orders\\s+ingest\\s+load");

        Cli.Result build = Cli.run(env(), "build", "--project-dir", project.toString());
        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(build.out()).contains("loaded 3 rows into raw_app.orders (incremental, high-water mark 2024-01-01 11:00:00+00)");
        assertThat(build.out()).contains("created table model main.order_counts");
        assertThat(build.out().indexOf("loaded 3 rows")).isLessThan(build.out().indexOf("created table model main.order_counts"));

        execute("INSERT INTO " + schema + ".orders VALUES (4, 'placed', '2024-01-02 09:00:00+00')");
        Cli.Result ingest = Cli.run(env(), "ingest", "--project-dir", project.toString(), "-s", "source:app.orders");
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        assertThat(ingest.out()).contains("loaded 1 rows into raw_app.orders (incremental, high-water mark 2024-01-02 09:00:00+00)")
                .doesNotContain("order_counts");

        try (StateStore store = StateStore.open(project, Optional.empty())) {
            List<LoadRecord> loads = store.loads("source.app.app.orders", 10);
            assertThat(loads).extracting(LoadRecord::rowsLoaded).containsExactly(1L, 3L);
            assertThat(loads).extracting(LoadRecord::connector).containsOnly("postgres");
        }
        assertNoSecretUnder(project, build, ingest);
    }

    @Test
    void sourceFreshnessJudgesTheNewestLoadedAtFieldInDbtSyntax() {
        Path project = Cli.project(temp.resolve("fresh"),
                "baton.yml", "name: app\n",
                "models/sources.yml", """
                        version: 2
                        sources:
                          - name: app
                            schema: raw_app
                            loaded_at_field: updated_at
                            freshness: {warn_after: {count: 12, period: hour}, error_after: {count: 36500, period: day}}
                            connector: {type: postgres, database: test, user: postgres, schema: %s}
                            tables:
                              - name: orders
                              - name: stale_orders
                                identifier: orders_copy
                                connector: {table: orders}
                                freshness: {error_after: {count: 1, period: day}}
                              - name: unjudged
                                freshness: null
                                connector: {table: orders}
                        """.formatted(schema));
        Cli.Result ingest = Cli.run("ingest", "--project-dir", project.toString());
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        Cli.Result fresh = Cli.run("source", "freshness", "--project-dir", project.toString());
        assertThat(fresh.exitCode()).as(fresh.toString()).isEqualTo(1);
        assertThat(fresh.out()).containsPattern("WARN +source app\\.orders: newest updated_at 2024-01-01 \\d\\d:00:00[+-]\\d\\d, \\d+ days old;"
                + " warn after 12 hours, error after 36500 days")
                .containsPattern("ERROR +source app\\.stale_orders: newest updated_at 2024-01-01 \\d\\d:00:00[+-]\\d\\d, \\d+ days old; error after 24 hours")
                .doesNotContain("unjudged");
        Cli.Result one = Cli.run("source", "freshness", "--project-dir", project.toString(), "-s", "source:app.orders");
        assertThat(one.exitCode()).as(one.toString()).isZero();
        assertThat(one.out()).doesNotContain("stale_orders");
    }

    @Test
    void aFailedLoadSkipsItsModelsExitsOneAndLeaksNoSecret() throws Exception {
        // A secret that ends up in a failing query's error text: the message must show it masked.
        Path project = project(", table: \"{{ env_var('APP_PG_PASSWORD') }}\"");
        Cli.Result build = Cli.run(env(), "build", "--project-dir", project.toString());
        assertThat(build.exitCode()).as(build.toString()).isEqualTo(1);
        assertThat(build.out()).contains("cannot read table " + schema + ".**** of source app.orders")
                .contains("SKIP");
        assertNoSecretUnder(project, build);
    }

    @Test
    void httpAndKafkaSourcesLoadThroughTheCliAndLeakNoSecret() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/items", exchange -> {
            boolean allowed = ("Bearer " + SECRET).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (allowed ? "{\"data\": [{\"id\": 1, \"name\": \"a\"}, {\"id\": 2, \"name\": \"b\"}]}" : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            Path project = Cli.project(temp.resolve("feeds"),
                    "baton.yml", "name: feeds\n",
                    "models/sources.yml", """
                            version: 2
                            sources:
                              - name: api
                                schema: raw_api
                                connector: {type: http, url: "http://127.0.0.1:%d/items", records_path: data,
                                            bearer_token: "{{ env_var('APP_PG_PASSWORD') }}"}
                                tables:
                                  - name: items
                              - name: stream
                                schema: raw_stream
                                connector: {type: kafka, bootstrap_servers: "127.0.0.1:1", timeout: 1}
                                tables:
                                  - name: events
                            """.formatted(server.getAddress().getPort()));
            Cli.Result http = Cli.run(env(), "ingest", "--project-dir", project.toString(), "-s", "source:api.items");
            assertThat(http.exitCode()).as(http.toString()).isZero();
            assertThat(http.out()).contains("loaded 2 rows into raw_api.items (full)");

            Cli.Result kafka = Cli.run(env(), "ingest", "--project-dir", project.toString(), "-s", "source:stream.events");
            assertThat(kafka.exitCode()).as(kafka.toString()).isEqualTo(1);
            assertThat(kafka.out()).contains("models/sources.yml:13:9: cannot reach the Kafka brokers 127.0.0.1:1 of source stream.events within 1 s"
                    + " (Timeout expired while fetching topic metadata); check bootstrap_servers and that the brokers are up");
            assertNoSecretUnder(project, http, kafka);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void connectorMistakesAreConfigurationErrorsWithTheirLine() {
        Path project = project("");
        Cli.Result unknownType = Cli.run(env(), "ingest", "--project-dir", Cli.project(project, "models/sources.yml", """
                version: 2
                sources:
                  - name: app
                    connector: {type: postgress, database: test, user: postgres}
                    tables: [{name: orders}]
                """).toString());
        assertThat(unknownType.exitCode()).isEqualTo(2);
        assertThat(unknownType.err()).isEqualTo("error: models/sources.yml:4:17: unknown connector type 'postgress' for source app.orders;"
                + " did you mean 'postgres'?\n");

        Cli.Result unknownOption = Cli.run(env(), "ingest", "--project-dir", Cli.project(project, "models/sources.yml", """
                version: 2
                sources:
                  - name: app
                    connector: {type: mariadb, database: test, user: root}
                    tables:
                      - name: orders
                        connector: {cursr: id}
                """).toString());
        assertThat(unknownOption.exitCode()).isEqualTo(2);
        assertThat(unknownOption.err()).isEqualTo("error: models/sources.yml:7:21: unknown option 'cursr' for a mariadb connector; did you mean 'cursor'?\n");

        Cli.Result missing = Cli.run(env(), "build", "--project-dir", Cli.project(project, "models/sources.yml", """
                version: 2
                sources:
                  - name: app
                    connector:
                      type: postgres
                      user: postgres
                    tables: [{name: orders}]
                """).toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("error: models/sources.yml:5:7: the postgres connector of source app.orders needs 'database';"
                + " add it to the connector block\n");

        Cli.Result unset = Cli.run(Map.of(), "ingest", "--project-dir", project(" ").toString());
        assertThat(unset.exitCode()).isEqualTo(1);
        assertThat(unset.out()).contains("connector option 'password' of source app.orders reads env_var('APP_PG_PASSWORD'), which is not set;"
                + " set the variable or give a default: env_var('APP_PG_PASSWORD', '...')");
    }

    private static void assertNoSecretUnder(Path root, Cli.Result... results) throws IOException {
        for (Cli.Result result : results) {
            assertThat(result.out() + result.err()).doesNotContain(SECRET);
        }
        byte[] needle = SECRET.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                assertThat(indexOf(bytes, needle)).as("the secret in " + file).isEqualTo(-1);
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
