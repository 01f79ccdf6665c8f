package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** baton contract export and diff, and a build recording the contract it published. */
class ContractCommandsTest {
    private static final String PROPERTIES = """
            version: 2
            models:
              - name: orders
                config:
                  contract: {enforced: true}
                  meta: {owner: finance, version: 1.0.0}
                columns:
                  - name: id
                    data_type: bigint
                    constraints: [{type: primary_key}]
                  - name: status
                    data_type: varchar
                  - name: note
                    data_type: varchar
            """;

    @TempDir
    Path temp;

    @Test
    void runRefusesToPublishAModelThatBreaksItsContract() throws Exception {
        Path root = Cli.project(temp.resolve("p"), "baton.yml", "name: shop\n",
                "models/orders.sql", "{{ config(materialized='table') }}\nselect 1::bigint as id, 'placed' as status, 'x' as note\n",
                "models/schema.yml", PROPERTIES);
        Cli.Result first = Cli.run("run", "--project-dir", root.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Files.writeString(root.resolve("models/orders.sql"), "{{ config(materialized='table') }}\nselect 1::int as id, 'placed' as status, 'x' as note\n"
                + "union all select 1, 'shipped', 'y'\n");
        Cli.Result broken = Cli.run("run", "--project-dir", root.toString());
        assertThat(broken.exitCode()).as(broken.toString()).isEqualTo(1);
        assertThat(broken.out()).containsPattern("kept previous version of main\\.orders \\(built [^)]+\\); the contract is not met:\n[0-9:]* *"
                + "  models/schema\\.yml:8:9: column 'id' has type INTEGER, the contract says bigint \\(BIGINT\\); cast it in the query or change data_type");
        assertThat(broken.out()).contains("FAIL 1 ").contains("[FAIL 1 in ");
        assertThat(broken.err()).doesNotContain("Exception");
    }

    @Test
    void exportWritesTheModelsContract() throws Exception {
        Path root = Cli.project(temp.resolve("p"), "baton.yml", "name: shop\n",
                "models/orders.sql", "{{ config(materialized='table') }}\nselect 1::bigint as id, 'placed' as status, 'x' as note\n",
                "models/schema.yml", PROPERTIES);
        Cli.Result export = Cli.run("contract", "export", "orders", "--project-dir", root.toString());
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.out()).startsWith("apiVersion: v3.1.0\nkind: DataContract\nid: shop.orders\nname: orders\nversion: 1.0.0\n")
                .contains("team:\n  name: finance\n");
        Cli.Result file = Cli.run("contract", "export", "orders", "--project-dir", root.toString(), "--output-file", "out/orders.odcs.yaml");
        assertThat(file.out()).isEqualTo("Wrote the contract of model orders to out/orders.odcs.yaml\n");
        assertThat(Files.readString(root.resolve("out/orders.odcs.yaml"))).isEqualTo(export.out());
        Cli.Result unknown = Cli.run("contract", "export", "order", "--project-dir", root.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("error: unknown model 'order'; did you mean 'orders'?");
    }

    @Test
    void diffComparesWithThePublishedContractAndFailsOnBreakingChanges() throws Exception {
        Path root = Cli.project(temp.resolve("p"), "baton.yml", "name: shop\n",
                "models/orders.sql", "{{ config(materialized='table') }}\nselect 1::bigint as id, 'placed' as status, 'x' as note\n",
                "models/schema.yml", PROPERTIES);
        Cli.Result first = Cli.run("contract", "diff", "--project-dir", root.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).isEqualTo("model orders (version 1.0.0):\n  INFO     new contract, never published\n0 errors, 0 warnings, 1 info\n");
        Cli.Result build = Cli.run("build", "--project-dir", root.toString());
        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(Cli.run("contract", "diff", "--project-dir", root.toString()).out()).isEqualTo("model orders (version 1.0.0): no changes\n"
                + "0 errors, 0 warnings, 0 info\n");

        Files.writeString(root.resolve("models/schema.yml"), PROPERTIES.replace("data_type: bigint", "data_type: int")
                .replace("      - name: note\n        data_type: varchar\n", "      - name: amount\n        data_type: double\n"));
        Cli.Result breaking = Cli.run("contract", "diff", "--project-dir", root.toString());
        assertThat(breaking.exitCode()).as(breaking.toString()).isEqualTo(1);
        assertThat(breaking.out()).isEqualTo("""
                model orders (version 1.0.0):
                  ERROR    type of column 'id' narrowed from BIGINT to INTEGER
                  ERROR    column 'note' was removed
                  INFO     column 'amount' was added (DOUBLE)
                  breaking changes: raise meta.version (the contract's version) to accept them
                2 errors, 0 warnings, 1 info; breaking changes without a version bump
                """);
        Cli.Result json = Cli.run("contract", "diff", "--project-dir", root.toString(), "--output", "json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(json.out()).contains("\"severity\" : \"ERROR\",\n      \"change\" : \"column_removed\",\n      \"column\" : \"note\"")
                .contains("\"breaking\" : true");

        Files.writeString(root.resolve("models/schema.yml"), Files.readString(root.resolve("models/schema.yml")).replace("version: 1.0.0", "version: 2.0.0"));
        Cli.Result bumped = Cli.run("contract", "diff", "--project-dir", root.toString());
        assertThat(bumped.exitCode()).as(bumped.toString()).isZero();
        assertThat(bumped.out()).contains("model orders (version 1.0.0 -> 2.0.0):\n").contains("  breaking changes accepted: the version was raised\n");
    }

    @Test
    void anOdcsFileThatBreaksTheStandardStopsTheBuildWithItsLine() {
        Path root = Cli.project(temp.resolve("p"), "baton.yml", "name: shop\n",
                "models/orders.sql", "{{ config(materialized='table') }}\nselect 1 as id\n",
                "contracts/orders.yaml", "apiVersion: v3.1.0\nkind: DataContract\nid: shop.orders\nversion: 1.0.0\nstatus: active\n"
                        + "schema:\n  - name: orders\n    properties:\n      - name: id\n        logicalType: int\n");
        Cli.Result build = Cli.run("build", "--project-dir", root.toString());
        assertThat(build.exitCode()).as(build.toString()).isEqualTo(2);
        assertThat(build.err().strip()).isEqualTo("error: contracts/orders.yaml:10:9: 'logicalType' must be one of string, date, timestamp, time, "
                + "number, integer, object, array, boolean, not 'int'");
    }

    @Test
    void planExplainNamesTheChecksJudgedAgainstTheMetricHistory() {
        Path root = Cli.project(temp.resolve("p"), "baton.yml", "name: shop\n",
                "models/orders.sql", "{{ config(materialized='table') }}\nselect 1 as id\n",
                "models/schema.yml", "version: 2\nmodels:\n  - name: orders\n    tests: [volume_anomaly]\n    columns:\n      - name: id\n"
                        + "        tests: [not_null, {column_anomaly: {metric: null_rate}}]\n");
        Cli.Result plan = Cli.run("plan", "--project-dir", root.toString(), "--explain");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("""
                  model.shop.orders: 3 checks in 2 queries
                    query 1 aggregate: metrics only
                    query 2 filtered counts: not_null_orders_id
                    against the metric history (measured by queries 1 and 2): column_anomaly_orders_id__null_rate, volume_anomaly_orders
                """);
    }
}
