package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.engine.Engines;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example project on the test machine's PostgreSQL server, in a database of its own: it builds
 * with {@code --target pg} into the same relations, row for row, with the same check results as on
 * DuckDB; and the mistakes a PostgreSQL user makes end in clear errors.
 */
class PostgresTargetTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RELATIONS = List.of("raw_customers", "raw_orders", "raw_payments", "stg_customers", "stg_orders",
            "stg_payments", "orders", "customers");
    private static final Pattern TIMESTAMP_ZERO_FRACTION = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})\\.0$");
    private static final Pattern FRACTIONAL = Pattern.compile("^-?\\d+\\.\\d+([eE][-+]?\\d+)?$");

    private static String database;

    @TempDir
    Path temp;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = "baton_cli_pg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + database);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static void admin(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The example with a PostgreSQL target {@code pg} (in the schema given) beside its DuckDB target {@code dev}. */
    private Path shop(String schema, String moreTargets) throws IOException {
        Path shop = Cli.copy(Cli.example("shop"), temp.resolve("shop"));
        String project = Files.readString(shop.resolve("baton.yml"));
        String dev = "    threads: 4\n";
        assertThat(project).contains(dev);
        Files.writeString(shop.resolve("baton.yml"), project.replaceFirst(dev, dev + """
                  pg:
                    type: postgres
                    host: 127.0.0.1
                    port: 5432
                    user: postgres
                    password: "{{ env_var('BATON_TEST_PG_PASSWORD', '') }}"
                    dbname: DATABASE
                    schema: SCHEMA
                    threads: 4
                """.replace("DATABASE", database).replace("SCHEMA", schema) + moreTargets));
        return shop;
    }

    @Test
    void theExampleBuildsOnPostgresIntoTheSameRelationsWithTheSameCheckResultsAsOnDuckDb() throws Exception {
        Path shop = shop("shop_acceptance", "");

        Cli.Result onDuckDb = Cli.run("build", "--project-dir", shop.toString());
        assertThat(onDuckDb.exitCode()).as(onDuckDb.toString()).isZero();
        Map<String, String> duckDbResults = results(shop);
        Cli.Result onPostgres = Cli.run("build", "--project-dir", shop.toString(), "--target", "pg");
        assertThat(onPostgres.exitCode()).as(onPostgres.toString()).isZero();
        Map<String, String> postgresResults = results(shop);

        assertThat(postgresResults).isEqualTo(duckDbResults).hasSize(29);
        assertThat(postgresResults).containsEntry("test.shop.assert_positive_order_totals", "pass, 0 failures");
        for (String relation : RELATIONS) {
            List<String> onDuck = rows(shop, "dev", "main", relation);
            List<String> onPg = rows(shop, "pg", "shop_acceptance", relation);
            assertThat(onPg).as(relation).isNotEmpty().containsExactlyInAnyOrderElementsOf(onDuck);
        }
        assertThat(rows(shop, "pg", "shop_acceptance", "stg_payments")).contains("1|1|bank_transfer|94.95");

        Cli.Result again = Cli.run("build", "--project-dir", shop.toString(), "--target", "pg");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(results(shop)).isEqualTo(duckDbResults);
        assertThat(rows(shop, "pg", "shop_acceptance", "customers")).containsExactlyInAnyOrderElementsOf(rows(shop, "dev", "main", "customers"));
    }

    /** Status and failure count of every node of the last run, from run_results.json. */
    private static Map<String, String> results(Path shop) throws IOException {
        Map<String, String> results = new TreeMap<>();
        for (JsonNode result : JSON.readTree(shop.resolve("target/run_results.json").toFile()).get("results")) {
            JsonNode failures = result.get("failures");
            results.put(result.get("unique_id").asText(), result.get("status").asText()
                    + (failures == null || failures.isNull() ? "" : ", " + failures.asText() + " failures"));
        }
        return results;
    }

    /**
     * A relation's rows as comparable text: timestamps in one spelling, and fractional numbers
     * rounded to 12 significant digits (the tolerance for floating point), columns joined by {@code |}.
     */
    private static List<String> rows(Path shop, String target, String schema, String relation) throws Exception {
        Project project = ProjectLoader.load(new dev.baton.project.LoadOptions(shop, java.util.Optional.of(target), Map.of(), System.getenv()));
        try (Engine engine = Engines.open(project.target(), shop, 1, System.getenv()); EngineSession session = engine.openSession()) {
            List<String> rows = new ArrayList<>();
            for (List<String> row : session.query("select * from " + engine.quote(schema) + "." + engine.quote(relation), 100_000).rows()) {
                List<String> values = new ArrayList<>();
                for (String value : row) {
                    values.add(comparable(value));
                }
                rows.add(String.join("|", values));
            }
            return rows;
        }
    }

    private static String comparable(String value) {
        if (value == null) {
            return "null";
        }
        if (FRACTIONAL.matcher(value).matches()) {
            return new BigDecimal(value).round(new MathContext(12)).stripTrailingZeros().toPlainString();
        }
        return TIMESTAMP_ZERO_FRACTION.matcher(value).replaceFirst("$1");
    }

    @Test
    void debugConnectsToAPostgresTargetAndReportsItsVersion() throws IOException {
        Path shop = shop("shop_debug", "");

        Cli.Result debug = Cli.run("debug", "--project-dir", shop.toString(), "--target", "pg");

        assertThat(debug.exitCode()).as(debug.toString()).isZero();
        assertThat(debug.out()).contains("  target:       pg (postgres, 127.0.0.1:5432/" + database + ", schema shop_debug)\n")
                .containsPattern("  connection:   OK PostgreSQL \\d+\\.\\d+")
                .contains("All checks passed.");
    }

    @Test
    void anUnreachableServerFailsTheBuildNamingTheTarget() throws IOException {
        Path shop = shop("shop_down", """
                  pg_down:
                    type: postgres
                    host: 127.0.0.1
                    port: 1
                    user: postgres
                    dbname: analytics
                """);
        int line = lineOf(shop.resolve("baton.yml"), "  pg_down:") + 1;

        Cli.Result build = Cli.run("build", "--project-dir", shop.toString(), "--target", "pg_down");

        assertThat(build.exitCode()).as(build.toString()).isEqualTo(1);
        assertThat(build.err().strip()).startsWith("error: baton.yml:" + line + ":5: could not connect to target 'pg_down' (postgres at 127.0.0.1:1,"
                        + " database analytics, user postgres): Connection to 127.0.0.1:1 refused.")
                .endsWith("; check host and port of the target and that the server is running and accepts TCP connections")
                .doesNotContain("\tat ");

        Cli.Result debug = Cli.run("debug", "--project-dir", shop.toString(), "--target", "pg_down");
        assertThat(debug.exitCode()).isEqualTo(1);
        assertThat(debug.out()).contains("  connection:   ERROR baton.yml:" + line + ":5: could not connect to target 'pg_down'").contains("1 check failed.");
    }

    @Test
    void anUnknownTargetTypeIsRefusedWithTheKnownTypes() throws IOException {
        Path shop = shop("shop_unknown", """
                  warehouse:
                    type: snowflake
                    account: acme
                """);
        int line = lineOf(shop.resolve("baton.yml"), "    type: snowflake");

        Cli.Result build = Cli.run("build", "--project-dir", shop.toString(), "--target", "warehouse");

        assertThat(build.exitCode()).as(build.toString()).isEqualTo(2);
        assertThat(build.err().strip()).isEqualTo("error: baton.yml:" + line
                + ":5: target 'warehouse' has type 'snowflake', which this Baton cannot build on; known types: duckdb, postgres");
    }

    @Test
    void aKeyThatAPostgresTargetDoesNotHaveIsRefusedWithTheKeysItHas() throws IOException {
        Path shop = shop("shop_keys", """
                  pg_typo:
                    type: postgres
                    hostname: 127.0.0.1
                    dbname: analytics
                """);
        int line = lineOf(shop.resolve("baton.yml"), "    hostname: 127.0.0.1");

        Cli.Result build = Cli.run("build", "--project-dir", shop.toString(), "--target", "pg_typo");

        assertThat(build.exitCode()).as(build.toString()).isEqualTo(2);
        assertThat(build.err().strip()).isEqualTo("error: baton.yml:" + line
                + ":5: unknown key 'hostname' in target 'pg_typo' of type postgres; the keys of a postgres target are application_name,"
                + " connect_timeout, database, dbname, host, keepalives_idle, pass, password, port, retries, role, schema, search_path, sslmode,"
                + " threads, type, user");
        Files.writeString(shop.resolve("baton.yml"), Files.readString(shop.resolve("baton.yml")).replace("hostname:", "hots:"));
        assertThat(Cli.run("build", "--project-dir", shop.toString(), "--target", "pg_typo").err().strip()).isEqualTo("error: baton.yml:" + line
                + ":5: unknown key 'hots' in target 'pg_typo' of type postgres; did you mean 'host'?");
    }

    @Test
    void anUnknownTargetTypeInProfilesYmlPointsAtProfilesYml() throws IOException {
        Path root = Cli.project(temp.resolve("dbt"),
                "dbt_project.yml", "name: shop\nprofile: shop\n",
                "profiles.yml", "shop:\n  target: dev\n  outputs:\n    dev:\n      type: postgress\n      host: localhost\n",
                "models/one.sql", "select 1 as id\n");

        Cli.Result build = Cli.run("build", "--project-dir", root.toString());

        assertThat(build.exitCode()).as(build.toString()).isEqualTo(2);
        assertThat(build.err().strip()).isEqualTo("error: profiles.yml:5:7: target 'dev' has type 'postgress', which this Baton cannot build on;"
                + " known types: duckdb, postgres; did you mean 'postgres'?");
    }

    @Test
    void sqlThatPostgresRejectsNamesTheModelTheCompiledLineAndPostgresMessage() throws IOException {
        Path shop = shop("shop_rejected", "");
        Files.writeString(shop.resolve("models/marts/order_lists.sql"), "select\n    order_id,\n    list_value(order_id, customer_id) as ids\nfrom {{ ref('stg_orders') }}\n");

        Cli.Result build = Cli.run("build", "--project-dir", shop.toString(), "--target", "pg", "-s", "+order_lists");

        assertThat(build.exitCode()).as(build.toString()).isEqualTo(1);
        assertThat(build.out()).contains("models/marts/order_lists.sql: compiled SQL line 3: ERROR: function list_value(bigint, bigint) does not exist;"
                + " hint: No function matches the given name and argument types. You might need to add explicit type casts.;"
                + " see target/compiled/shop/models/marts/order_lists.sql");
    }

    @Test
    void aConnectorSourceOnAnEngineThatCannotReadFilesIsRefusedWithItsPlace() throws IOException {
        Path shop = shop("shop_ingest", "");
        Files.writeString(shop.resolve("models/app_sources.yml"), """
                version: 2
                sources:
                  - name: app
                    schema: raw_app
                    connector:
                      type: postgres
                      database: test
                      user: postgres
                      schema: public
                    tables:
                      - name: orders
                """);

        Cli.Result build = Cli.run("build", "--project-dir", shop.toString(), "--target", "pg", "-s", "source:app");

        assertThat(build.exitCode()).as(build.toString()).isEqualTo(1);
        assertThat(build.out()).containsPattern("models/app_sources\\.yml:\\d+(:\\d+)?: source orders loads with a connector, which stages rows as files"
                + " the engine reads itself; the postgres engine cannot read files, so load this source on a DuckDB target, or load it with"
                + " another tool and declare it as a plain source");
    }

    private static int lineOf(Path file, String text) throws IOException {
        Iterator<String> lines = Files.readAllLines(file).iterator();
        int number = 0;
        while (lines.hasNext()) {
            number++;
            if (lines.next().equals(text)) {
                return number;
            }
        }
        throw new AssertionError("no line '" + text + "' in " + file);
    }
}
