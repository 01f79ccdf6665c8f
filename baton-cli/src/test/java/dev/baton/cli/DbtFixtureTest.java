package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain dbt project builds unchanged, with the relations and test results dbt gives on it when
 * built as dbt builds (publish, then test: {@code --no-audit}); {@link AuditCommandsTest} covers
 * what the default write-audit-publish changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DbtFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    Path project;
    Cli.Result build;
    JsonNode expected;
    Map<String, JsonNode> results = new HashMap<>();

    @BeforeAll
    void build(@TempDir Path temp) throws Exception {
        project = Cli.copy(Cli.fixture("dbt_jaffle"), temp.resolve("dbt_jaffle"));
        expected = JSON.readTree(project.resolve("expected.json").toFile());
        build = Cli.run("build", "--project-dir", project.toString(), "--threads", "4", "--no-audit");
        for (JsonNode result : JSON.readTree(project.resolve("target/run_results.json").toFile()).get("results")) {
            results.put(result.get("unique_id").asText(), result);
        }
    }

    @Test
    void exitCodeAndSummaryMatchDbt() {
        assertThat(build.exitCode()).as(build.toString()).isEqualTo(expected.get("exit_code").asInt());
        JsonNode summary = expected.get("summary");
        assertThat(build.out()).contains("Done. PASS=" + summary.get("pass").asInt() + " WARN=" + summary.get("warn").asInt() + " ERROR="
                + summary.get("error").asInt() + " SKIP=" + summary.get("skip").asInt() + " TOTAL=" + summary.get("total").asInt());
    }

    @Test
    void modelsAndSeedsHaveDbtsRelationsStatusesAndRows() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + project.resolve("target/jaffle.duckdb"));
                Statement statement = connection.createStatement()) {
            for (JsonNode node : expected.get("nodes")) {
                String id = node.get("unique_id").asText();
                if (node.path("in_run_results").asBoolean(true)) {
                    assertThat(results.get(id)).as(id + " in run_results").isNotNull();
                    assertThat(results.get(id).get("status").asText()).as(id).isEqualTo(node.get("status").asText());
                } else {
                    assertThat(results).doesNotContainKey(id);
                }
                if (node.get("row_count").isNull()) {
                    continue;
                }
                String relation = node.get("relation").asText();
                assertThat(relationType(statement, relation)).as(relation).isEqualTo(node.get("relation_type").asText());
                try (ResultSet count = statement.executeQuery("select count(*) from " + relation)) {
                    count.next();
                    assertThat(count.getLong(1)).as("rows of " + relation).isEqualTo(node.get("row_count").asLong());
                }
                if (node.has("rows")) {
                    assertThat(rows(statement, relation, node.get("columns").size())).as("rows of " + relation).isEqualTo(expectedRows(node.get("rows")));
                }
                if (node.has("column_types")) {
                    node.get("column_types").fields().forEachRemaining(entry -> assertThat(columnType(statement, relation, entry.getKey()))
                            .isEqualTo(entry.getValue().asText()));
                }
            }
        }
    }

    @Test
    void testsHaveDbtsNamesStatusesAndFailureCounts() {
        for (JsonNode test : expected.get("tests")) {
            String id = "test.jaffle." + test.get("name").asText();
            assertThat(results.get(id)).as(id + " in run_results; got " + results.keySet()).isNotNull();
            assertThat(results.get(id).get("status").asText()).as(id).isEqualTo(test.get("status").asText());
            if (!test.get("failures").isNull()) {
                assertThat(results.get(id).get("failures").asLong()).as(id).isEqualTo(test.get("failures").asLong());
            }
        }
    }

    @Test
    void theFailingTestSkipsWhatIsDownstream() {
        for (JsonNode skipped : expected.get("skipped")) {
            String name = skipped.asText();
            String id = results.containsKey("model.jaffle." + name) ? "model.jaffle." + name : "test.jaffle." + name;
            assertThat(results.get(id).get("status").asText()).as(id).isEqualTo("skipped");
        }
        assertThat(results.get("model.jaffle.daily_revenue").get("message").asText())
                .isEqualTo("skipped because test.jaffle.accepted_values_orders_status__placed__shipped__completed fail");
    }

    private static String relationType(Statement statement, String relation) throws Exception {
        String[] parts = relation.split("\\.");
        try (ResultSet rs = statement.executeQuery("select table_type from information_schema.tables where table_schema = '" + parts[0]
                + "' and table_name = '" + parts[1] + "'")) {
            if (!rs.next()) {
                return "none";
            }
            return rs.getString(1).equals("VIEW") ? "view" : "table";
        }
    }

    private static String columnType(Statement statement, String relation, String column) {
        String[] parts = relation.split("\\.");
        try (ResultSet rs = statement.executeQuery("select data_type from information_schema.columns where table_schema = '" + parts[0]
                + "' and table_name = '" + parts[1] + "' and column_name = '" + column + "'")) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<List<String>> rows(Statement statement, String relation, int columns) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("select * from " + relation + " order by 1")) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    row.add(value == null ? null : rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<List<String>> expectedRows(JsonNode rows) {
        List<List<String>> result = new ArrayList<>();
        for (JsonNode row : rows) {
            List<String> values = new ArrayList<>();
            row.forEach(value -> values.add(value.isNull() ? null : value.asText()));
            result.add(values);
        }
        return result;
    }
}
