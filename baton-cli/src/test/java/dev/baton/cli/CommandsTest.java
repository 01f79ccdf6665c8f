package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.event.RunStatus;
import dev.baton.state.NodeResultRecord;
import dev.baton.state.RunRecord;
import dev.baton.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Path shop() {
        return Cli.copy(Cli.example("shop"), temp.resolve("shop"));
    }

    private static List<String> planNodes(JsonNode plan) {
        List<String> nodes = new ArrayList<>();
        plan.get("steps").forEach(step -> nodes.add(step.get("node").asText()));
        return nodes;
    }

    @Test
    void hooksGrantsAndSqlHeadersAreNamedOnceAsNotActedOn() throws Exception {
        Path shop = shop();
        Files.writeString(shop.resolve("baton.yml"), Files.readString(shop.resolve("baton.yml"))
                .replace("models:\n  shop:\n", "on-run-end: [\"vacuum\"]\nmodels:\n  shop:\n    +post-hook: \"analyze {{ this }}\"\n"));
        Files.writeString(shop.resolve("models/marts/orders.sql"), "{{ config(grants={'select': ['reporter']}) }}\n"
                + Files.readString(shop.resolve("models/marts/orders.sql")));
        for (String command : new String[] {"compile", "compile"}) {
            Cli.Result result = Cli.run(command, "--project-dir", shop.toString());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.err().lines().filter(line -> line.startsWith("warning: ")).toList()).containsExactly(
                    "warning: baton.yml:24:1: on-run-end is set, but Baton does not run it: hooks are not run yet; run the statements yourself",
                    "warning: models/marts/customers.sql: config 'post-hook' is set on model 'customers' and 5 other nodes, but Baton builds "
                            + "without it: hooks are not run yet; run the statements yourself",
                    "warning: models/marts/orders.sql: config 'grants' is set on model 'orders', but Baton builds without it: grants are not "
                            + "applied yet; grant the privileges yourself");
        }
    }

    @Test
    void buildExecutesExactlyThePlanAndReasonsFollowTheStateStore() throws Exception {
        Path shop = shop();
        Cli.Result plan = Cli.run("plan", "--project-dir", shop.toString(), "-s", "+customers", "--output", "json");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        JsonNode steps = JSON.readTree(plan.out());
        assertThat(steps.get("steps").get(0).get("reason").asText()).isEqualTo("new");

        Cli.Result build = Cli.run("build", "--project-dir", shop.toString(), "-s", "+customers");
        assertThat(build.exitCode()).as(build.toString()).isZero();
        JsonNode results = JSON.readTree(shop.resolve("target/run_results.json").toFile());
        List<String> executed = new ArrayList<>();
        results.get("results").forEach(result -> executed.add(result.get("unique_id").asText()));
        assertThat(executed).containsExactlyElementsOf(planNodes(steps));

        JsonNode again = JSON.readTree(Cli.run("plan", "--project-dir", shop.toString(), "-s", "+customers", "--output", "json").out());
        assertThat(again.get("steps").findValuesAsText("reason")).doesNotContain("new", "modified");
        Files.writeString(shop.resolve("models/marts/orders.sql"), Files.readString(shop.resolve("models/marts/orders.sql")) + "\n-- changed\n");
        JsonNode changed = JSON.readTree(Cli.run("plan", "--project-dir", shop.toString(), "-s", "orders", "--output", "json").out());
        assertThat(changed.get("steps").get(0).get("node").asText()).isEqualTo("model.shop.orders");
        assertThat(changed.get("steps").get(0).get("reason").asText()).isEqualTo("modified");
    }

    @Test
    void aCommandLineBuildsOnlyTheSubcommandItNamesAndHelpOrAMistakeGetsThemAll() {
        assertThat(BatonCommand.subcommandsFor(new String[] {"compile", "--project-dir", "build"})).containsExactly(CompileCommand.class);
        assertThat(BatonCommand.subcommandsFor(new String[] {"--debug", "list", "-s", "a"})).containsExactly(ListCommand.class);
        for (String[] args : List.of(new String[] {}, new String[] {"--help"}, new String[] {"biuld"}, new String[] {"generate-completion"})) {
            assertThat(BatonCommand.subcommandsFor(args)).as(String.join(" ", args)).isEqualTo(BatonCommand.SUBCOMMANDS);
        }
        Cli.Result help = Cli.run("--debug", "ls", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: baton ls [");
        Cli.Result mistake = Cli.run("--debug", "biuld");
        assertThat(mistake.exitCode()).isEqualTo(2);
        assertThat(mistake.err()).contains("Did you mean: baton build?");
    }

    @Test
    void planPrintsATable() {
        Cli.Result plan = Cli.run("plan", "--project-dir", shop().toString(), "-s", "stg_orders");
        assertThat(plan.exitCode()).isZero();
        assertThat(plan.out()).contains("Plan for 'baton build' on target dev: ")
                .contains("model.shop.stg_orders").contains("create view").contains("new");
    }

    @Test
    void stateStoreRecordsRunsAndNodeResults() {
        Path shop = shop();
        assertThat(Cli.run("build", "--project-dir", shop.toString()).exitCode()).isZero();
        try (StateStore store = StateStore.open(shop, Optional.empty())) {
            List<RunRecord> runs = store.recentRuns(10);
            assertThat(runs).hasSize(1);
            RunRecord run = runs.get(0);
            assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
            assertThat(run.project()).isEqualTo("shop");
            assertThat(run.target()).isEqualTo("dev");
            assertThat(run.command()).isEqualTo("baton build --project-dir " + shop);
            List<NodeResultRecord> results = store.nodeResults(run.id());
            assertThat(results).hasSize(29);
            NodeResultRecord orders = results.stream().filter(r -> r.nodeId().equals("model.shop.orders")).findFirst().orElseThrow();
            assertThat(orders.rowsAffected()).hasValue(60);
            assertThat(orders.compiledSqlHash()).hasValueSatisfying(hash -> assertThat(hash).hasSize(64));
            assertThat(orders.relation()).contains("main.orders");
        }
        Cli.Result runs = Cli.run("runs", "--project-dir", shop.toString());
        assertThat(runs.out()).contains("success").contains("baton build --project-dir");
    }

    @Test
    void runsShowAcceptsAPrefix() throws Exception {
        Path shop = shop();
        Cli.run("build", "--project-dir", shop.toString(), "-s", "+stg_orders");
        String runId = JSON.readTree(shop.resolve("target/run_results.json").toFile()).get("metadata").get("invocation_id").asText();
        Cli.Result show = Cli.run("runs", "show", runId.substring(0, 8), "--project-dir", shop.toString());
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains("run      " + runId).contains("status   success").contains("model.shop.stg_orders");
        Cli.Result missing = Cli.run("runs", "show", "nope", "--project-dir", shop.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no run with id 'nope'");
    }

    @Test
    void artifactsCarryTheirSchemaVersions() throws Exception {
        Path shop = shop();
        Cli.run("build", "--project-dir", shop.toString());
        JsonNode manifest = JSON.readTree(shop.resolve("target/manifest.json").toFile());
        assertThat(manifest.get("metadata").get("schema_version").asText()).isEqualTo("https://baton.dev/schemas/manifest/v1.json");
        JsonNode orders = manifest.get("nodes").get("model.shop.orders");
        assertThat(orders.get("resource_type").asText()).isEqualTo("model");
        assertThat(orders.get("relation_name").asText()).isEqualTo("\"main\".\"orders\"");
        assertThat(orders.get("config").get("materialized").asText()).isEqualTo("table");
        assertThat(orders.get("config").get("meta").get("tier").asInt()).isZero();
        assertThat(orders.get("depends_on").get("nodes").toString()).contains("model.shop.stg_orders").contains("model.shop.int_order_payments");
        assertThat(orders.get("compiled_code").asText()).contains("__dbt__cte__int_order_payments as (");
        JsonNode runResults = JSON.readTree(shop.resolve("target/run_results.json").toFile());
        assertThat(runResults.get("metadata").get("schema_version").asText()).isEqualTo("https://baton.dev/schemas/run-results/v1.json");
        assertThat(runResults.get("results")).hasSize(29);
        JsonNode first = runResults.get("results").get(0);
        assertThat(first.fieldNames()).toIterable().contains("unique_id", "status", "message", "execution_time", "failures", "rows_affected");
        assertThat(Files.readString(shop.resolve("target/compiled/shop/models/marts/orders.sql"))).contains("\"main\".\"stg_orders\"");
    }

    @Test
    void listsNodesAsTextAndJson() throws Exception {
        Path shop = shop();
        Cli.Result text = Cli.run("ls", "--project-dir", shop.toString(), "-s", "+customers", "--resource-type", "model");
        assertThat(text.exitCode()).isZero();
        assertThat(text.out().lines()).containsExactly("shop.staging.stg_customers", "shop.staging.stg_orders", "shop.staging.stg_payments",
                "shop.marts.int_order_payments", "shop.marts.orders", "shop.marts.customers");
        Cli.Result json = Cli.run("ls", "--project-dir", shop.toString(), "-s", "tag:staging", "--output", "json", "--resource-type", "model");
        List<String> names = new ArrayList<>();
        for (String line : json.out().lines().toList()) {
            names.add(JSON.readTree(line).get("unique_id").asText());
        }
        assertThat(names).containsExactly("model.shop.stg_customers", "model.shop.stg_orders", "model.shop.stg_payments");
    }

    @Test
    void jsonLogFormatPrintsOneObjectPerEvent() throws Exception {
        Cli.Result build = Cli.run("build", "--project-dir", shop().toString(), "-s", "+stg_orders", "--log-format", "json");
        assertThat(build.exitCode()).isZero();
        List<String> events = new ArrayList<>();
        for (String line : build.out().lines().toList()) {
            events.add(JSON.readTree(line).get("event").asText());
        }
        assertThat(events.get(0)).isEqualTo("run_started");
        assertThat(events.get(events.size() - 1)).isEqualTo("run_finished");
        assertThat(events).contains("node_started", "node_finished");
    }

    @Test
    void textOutputHasDbtsLineShape() {
        Cli.Result build = Cli.run("build", "--project-dir", shop().toString(), "-s", "+stg_payments");
        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(build.out()).containsPattern("\\d\\d:\\d\\d:\\d\\d  \\d of \\d+ OK created view model main\\.stg_payments \\.+ \\[OK in \\d+\\.\\d\\ds\\]");
        assertThat(build.out()).containsPattern("PASS unique_stg_payments_payment_id \\.+ \\[PASS in \\d+\\.\\d\\ds\\]");
        assertThat(build.out()).contains("Completed successfully").containsPattern("Done. PASS=\\d+ WARN=0 ERROR=0 SKIP=0 TOTAL=\\d+");
    }

    @Test
    void initScaffoldsAProjectThatBuildsAndPasses() {
        Cli.Result init = Cli.run("init", "my_team", "--parent-dir", temp.toString());
        assertThat(init.exitCode()).as(init.toString()).isZero();
        Cli.Result build = Cli.run("build", "--project-dir", temp.resolve("my_team").toString());
        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(build.out()).contains("Completed successfully").contains("ERROR=0");
        Cli.Result again = Cli.run("init", "my_team", "--parent-dir", temp.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("already exists");
        Cli.Result bad = Cli.run("init", "my-team", "--parent-dir", temp.toString());
        assertThat(bad.err().strip()).isEqualTo("error: project name 'my-team' must contain only letters, digits and underscores, starting with a letter; try 'my_team'");
    }

    @Test
    void debugChecksProjectTargetAndConnections() {
        Cli.Result debug = Cli.run("debug", "--project-dir", shop().toString());
        assertThat(debug.exitCode()).as(debug.toString()).isZero();
        assertThat(debug.out()).contains("project:      OK shop (baton.yml, ").contains("connection:   OK duckdb v")
                .contains("state store:  OK .baton/state.db").contains("All checks passed.");
    }

    @Test
    void versionHelpAndCompletion() {
        assertThat(Cli.run("--version").out()).startsWith("baton 0.1.0");
        assertThat(Cli.run("--help").out()).contains("build").contains("compile").contains("plan").contains("runs");
        Cli.Result completion = Cli.run("generate-completion");
        assertThat(completion.exitCode()).isZero();
        assertThat(completion.out()).contains("complete -F");
    }

    @Test
    void aWarnTestDoesNotFailTheRunButAnErrorTestDoes() {
        Path root = Cli.project(temp.resolve("p"),
                "baton.yml", "name: p\n",
                "models/a.sql", "select 1 as id union all select 1",
                "models/b.sql", "select * from {{ ref('a') }}",
                "models/a.yml", "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        tests:\n          - unique:\n              config:\n                severity: warn\n");
        Cli.Result warn = Cli.run("build", "--project-dir", root.toString());
        assertThat(warn.exitCode()).as(warn.toString()).isZero();
        assertThat(warn.out()).contains("WARN 1 unique_a_id").contains("Completed with 0 errors and 1 warning:");
        Cli.project(root, "models/a.yml", "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        tests: [unique]\n");
        Cli.Result fail = Cli.run("build", "--project-dir", root.toString());
        assertThat(fail.exitCode()).isEqualTo(1);
        assertThat(fail.out()).contains("FAIL 1 unique_a_id").contains("SKIP view model main.b").contains("Got 1 result, configured to fail if != 0");
    }
}
