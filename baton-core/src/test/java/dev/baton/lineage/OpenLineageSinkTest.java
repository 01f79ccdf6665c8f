package dev.baton.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.event.RunStatus;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.graph.selector.SelectionSpec;
import dev.baton.plan.CommandKind;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.run.BuildExecution;
import dev.baton.run.BuildRequest;
import dev.baton.state.StateStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenLineageSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private Project project(String openlineage) throws IOException {
        write("baton.yml", "name: shop\n" + openlineage);
        write("models/raw_orders.sql", "select 1 as id, 'placed' as status union all select 2, null");
        write("models/orders.sql", "select id, status from {{ ref('raw_orders') }}");
        write("models/props.yml", """
                version: 2
                models:
                  - name: orders
                    columns:
                      - name: id
                        data_type: integer
                        description: The order id.
                        tests: [not_null, unique]
                      - name: status
                        data_type: varchar
                        tests: [not_null]
                """);
        return ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
    }

    private RunStatus build(Project project, OpenLineageSink sink) {
        try (Engine engine = DuckDbEngines.open(root.resolve("target/shop.duckdb"), "main", 2);
                StateStore store = StateStore.open(root, Optional.empty())) {
            return new BuildExecution(project, engine, store, new BuildRequest(CommandKind.BUILD, SelectionSpec.all(), UUID.randomUUID().toString(), 1,
                    "baton build", Map.of()), List.of(sink)).run();
        }
    }

    @Test
    void emitsRunEventsWithSchemaAndDataQualityFacetsToAnHttpEndpoint() throws Exception {
        List<String[]> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(new String[] {exchange.getRequestURI().getPath(), new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Project project = project("""
                    openlineage:
                      namespace: analytics
                      url: http://127.0.0.1:%d
                    """.formatted(receiver.getAddress().getPort()));
            StringWriter warnings = new StringWriter();
            RunStatus status = build(project, new OpenLineageSink(project, OpenLineageConfig.read(project).orElseThrow(), new PrintWriter(warnings, true)));
            assertThat(status).isEqualTo(RunStatus.FAILED);
            assertThat(warnings.toString()).isEmpty();
            assertThat(received).extracting(request -> request[0]).containsOnly("/api/v1/lineage");
            List<JsonNode> events = new ArrayList<>();
            for (String[] request : received) {
                events.add(JSON.readTree(request[1]));
            }
            for (JsonNode event : events) {
                assertRequiredFields(event);
                assertThat(event.at("/job/namespace").asText()).isEqualTo("analytics");
            }
            assertThat(events).extracting(event -> event.get("eventType").asText() + " " + event.at("/job/name").asText()).containsExactly(
                    "START shop", "START shop.raw_orders", "COMPLETE shop.raw_orders", "START shop.orders", "FAIL shop.orders", "FAIL shop");

            JsonNode ordersDone = events.get(4);
            assertThat(ordersDone.at("/inputs/0/name").asText()).isEqualTo("main.raw_orders");
            assertThat(ordersDone.at("/outputs/0/name").asText()).isEqualTo("main.orders");
            assertThat(ordersDone.at("/outputs/0/namespace").asText()).startsWith("duckdb://").endsWith("target/shop.duckdb");
            JsonNode schema = ordersDone.at("/outputs/0/facets/schema");
            assertFacet(schema);
            assertThat(schema.at("/fields/0/name").asText()).isEqualTo("id");
            assertThat(schema.at("/fields/0/type").asText()).isEqualTo("integer");
            assertThat(schema.at("/fields/0/description").asText()).isEqualTo("The order id.");
            assertThat(schema.at("/fields/1/name").asText()).isEqualTo("status");
            assertThat(ordersDone.at("/run/facets/parent/run/runId").asText()).isEqualTo(events.get(0).at("/run/runId").asText());
            assertThat(ordersDone.at("/run/facets/parent/job/name").asText()).isEqualTo("shop");

            JsonNode runDone = events.get(5);
            assertThat(runDone.at("/run/runId").asText()).isEqualTo(events.get(0).at("/run/runId").asText());
            assertThat(runDone.at("/inputs/0/name").asText()).isEqualTo("main.orders");
            JsonNode quality = runDone.at("/inputs/0/inputFacets/dataQualityAssertions");
            assertFacet(quality);
            List<String> assertions = new ArrayList<>();
            quality.get("assertions").forEach(assertion -> assertions.add(assertion.get("assertion").asText() + " " + assertion.get("column").asText()
                    + " " + assertion.get("success").asBoolean()));
            assertThat(assertions).containsExactlyInAnyOrder("not_null id true", "unique id true", "not_null status false");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void writesOneEventPerLineToAFile() throws Exception {
        Project project = project("""
                openlineage:
                  file: target/openlineage.jsonl
                """);
        build(project, new OpenLineageSink(project, OpenLineageConfig.read(project).orElseThrow(), new PrintWriter(new StringWriter(), true)));
        List<String> lines = Files.readAllLines(root.resolve("target/openlineage.jsonl"));
        assertThat(lines).hasSize(6);
        for (String line : lines) {
            JsonNode event = JSON.readTree(line);
            assertRequiredFields(event);
            assertThat(event.at("/job/namespace").asText()).isEqualTo("shop");
        }
    }

    @Test
    void aBadConfigurationPointsAtItsLine() throws IOException {
        Project project = project("""
                openlineage:
                  url: kafka://broker:9092
                """);
        assertThatThrownBy(() -> OpenLineageConfig.read(project))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG_VALUE))
                .hasMessage("baton.yml:3:3: the openlineage url must be an http:// or https:// address, not 'kafka://broker:9092'");
        Project neither = project("""
                openlineage:
                  namespace: x
                """);
        assertThatThrownBy(() -> OpenLineageConfig.read(neither))
                .hasMessage("baton.yml:3:3: openlineage needs either 'url: http://host:port' or 'file: target/openlineage.jsonl'");
    }

    /** The fields the OpenLineage spec requires of a RunEvent. */
    private static void assertRequiredFields(JsonNode event) {
        assertThat(event.get("eventType").asText()).isIn("START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER");
        assertThat(OffsetDateTime.parse(event.get("eventTime").asText())).isNotNull();
        assertThat(UUID.fromString(event.at("/run/runId").asText())).isNotNull();
        assertThat(event.at("/job/namespace").asText()).isNotBlank();
        assertThat(event.at("/job/name").asText()).isNotBlank();
        assertThat(event.get("producer").asText()).isEqualTo("https://github.com/baton-data/baton");
        assertThat(event.get("schemaURL").asText()).startsWith("https://openlineage.io/spec/").endsWith("#/$defs/RunEvent");
    }

    private static void assertFacet(JsonNode facet) {
        assertThat(facet.get("_producer").asText()).isEqualTo("https://github.com/baton-data/baton");
        assertThat(facet.get("_schemaURL").asText()).startsWith("https://openlineage.io/spec/facets/");
    }
}
