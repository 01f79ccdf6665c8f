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

class ContractTest {
    @TempDir
    Path root;

    static final String PROPERTIES = """
            version: 2
            models:
              - name: orders
                config:
                  contract: {enforced: true}
                columns:
                  - name: id
                    data_type: int
                    constraints:
                      - type: primary_key
                  - name: status
                    data_type: text
                    constraints:
                      - type: accepted_values
                        values: [placed, shipped]
                  - name: amount
                    data_type: numeric(10, 2)
                    constraints:
                      - type: check
                        expression: "amount >= 0"
                  - name: ordered_at
                    data_type: datetime
            """;

    static final String GOOD = "select range::int4 as id, case when range % 2 = 0 then 'placed' else 'shipped' end::string as status, "
            + "(range * 1.5)::decimal(10,2) as amount, timestamp '2026-01-01' as ordered_at from range(10)";

    void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    void project(String properties, String select) throws IOException {
        write("baton.yml", "name: p\n");
        write("models/orders.sql", "{{ config(materialized='table') }}\n" + select);
        write("models/schema.yml", properties);
    }

    Project load() {
        return ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
    }

    NodeResult build(Engine engine) {
        return execute(engine, CommandKind.BUILD);
    }

    NodeResult execute(Engine engine, CommandKind command) {
        Project project = load();
        Graph graph = Graph.of(project.nodes().values());
        Plan plan = Planner.plan(command, project, graph, new LinkedHashSet<>(graph.topologicalOrder()), Map.of(), List.of());
        RecordingSink sink = new RecordingSink();
        new Runner(engine, project, plan, new RunOptions("0123456789abcdef", 2, false, false), sink).run("baton " + command.label());
        return sink.results().get("model.p.orders");
    }

    long liveRows(Engine engine) throws Exception {
        try (var session = engine.openSession()) {
            return Long.parseLong(session.query("select count(*) from main.orders", 1).rows().get(0).get(0));
        }
    }

    @Test
    void typesCompareWithDuckDbAliasesResolved() {
        assertThat(DataTypes.normalize("int")).isEqualTo("INTEGER");
        assertThat(DataTypes.normalize("int4")).isEqualTo("INTEGER");
        assertThat(DataTypes.normalize("Text")).isEqualTo("VARCHAR");
        assertThat(DataTypes.normalize("varchar(20)")).isEqualTo("VARCHAR");
        assertThat(DataTypes.normalize("string")).isEqualTo("VARCHAR");
        assertThat(DataTypes.normalize("numeric( 10 , 2 )")).isEqualTo("DECIMAL(10,2)");
        assertThat(DataTypes.normalize("decimal")).isEqualTo("DECIMAL(18,3)");
        assertThat(DataTypes.normalize("timestamptz")).isEqualTo("TIMESTAMP WITH TIME ZONE");
        assertThat(DataTypes.same("float8", "double")).isTrue();
        assertThat(DataTypes.same("bigint", "integer")).isFalse();
        assertThat(DataTypes.narrowed("bigint", "int")).isTrue();
        assertThat(DataTypes.narrowed("int", "bigint")).isFalse();
        assertThat(DataTypes.narrowed("decimal(10,2)", "decimal(12,2)")).isFalse();
        assertThat(DataTypes.narrowed("decimal(10,2)", "decimal(10,1)")).isTrue();
        assertThat(DataTypes.narrowed("varchar", "int")).isTrue();
        assertThat(DataTypes.narrowed("int", "text")).isFalse();
    }

    @Test
    void aContractThatHoldsPublishes() throws Exception {
        project(PROPERTIES, GOOD);
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 2)) {
            NodeResult orders = build(engine);
            assertThat(orders.status()).isEqualTo(NodeStatus.SUCCESS);
            assertThat(orders.message()).isEqualTo("created table model main.orders");
            assertThat(liveRows(engine)).isEqualTo(10);
        }
    }

    @Test
    void aMismatchListsEveryDifferenceAndKeepsThePreviousVersion() throws Exception {
        project(PROPERTIES, GOOD);
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 2)) {
            assertThat(build(engine).status()).isEqualTo(NodeStatus.SUCCESS);
            project(PROPERTIES, "select range::bigint as id, 'placed' as status, 1 as discount, timestamp '2026-01-01' as ordered_at from range(3)");
            NodeResult orders = build(engine);
            assertThat(orders.status()).isEqualTo(NodeStatus.FAIL);
            assertThat(orders.message()).matches("(?s)kept previous version of main\\.orders \\(built [^)]+\\); the contract is not met:\n.*");
            assertThat(orders.message().substring(orders.message().indexOf('\n') + 1)).isEqualTo(
                    "  models/schema.yml:7:9: column 'id' has type BIGINT, the contract says int (INTEGER); cast it in the query or change data_type\n"
                    + "  models/schema.yml:16:9: column 'amount' (numeric(10, 2)) is missing from the model's result\n"
                    + "  models/schema.yml: column 'discount' (INTEGER) is not in the contract; declare it under columns: or remove it from the query");
            assertThat(liveRows(engine)).isEqualTo(10);
        }
    }

    @Test
    void runHoldsAModelToItsContractAsBuildDoes() throws Exception {
        project(PROPERTIES, GOOD);
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 2)) {
            NodeResult first = execute(engine, CommandKind.RUN);
            assertThat(first.status()).isEqualTo(NodeStatus.SUCCESS);
            assertThat(first.message()).isEqualTo("created table model main.orders");
            project(PROPERTIES, "select range::bigint as id, 'placed' as status, 1 as discount, timestamp '2026-01-01' as ordered_at from range(3)");
            NodeResult orders = execute(engine, CommandKind.RUN);
            assertThat(orders.status()).isEqualTo(NodeStatus.FAIL);
            assertThat(orders.message()).matches("(?s)kept previous version of main\\.orders \\(built [^)]+\\); the contract is not met:\n.*");
            assertThat(orders.message().substring(orders.message().indexOf('\n') + 1)).isEqualTo(
                    "  models/schema.yml:7:9: column 'id' has type BIGINT, the contract says int (INTEGER); cast it in the query or change data_type\n"
                    + "  models/schema.yml:16:9: column 'amount' (numeric(10, 2)) is missing from the model's result\n"
                    + "  models/schema.yml: column 'discount' (INTEGER) is not in the contract; declare it under columns: or remove it from the query");
            assertThat(liveRows(engine)).isEqualTo(10);
            // The constraints are checked too: a duplicate id never reaches the live table.
            project(PROPERTIES, GOOD.replace("range::int4 as id", "(range % 9)::int4 as id"));
            NodeResult duplicate = execute(engine, CommandKind.RUN);
            assertThat(duplicate.status()).isEqualTo(NodeStatus.FAIL);
            assertThat(duplicate.message()).matches("kept previous version of main\\.orders \\(built [^)]+\\); 1 check failed\n"
                    + "  models/schema\\.yml:7:9: contract primary_key on orders\\.id \\(unique\\): Got 1 result, configured to fail if != 0");
            assertThat(liveRows(engine)).isEqualTo(10);
        }
    }

    @Test
    void aBrokenConstraintFailsTheAuditAndSaysWhichOne() throws Exception {
        project(PROPERTIES, GOOD.replace("range::int4 as id", "(range % 9)::int4 as id").replace("'shipped'", "'lost'"));
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 2)) {
            NodeResult orders = build(engine);
            assertThat(orders.status()).isEqualTo(NodeStatus.FAIL);
            assertThat(orders.message()).isEqualTo("""
                    did not publish main.orders, which has no previous version; 2 checks failed
                      models/schema.yml:7:9: contract primary_key on orders.id (unique): Got 1 result, configured to fail if != 0
                      models/schema.yml:11:9: contract accepted_values on orders.status: Got 1 result, configured to fail if != 0""");
        }
    }

    @Test
    void contractMistakesAreReportedWhenTheProjectLoads() throws Exception {
        project(PROPERTIES.replace("    data_type: datetime\n", ""), GOOD);
        assertThatThrownBy(this::load).isInstanceOfSatisfying(BatonException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONTRACT);
            assertThat(e.getMessage()).isEqualTo("models/schema.yml:21:9: column 'ordered_at' of model 'orders' has no data_type; an enforced contract "
                    + "needs one for every column, such as 'data_type: integer'");
        });
        project(PROPERTIES.replace("type: primary_key", "type: primary_ky"), GOOD);
        assertThatThrownBy(this::load).hasMessage("models/schema.yml:7:9: unknown constraint type 'primary_ky' on column 'id'; did you mean 'primary_key'?");
        project(PROPERTIES + "    tests:\n      - not_null:\n          column_name: amout\n", GOOD);
        assertThatThrownBy(this::load).isInstanceOfSatisfying(BatonException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_COLUMN);
            assertThat(e.getMessage()).isEqualTo("models/schema.yml:24:9: test 'not_null_orders_amout' checks column 'amout', which is not in the "
                    + "contract of model 'orders'; did you mean 'amount'?");
        });
    }
}
