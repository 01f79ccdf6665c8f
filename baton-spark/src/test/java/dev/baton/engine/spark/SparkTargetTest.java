package dev.baton.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example project built with {@code --target spark} (local[2]) into the same relations, row for
 * row, with the same check results as on DuckDB; and the mistakes a Spark user makes end in clear
 * errors. Each build starts and stops its own Spark session, as a run of the CLI does.
 */
class SparkTargetTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RELATIONS = List.of("raw_customers", "raw_orders", "raw_payments", "stg_customers", "stg_orders",
            "stg_payments", "orders", "customers");
    private static final Pattern TIMESTAMP_ZERO_FRACTION = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})\\.0$");
    private static final Pattern FRACTIONAL = Pattern.compile("^-?\\d+\\.\\d+([eE][-+]?\\d+)?$");

    @TempDir
    Path temp;

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    static Result baton(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                System.getenv(), false);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The example with a Spark target {@code spark} beside its DuckDB target {@code dev}, plus {@code moreTargets}. */
    private Path shop(String moreTargets) throws IOException {
        Path shop = ExampleCopy.of("shop", temp.resolve("shop"));
        String project = Files.readString(shop.resolve("baton.yml"));
        String dev = "    threads: 4\n";
        assertThat(project).contains(dev);
        Files.writeString(shop.resolve("baton.yml"), project.replaceFirst(dev, dev + """
                  spark:
                    type: spark
                    master: local[2]
                    schema: shop
                    threads: 2
                    spark_conf:
                      spark.sql.shuffle.partitions: 2
                """ + moreTargets));
        return shop;
    }

    @Test
    void theExampleBuildsOnSparkIntoTheSameRelationsWithTheSameCheckResultsAsOnDuckDb() throws Exception {
        Path shop = shop("");

        Result onDuckDb = baton("build", "--project-dir", shop.toString());
        assertThat(onDuckDb.exitCode()).as(onDuckDb.toString()).isZero();
        Map<String, String> duckDbResults = results(shop);
        Map<String, List<String>> duckDbRows = new TreeMap<>();
        for (String relation : RELATIONS) {
            duckDbRows.put(relation, rows(shop, "dev", "main", relation));
        }

        Result onSpark = baton("build", "--project-dir", shop.toString(), "--target", "spark");
        assertThat(onSpark.exitCode()).as(onSpark.toString()).isZero();

        assertThat(results(shop)).isEqualTo(duckDbResults).hasSize(29).containsEntry("test.shop.assert_positive_order_totals", "pass, 0 failures");
        assertThat(Files.isDirectory(shop.resolve("target/spark-warehouse/shop.db/orders"))).isTrue();
        Map<String, List<String>> sparkRows = sparkRows(shop);
        for (String relation : RELATIONS) {
            assertThat(sparkRows.get(relation)).as(relation).isNotEmpty().containsExactlyInAnyOrderElementsOf(duckDbRows.get(relation));
        }
        assertThat(sparkRows.get("stg_payments")).contains("1|1|bank_transfer|94.95");
    }

    /** Every relation's rows, read in one Spark session after the build (the in-memory catalog lives as long as the session). */
    private Map<String, List<String>> sparkRows(Path shop) throws Exception {
        Map<String, List<String>> rows = new TreeMap<>();
        Project project = ProjectLoader.load(new LoadOptions(shop, Optional.of("spark"), Map.of(), System.getenv()));
        try (Engine engine = Engines.open(project.target(), shop, 1, System.getenv()); EngineSession session = engine.openSession()) {
            for (String relation : RELATIONS) {
                rows.put(relation, comparable(session.query("select * from " + engine.quote("shop") + "." + engine.quote(relation), 100_000).rows()));
            }
        }
        return rows;
    }

    private static List<String> rows(Path shop, String target, String schema, String relation) throws Exception {
        Project project = ProjectLoader.load(new LoadOptions(shop, Optional.of(target), Map.of(), System.getenv()));
        try (Engine engine = Engines.open(project.target(), shop, 1, System.getenv()); EngineSession session = engine.openSession()) {
            return comparable(session.query("select * from " + engine.quote(schema) + "." + engine.quote(relation), 100_000).rows());
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

    private static Map<String, String> results(Path shop) throws IOException {
        Map<String, String> results = new TreeMap<>();
        for (JsonNode result : JSON.readTree(shop.resolve("target/run_results.json").toFile()).get("results")) {
            JsonNode failures = result.get("failures");
            results.put(result.get("unique_id").asText(), result.get("status").asText()
                    + (failures == null || failures.isNull() ? "" : ", " + failures.asText() + " failures"));
        }
        return results;
    }

    @Test
    void anUnreachableMasterFailsFastNamingTheTarget() throws IOException {
        Path shop = shop("""
                  cluster:
                    type: spark
                    master: spark://127.0.0.1:1
                """);
        int line = lineOf(shop.resolve("baton.yml"), "  cluster:") + 1;

        long started = System.nanoTime();
        Result build = baton("build", "--project-dir", shop.toString(), "--target", "cluster");

        assertThat(build.exitCode()).as(build.toString()).isEqualTo(1);
        assertThat(build.err().strip()).isEqualTo("error: baton.yml:" + line + ":5: could not reach the Spark master of target 'cluster' at"
                + " spark://127.0.0.1:1: Connection refused; check master of the target and that the master is running and accepts connections"
                + " from this machine");
        assertThat(System.nanoTime() - started).isLessThan(10_000_000_000L);
    }

    @Test
    void aTableFormatWhoseJarsAreMissingIsRefusedNamingTheJar() throws IOException {
        Path shop = shop("""
                  lake:
                    type: spark
                    file_format: iceberg
                """);
        int line = lineOf(shop.resolve("baton.yml"), "  lake:") + 1;

        Result build = baton("build", "--project-dir", shop.toString(), "--target", "lake");

        assertThat(build.exitCode()).as(build.toString()).isEqualTo(2);
        assertThat(build.err().strip()).isEqualTo("error: baton.yml:" + line + ":5: target 'lake' uses file_format iceberg, which needs the Iceberg"
                + " Spark runtime (iceberg-spark-runtime-4.0_2.13-<version>.jar) on the class path, and org.apache.iceberg.spark.SparkSessionCatalog"
                + " is not there; add the jar to BATON_CLASSPATH, or use 'file_format: parquet'");
    }

    @Test
    void sqlThatSparkRejectsNamesTheModelTheCompiledLineAndSparksMessage() throws IOException {
        Path shop = shop("");
        Files.writeString(shop.resolve("models/marts/order_lists.sql"), "select\n    order_id,\n    list_value(order_id, customer_id) as ids\nfrom {{ ref('stg_orders') }}\n");

        Result build = baton("build", "--project-dir", shop.toString(), "--target", "spark", "-s", "+order_lists");

        assertThat(build.exitCode()).as(build.toString()).isEqualTo(1);
        assertThat(build.out()).contains("models/marts/order_lists.sql: compiled SQL line 3: [UNRESOLVED_ROUTINE] Cannot resolve routine `list_value`")
                .contains("; see target/compiled/shop/models/marts/order_lists.sql");
    }

    private static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line '" + text + "' in " + file);
    }
}
