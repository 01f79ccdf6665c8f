package dev.baton.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.graph.Graph;
import dev.baton.plan.CommandKind;
import dev.baton.plan.Plan;
import dev.baton.plan.Planner;
import dev.baton.project.LoadOptions;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.run.RecordingSink;
import dev.baton.run.RunOptions;
import dev.baton.run.Runner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OdcsTest {
    @TempDir
    Path root;

    static final String PROPERTIES = """
            version: 2
            models:
              - name: orders
                description: One row per order.
                config:
                  contract: {enforced: true}
                  meta:
                    owner: finance
                    version: 1.2.0
                    sla: {latency: {value: 4, unit: h}, retention: 1 year}
                tests:
                  - row_count: {min_value: 1, max_value: 1000}
                columns:
                  - name: id
                    description: The order's id.
                    data_type: integer
                    constraints: [{type: primary_key}]
                  - name: status
                    data_type: varchar
                    tests:
                      - not_null
                      - accepted_values: {values: [placed, shipped]}
                  - name: amount
                    data_type: decimal(10,2)
            """;

    static final String EXPORTED = """
            apiVersion: v3.1.0
            kind: DataContract
            id: p.orders
            name: orders
            version: 1.2.0
            status: active
            description:
              purpose: One row per order.
            team:
              name: finance
            schema:
            - name: orders
              physicalName: orders
              physicalType: table
              logicalType: object
              properties:
              - name: id
                logicalType: integer
                physicalType: integer
                description: The order's id.
                required: true
                unique: true
                primaryKey: true
              - name: status
                logicalType: string
                physicalType: varchar
                required: true
                unique: false
                quality:
                - metric: invalidValues
                  arguments:
                    validValues:
                    - placed
                    - shipped
                  mustBe: 0
              - name: amount
                logicalType: number
                physicalType: "decimal(10,2)"
                required: false
                unique: false
              quality:
              - metric: rowCount
                mustBeBetween:
                - 1
                - 1000
            slaProperties:
            - property: latency
              value: 4
              unit: h
            - property: retention
              value: 1 year
            """;

    void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    Project load() {
        return ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
    }

    void project(String select) throws IOException {
        write("baton.yml", "name: p\n");
        write("models/orders.sql", "{{ config(materialized='table') }}\n" + select);
    }

    @Test
    void exportThenImportGivesTheSameContract() throws Exception {
        project("select 1 as id, 'placed' as status, 1.5::decimal(10,2) as amount");
        write("models/schema.yml", PROPERTIES);
        Project declared = load();
        OdcsContract exported = Odcs.export(declared, declared.node("model.p.orders").orElseThrow());
        String yaml = Odcs.write(exported);
        assertThat(yaml).isEqualTo(EXPORTED);
        assertThat(Odcs.read(yaml, "contracts/orders.yaml").contract()).isEqualTo(exported);

        Files.delete(root.resolve("models/schema.yml"));
        write("contracts/orders.yaml", yaml);
        Project imported = load();
        assertThat(Odcs.export(imported, imported.node("model.p.orders").orElseThrow())).isEqualTo(exported);
        ModelContract contract = ModelContract.of(imported.node("model.p.orders").orElseThrow()).orElseThrow();
        assertThat(contract.columns()).extracting(ModelContract.Column::name, ModelContract.Column::dataType, ModelContract.Column::constraints)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("id", "integer", List.of("primary_key")),
                        org.assertj.core.groups.Tuple.tuple("status", "varchar", List.of("not_null", "accepted_values")),
                        org.assertj.core.groups.Tuple.tuple("amount", "decimal(10,2)", List.of()));
        assertThat(contract.columns().get(1).location().toString()).isEqualTo("contracts/orders.yaml:24:5");
    }

    @Test
    void anImportedContractIsEnforcedOnTheStagedRelation() throws Exception {
        project("select 1 as id, 'lost' as status, 1.5::decimal(10,2) as amount");
        write("contracts/orders.yaml", EXPORTED);
        Project project = load();
        Graph graph = Graph.of(project.nodes().values());
        Plan plan = Planner.plan(CommandKind.BUILD, project, graph, new LinkedHashSet<>(graph.topologicalOrder()), Map.of(), List.of());
        RecordingSink sink = new RecordingSink();
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 2)) {
            new Runner(engine, project, plan, new RunOptions("0123456789abcdef", 2, false, false), sink).run("baton build");
        }
        NodeResult orders = sink.results().get("model.p.orders");
        assertThat(orders.status()).isEqualTo(NodeStatus.FAIL);
        assertThat(orders.message()).isEqualTo("""
                did not publish main.orders, which has no previous version; 1 check failed
                  contracts/orders.yaml:24:5: contract accepted_values on orders.status: Got 1 result, configured to fail if != 0""");
    }

    @Test
    void aContractKeepsAnIncrementalModelIncremental() throws Exception {
        write("baton.yml", "name: p\n");
        write("models/orders.sql", "{{ config(materialized='incremental', unique_key='id') }}\nselect 1 as id, 'placed' as status,"
                + " 1.5::decimal(10,2) as amount\n");
        write("contracts/orders.yaml", EXPORTED);
        Node orders = load().node("model.p.orders").orElseThrow();
        assertThat(ModelContract.of(orders)).isPresent();
        assertThat(orders.incremental()).hasValueSatisfying(config -> assertThat(config.uniqueKey()).containsExactly("id"));
    }

    void assertInvalid(String yaml, String message) throws IOException {
        write("contracts/orders.yaml", yaml);
        assertThatThrownBy(this::load).isInstanceOfSatisfying(BatonException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONTRACT);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void aFileThatBreaksTheStandardIsAnErrorAtItsLine() throws Exception {
        project("select 1 as id");
        assertInvalid(EXPORTED.replace("apiVersion: v3.1.0", "apiVersion: v2.2.0"),
                "contracts/orders.yaml:1:1: 'apiVersion' must be one of v3.1.0, v3.0.2, v3.0.1, v3.0.0, not 'v2.2.0'");
        assertInvalid(EXPORTED.replace("slaProperties:", "slaProperty:"),
                "contracts/orders.yaml:46:1: unknown key 'slaProperty' in an ODCS contract (ODCS 3.1); did you mean 'slaProperties'?");
        assertInvalid(EXPORTED.replace("logicalType: number", "logicalType: numeric"),
                "contracts/orders.yaml:37:5: 'logicalType' must be one of string, date, timestamp, time, number, integer, object, array, boolean, "
                        + "not 'numeric'");
        assertInvalid(EXPORTED.replace("status: active\n", ""), "contracts/orders.yaml:1:1: missing 'status': one of proposed, draft, active, "
                + "deprecated, retired");
        assertInvalid(EXPORTED.replace("required: true\n    unique: true\n    primaryKey: true", "required: yes please"),
                "contracts/orders.yaml:21:5: 'required' must be true or false, not 'yes please'");
        assertInvalid(EXPORTED.replace("- name: orders\n", "- name: order\n"),
                "contracts/orders.yaml:12:3: the contract is for model 'order', which the project does not have; did you mean 'orders'?");
        assertInvalid(EXPORTED.replace("    physicalType: integer\n", ""),
                "contracts/orders.yaml:17:5: property 'id' has no physicalType; Baton enforces the contract on model 'orders' and needs the SQL type "
                        + "of every column, such as 'physicalType: integer'");
    }

    static final String WITH_RULES = """
            apiVersion: v3.1.0
            kind: DataContract
            id: p.orders
            name: orders
            version: 1.0.0
            status: active
            schema:
            - name: orders
              physicalName: orders
              physicalType: table
              logicalType: object
              properties:
              - name: id
                logicalType: integer
                physicalType: integer
                required: true
                unique: true
                primaryKey: true
              - name: amount
                logicalType: number
                physicalType: "decimal(10,2)"
                required: false
                unique: false
                quality:
                - type: sql
                  name: no_negative_amounts
                  query: "select count(*) from ${object} where ${property} < 0"
                  mustBe: 0
              quality:
              - type: sql
                name: total
                description: The orders add up to a sensible total.
                query: "select sum(amount) from ${object}"
                mustBeBetween:
                - 1
                - 100.5
              - type: custom
                name: ids_are_positive
                engine: baton
                implementation: "select * from ${object} where id <= 0"
            """;

    NodeResult buildOrders() {
        Project project = load();
        Graph graph = Graph.of(project.nodes().values());
        Plan plan = Planner.plan(CommandKind.BUILD, project, graph, new LinkedHashSet<>(graph.topologicalOrder()), Map.of(), List.of());
        RecordingSink sink = new RecordingSink();
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 2)) {
            new Runner(engine, project, plan, new RunOptions("0123456789abcdef", 2, false, false), sink).run("baton build");
        }
        return sink.results().get("model.p.orders");
    }

    @Test
    void sqlAndCustomRulesAreEnforcedBeforePublishing() throws Exception {
        write("contracts/orders.yaml", WITH_RULES);
        project("select range::int as id, (range + 1.5)::decimal(10,2) as amount from range(1, 4)");
        NodeResult good = buildOrders();
        assertThat(good.status()).isEqualTo(NodeStatus.SUCCESS);
        assertThat(good.message()).isEqualTo("created table model main.orders");

        project("select (range - 1)::int as id, (range * 100 - 150)::decimal(10,2) as amount from range(1, 4)");
        NodeResult bad = buildOrders();
        assertThat(bad.status()).isEqualTo(NodeStatus.FAIL);
        assertThat(bad.message()).matches("(?s)kept previous version of main\\.orders \\(built [^)]+\\); 3 checks failed\n.*");
        assertThat(bad.message().substring(bad.message().indexOf('\n') + 1)).isEqualTo(
                "  contracts/orders.yaml:25:7: contract sql rule 'no_negative_amounts' on orders.amount: the query returned 1; it must be = 0\n"
                + "  contracts/orders.yaml:30:5: contract sql rule 'total' on orders: the query returned 150.00; it must be between 1 and 100.5\n"
                + "  contracts/orders.yaml:37:5: contract custom rule 'ids_are_positive' on orders: Got 1 result, configured to fail if != 0");

        // An empty table sums to NULL, which meets no comparison.
        project("select range::int as id, 1.5::decimal(10,2) as amount from range(0)");
        assertThat(buildOrders().message()).endsWith("contracts/orders.yaml:30:5: contract sql rule 'total' on orders: the query returned null; "
                + "it must be between 1 and 100.5");
    }

    @Test
    void sqlAndCustomRulesSurviveExportAndImport() throws Exception {
        write("contracts/orders.yaml", WITH_RULES);
        project("select 1 as id, 1.5::decimal(10,2) as amount");
        Project imported = load();
        OdcsContract exported = Odcs.export(imported, imported.node("model.p.orders").orElseThrow());
        assertThat(exported).isEqualTo(Odcs.read(WITH_RULES, "contracts/orders.yaml").contract());
        assertThat(exported.rules()).hasSize(3);
        assertThat(Odcs.write(exported)).isEqualTo(WITH_RULES);
    }

    @Test
    void rulesBatonCannotRunAreRefusedAtTheirLine() throws Exception {
        project("select 1 as id");
        assertInvalid(WITH_RULES.replace("engine: baton", "engine: soda"), "contracts/orders.yaml:39:5: quality rules of type 'custom' with engine 'soda' "
                + "are not enforced by Baton; it runs custom rules with 'engine: baton' (implementation: a query returning the rows that break the rule), "
                + "'type: sql' rules (a query and a mustBe… comparison) and library metrics; use 'type: text' for a rule people check");
        assertInvalid(WITH_RULES.replace("      mustBe: 0\n", ""), "contracts/orders.yaml:25:7: a sql quality rule needs exactly one comparison of its "
                + "query's value (mustBe, mustNotBe, mustBeGreaterThan, mustBeGreaterOrEqualTo, mustBeLessThan, mustBeLessOrEqualTo, mustBeBetween, "
                + "mustNotBeBetween)");
        assertInvalid(WITH_RULES.replace("mustBe: 0", "mustBe: none"), "contracts/orders.yaml:28:7: 'mustBe' must be a number, not 'none'");
        assertInvalid(WITH_RULES.replace("    implementation: \"select * from ${object} where id <= 0\"\n", ""), "contracts/orders.yaml:37:5: a custom rule "
                + "with 'engine: baton' needs 'implementation', a query returning the rows that break the rule, such as "
                + "'select * from ${object} where amount < 0'");
        assertInvalid(WITH_RULES.replace("type: custom", "type: great"), "contracts/orders.yaml:37:5: quality rules of type 'great' are not enforced by "
                + "Baton; use a library metric, 'type: sql' (a query and a mustBe… comparison), 'type: custom' with 'engine: baton', or 'type: text' for "
                + "a rule people check");
    }
}
