package dev.baton.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.SourceLocation;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.EngineTarget;
import dev.baton.cli.Main;
import dev.baton.engine.Engines;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * examples/every_kind (every materialization, every incremental strategy, snapshots, every check type) built twice on
 * DuckDB, PostgreSQL and Spark local[2], with changed seeds in between: after each build the relations hold the same rows
 * (order-insensitive; fractional numbers compared to 12 significant digits) and every check has the same status and
 * failure count. One Spark session serves the whole class: Baton builds on the session the JVM already runs.
 */
class EveryKindParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TIMESTAMP_ZERO_FRACTION = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})\\.0$");
    private static final Pattern FRACTIONAL = Pattern.compile("^-?\\d+\\.\\d+([eE][-+]?\\d+)?$");
    private static final String CURRENT = "case when dbt_valid_to is null then 'current' else 'closed' end as validity";
    /** What is compared of each relation: its columns, except those that hold the time of the build. */
    private static final Map<String, String> RELATIONS = relations();

    private static Path temp;
    private static SparkSession spark;
    private static String database;

    private static Map<String, String> relations() {
        Map<String, String> relations = new LinkedHashMap<>();
        for (String relation : List.of("raw_events", "raw_users", "stg_events", "users", "daily_totals", "events_append", "events_merge",
                "events_delete_insert", "user_days", "events_by_year")) {
            relations.put(relation, "*");
        }
        relations.put("users_history", "user_id, name, country, updated_at, dbt_scd_id, dbt_updated_at, dbt_valid_from, " + CURRENT);
        relations.put("users_countries", "user_id, country, dbt_is_deleted, " + CURRENT);
        return relations;
    }

    @BeforeAll
    static void start() throws Exception {
        temp = Files.createTempDirectory("baton-every-kind");
        database = "baton_every_kind_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + database);
        Path warehouse = temp.resolve("spark-warehouse");
        EngineTarget target = new EngineTarget("spark", "spark", "every_kind", 2, Map.of("master", "local[2]", "warehouse", warehouse.toString(),
                "spark_conf", Map.of("spark.sql.shuffle.partitions", "2")), temp, SourceLocation.of("baton.yml", 1));
        SparkSession.Builder builder = SparkSession.builder().master("local[2]");
        SparkEngine.sessionConf(SparkSettings.of(target)).forEach(builder::config);
        spark = builder.getOrCreate();
    }

    @AfterAll
    static void stop() throws SQLException {
        if (spark != null) {
            spark.stop();
        }
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        if (temp != null) {
            try (java.util.stream.Stream<Path> files = Files.walk(temp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (java.io.IOException ignored) {
                // A temporary folder; the system cleans it up.
            }
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** One engine's copy of the project, its target and the schema it builds into. */
    private record Build(String target, String schema, Path project) {}

    @Test
    void everyKindOfNodeBuildsTwiceIntoTheSameRowsWithTheSameCheckResultsOnDuckDbPostgresAndSpark() throws Exception {
        List<Build> builds = List.of(new Build("dev", "main", project("duckdb")), new Build("pg", "every_kind", project("postgres")),
                new Build("spark", "every_kind", project("spark")));

        Map<String, Map<String, String>> firstResults = new TreeMap<>();
        Map<String, Map<String, List<String>>> firstRows = new TreeMap<>();
        for (Build build : builds) {
            firstResults.put(build.target(), build(build));
            firstRows.put(build.target(), rows(build));
        }
        for (Build build : builds) {
            try (Stream<Path> seeds = Files.list(Path.of("src/test/resources/every_kind_day2/seeds"))) {
                for (Path seed : seeds.toList()) {
                    Files.copy(seed, build.project().resolve("seeds").resolve(seed.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Map<String, Map<String, String>> secondResults = new TreeMap<>();
        Map<String, Map<String, List<String>>> secondRows = new TreeMap<>();
        for (Build build : builds) {
            secondResults.put(build.target(), build(build));
            secondRows.put(build.target(), rows(build));
        }

        Map<String, String> first = firstResults.get("dev");
        assertThat(first).hasSize(29)
                .containsEntry("model.every_kind.events_merge", "success")
                .containsEntry("snapshot.every_kind.users_history", "success")
                .containsEntry("test.every_kind.relationships_stg_events_user_id__user_id__ref_users_", "warn, 1 failures")
                .containsEntry("test.every_kind.at_most_events_merge_amount__100", "warn, 1 failures")
                .containsEntry("test.every_kind.assert_daily_totals_match_events", "pass, 0 failures")
                .containsEntry("test.every_kind.recency_stg_events_year__happened_at__50", "pass, 0 failures");
        assertThat(secondResults.get("dev")).containsEntry("test.every_kind.relationships_stg_events_user_id__user_id__ref_users_", "warn, 1 failures")
                .containsEntry("test.every_kind.at_most_events_merge_amount__100", "warn, 1 failures");
        for (String target : List.of("pg", "spark")) {
            assertThat(firstResults.get(target)).as("check results of the first build on " + target).isEqualTo(first);
            assertThat(secondResults.get(target)).as("check results of the second build on " + target).isEqualTo(secondResults.get("dev"));
            for (String relation : RELATIONS.keySet()) {
                assertThat(firstRows.get(target).get(relation)).as(relation + " after the first build on " + target).isNotEmpty()
                        .containsExactlyInAnyOrderElementsOf(firstRows.get("dev").get(relation));
                assertThat(secondRows.get(target).get(relation)).as(relation + " after the second build on " + target).isNotEmpty()
                        .containsExactlyInAnyOrderElementsOf(secondRows.get("dev").get(relation));
            }
        }

        Map<String, List<String>> second = secondRows.get("dev");
        // merge and delete+insert replaced event 3 and added 7; append only added 7; the restated day dropped event 5's user.
        assertThat(second.get("events_merge")).hasSize(7).contains("3|2|purchase|90|0.7|2025-06-01 08:00:00");
        assertThat(second.get("events_delete_insert")).hasSize(7).contains("3|2|purchase|90|2025-06-01 08:00:00");
        assertThat(second.get("events_append")).hasSize(7).contains("3|2|purchase|150");
        assertThat(second.get("user_days")).contains("2025-05-03|4|1|42.1", "2025-05-04|5|1|120").noneMatch(row -> row.startsWith("2025-05-03|9|"));
        // the rerun 2025 batch lost event 5; the 2024 batch was not run again.
        assertThat(second.get("events_by_year")).hasSize(6).noneMatch(row -> row.startsWith("5|"));
        assertThat(second.get("users_countries")).contains("2|IT|False|closed", "2|FR|False|current", "4|DE|True|current", "4|DE|False|closed");
        assertThat(second.get("users_history")).anyMatch(row -> row.startsWith("4|Dmitri|DE|") && row.endsWith("|closed"));
    }

    @Test
    void debugStartsSparkOnTheTargetAndReportsItsVersion() throws Exception {
        Path project = project("debug");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.execute(new String[] {"debug", "--project-dir", project.toString(), "--target", "spark"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                System.getenv(), false);

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        assertThat(text).contains("  project:      OK every_kind (baton.yml, 30 nodes)\n")
                .contains("  target:       spark (spark, master local[2], warehouse " + temp.resolve("spark-warehouse") + ", schema every_kind)\n")
                .containsPattern("\n  connection:   OK Spark 4\\.1\\.\\d+ [0-9a-f]{40}\n")
                .endsWith("All checks passed.\n");
    }

    /** A copy of the example with a PostgreSQL and a Spark target beside its DuckDB one. */
    private static Path project(String name) throws IOException {
        Path project = ExampleCopy.of("every_kind", temp.resolve(name));
        String yml = Files.readString(project.resolve("baton.yml"));
        String dev = "    threads: 2\n";
        assertThat(yml).contains(dev);
        Files.writeString(project.resolve("baton.yml"), yml.replaceFirst(dev, dev + """
                  pg:
                    type: postgres
                    host: 127.0.0.1
                    port: 5432
                    user: postgres
                    password: "{{ env_var('BATON_TEST_PG_PASSWORD', '') }}"
                    dbname: DATABASE
                    schema: every_kind
                    threads: 2
                  spark:
                    type: spark
                    master: local[2]
                    warehouse: WAREHOUSE
                    schema: every_kind
                    threads: 2
                """.replace("DATABASE", database).replace("WAREHOUSE", temp.resolve("spark-warehouse").toString())));
        return project;
    }

    /** Builds the project on the build's target and returns the status (and failure count) of every node. */
    private static Map<String, String> build(Build build) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new String[] {"build", "--project-dir", build.project().toString(), "--target", build.target()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), System.getenv(), false);
        assertThat(code).as("build on " + build.target() + "\n" + out.toString(StandardCharsets.UTF_8) + "\n" + err.toString(StandardCharsets.UTF_8))
                .isZero();
        Map<String, String> results = new TreeMap<>();
        for (JsonNode result : JSON.readTree(build.project().resolve("target/run_results.json").toFile()).get("results")) {
            JsonNode failures = result.get("failures");
            results.put(result.get("unique_id").asText(), result.get("status").asText()
                    + (failures == null || failures.isNull() ? "" : ", " + failures.asText() + " failures"));
        }
        return results;
    }

    /** Every relation's rows; on Spark read through the class's session, whose catalog holds what the builds made. */
    private static Map<String, List<String>> rows(Build build) throws Exception {
        Map<String, List<String>> rows = new TreeMap<>();
        if (build.target().equals("spark")) {
            try (Engine engine = SparkEngine.onSession(spark, build.schema(), "parquet"); EngineSession session = engine.openSession()) {
                read(engine, session, build.schema(), rows);
            }
            return rows;
        }
        Project project = ProjectLoader.load(new LoadOptions(build.project(), Optional.of(build.target()), Map.of(), System.getenv()));
        try (Engine engine = Engines.open(project.target(), build.project(), 1, System.getenv()); EngineSession session = engine.openSession()) {
            read(engine, session, build.schema(), rows);
        }
        return rows;
    }

    private static void read(Engine engine, EngineSession session, String schema, Map<String, List<String>> rows) throws SQLException {
        for (Map.Entry<String, String> relation : RELATIONS.entrySet()) {
            rows.put(relation.getKey(), comparable(session.query("select " + relation.getValue() + " from " + engine.quote(schema) + "."
                    + engine.quote(relation.getKey()), 100_000).rows()));
        }
    }

    /** Rows as text: timestamps in one spelling, fractional numbers rounded to 12 significant digits (the floating-point tolerance). */
    private static List<String> comparable(List<List<String>> rows) {
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            List<String> values = new ArrayList<>();
            for (String value : row) {
                if (value == null) {
                    values.add("null");
                } else if (FRACTIONAL.matcher(value).matches()) {
                    values.add(new BigDecimal(value).round(new MathContext(12)).stripTrailingZeros().toPlainString());
                } else {
                    values.add(TIMESTAMP_ZERO_FRACTION.matcher(value).replaceFirst("$1"));
                }
            }
            lines.add(String.join("|", values));
        }
        return lines;
    }
}
