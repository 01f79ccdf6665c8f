package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write-audit-publish from the command line: plan --explain, build output, and check mistakes. */
class AuditCommandsTest {
    private static final String PROPERTIES = """
            version: 2
            models:
              - name: orders
                columns:
                  - name: id
                    tests:
                      - unique
                      - not_null
                  - name: status
                    tests:
                      - accepted_values:
                          values: [placed, shipped]
            """;

    @TempDir
    Path temp;

    private Path project(String ordersSql, String properties) {
        return Cli.project(temp.resolve("p"), "baton.yml", "name: shop\n",
                "models/orders.sql", "{{ config(materialized='table') }}\n" + ordersSql,
                "models/report.sql", "select count(*) as n from {{ ref('orders') }}\n",
                "models/schema.yml", properties);
    }

    private static void assertUserError(Cli.Result result, String message) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo("error: " + message);
        assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void planExplainShowsWhichChecksShareWhichQuery() {
        Path root = project("select 1 as id, 'placed' as status\n", PROPERTIES.replace("              values: [placed, shipped]\n",
                "              values: [placed, shipped]\n          - expression_is_true: {expression: \"like '%e%'\"}\n"));
        Cli.Result plan = Cli.run("plan", "--project-dir", root.toString(), "--explain");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("""
                Audits (checks run on the staged relation; it is published only if no error-level check fails):
                  model.shop.orders: 4 checks in 3 queries
                    query 1 aggregate: expression_is_true_orders_status__like_e_
                    query 2 filtered counts: accepted_values_orders_status__placed__shipped, not_null_orders_id
                    query 3 distinct values (id): unique_orders_id
                """);
    }

    @Test
    void planExplainShowsTheChecksDuckDbCountsApart() {
        Path root = project("select 1 as id, 'placed' as status\n", PROPERTIES.replace("          - not_null\n",
                "          - not_null\n          - accepted_range: {min_value: 0}\n          - expression_is_true: {expression: \"< 1000\"}\n"));
        Cli.Result plan = Cli.run("plan", "--project-dir", root.toString(), "--explain");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("""
                  model.shop.orders: 5 checks in 2 queries
                    query 1 filtered counts: accepted_range_orders_id__0, accepted_values_orders_status__placed__shipped, expression_is_true_orders_id___1000, not_null_orders_id
                    query 2 distinct values (id): unique_orders_id
                """);
    }

    @Test
    void aBuildWhoseChecksFailKeepsThePreviousVersionAndSaysSo() throws Exception {
        Path root = project("select 1 as id, 'placed' as status\n", PROPERTIES);
        assertThat(Cli.run("build", "--project-dir", root.toString()).exitCode()).isZero();
        Files.writeString(root.resolve("models/orders.sql"), "{{ config(materialized='table') }}\nselect 1 as id, 'lost' as status union all select 1, 'placed'\n");
        Cli.Result build = Cli.run("build", "--project-dir", root.toString());
        assertThat(build.exitCode()).as(build.toString()).isEqualTo(1);
        assertThat(build.out()).containsPattern("FAIL 2 table model main\\.orders \\.+ \\[FAIL 2 in ")
                .containsPattern("SKIP view model main\\.report \\.+ \\[SKIP\\]")
                .containsPattern("FAIL 1 unique_orders_id \\.+ \\[FAIL 1 in ")
                .containsPattern("Failure in model orders\\n[0-9:]+    kept previous version of main\\.orders \\(built 20[0-9-]+T[0-9:]+Z\\); 2 checks failed");
        Cli.Result runs = Cli.run("runs", "--project-dir", root.toString());
        assertThat(runs.exitCode()).isZero();
    }

    @Test
    void onADbtProjectTheFailingModelIsNotPublishedWhereDbtWouldPublishIt() throws Exception {
        Path jaffle = Cli.copy(Cli.fixture("dbt_jaffle"), temp.resolve("dbt_jaffle"));
        Cli.Result build = Cli.run("build", "--project-dir", jaffle.toString(), "--threads", "2");
        assertThat(build.exitCode()).as(build.toString()).isEqualTo(1);
        assertThat(build.out()).contains("did not publish main.orders, which has no previous version; 1 check failed")
                .containsPattern("FAIL 2 accepted_values_orders_status__placed__shipped__completed[ .]+\\[FAIL 2 in ");
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:duckdb:" + jaffle.resolve("target/jaffle.duckdb"));
                java.sql.ResultSet tables = connection.createStatement().executeQuery(
                        "select count(*) from information_schema.tables where table_name in ('orders', 'orders__baton_staging')")) {
            tables.next();
            assertThat(tables.getInt(1)).isZero();
        }
    }

    @Test
    void aMalformedThresholdIsAnErrorWithItsLine() {
        Path root = project("select 1 as id\n", """
                version: 2
                models:
                  - name: orders
                    columns:
                      - name: id
                        tests:
                          - not_null:
                              config:
                                warn_if: "more than 10"
                """);
        assertUserError(Cli.run("build", "--project-dir", root.toString()),
                "models/schema.yml:7:13: 'warn_if' must be a comparison with a whole number, such as \">10\" or \"!=0\", not 'more than 10'");
    }

    @Test
    void anUnknownCheckSuggestsTheClosestOne() {
        Path root = project("select 1 as id\n", """
                version: 2
                models:
                  - name: orders
                    tests:
                      - row_cont: {min_value: 1}
                """);
        assertUserError(Cli.run("build", "--project-dir", root.toString()), "models/schema.yml:5:9: unknown test 'row_cont'; did you mean 'row_count'?");
    }

    @Test
    void aCheckMissingItsArgumentSaysWhatToGive() {
        Path root = project("select 1 as id\n", """
                version: 2
                models:
                  - name: orders
                    tests:
                      - recency: {field: id, datepart: fortnight, interval: 1}
                """);
        assertUserError(Cli.run("build", "--project-dir", root.toString()),
                "models/schema.yml:5:9: 'datepart' of test 'recency' must be second, minute, hour, day, week, month or year, not 'fortnight'");
    }
}
