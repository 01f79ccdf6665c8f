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

/** Model-level {@code constraints:} (and a column's foreign key) enforced on the staged relation with the contract. */
class ModelConstraintsTest {
    @TempDir
    Path root;

    static final String PROPERTIES = """
            version: 2
            models:
              - name: order_lines
                config:
                  contract: {enforced: true}
                constraints:
                  - type: primary_key
                    columns: [order_id, line]
                  - type: check
                    expression: "amount >= discount"
                  - type: foreign_key
                    columns: [customer_id]
                    to: ref('customers')
                    to_columns: [id]
                  - type: unique
                    columns: [ref]
                columns:
                  - name: order_id
                    data_type: int
                  - name: line
                    data_type: int
                  - name: ref
                    data_type: varchar
                  - name: customer_id
                    data_type: int
                    constraints:
                      - type: foreign_key
                        to: ref('customers')
                        to_columns: [id]
                  - name: amount
                    data_type: int
                  - name: discount
                    data_type: int
            """;

    static final String GOOD = "select (range // 2)::int as order_id, (range % 2)::int as line, 'R' || range as ref, (range % 3)::int as customer_id, "
            + "10::int as amount, 1::int as discount from range(10)";

    void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    void project(String properties, String select) throws IOException {
        write("baton.yml", "name: p\n");
        write("models/customers.sql", "{{ config(materialized='table') }}\nselect range::int as id from range(3)");
        write("models/order_lines.sql", "{{ config(materialized='table') }}\n-- depends_on: {{ ref('customers') }}\n" + select);
        write("models/schema.yml", properties);
    }

    Project load() {
        return ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
    }

    NodeResult execute(Engine engine, CommandKind command) {
        Project project = load();
        Graph graph = Graph.of(project.nodes().values());
        Plan plan = Planner.plan(command, project, graph, new LinkedHashSet<>(graph.topologicalOrder()), Map.of(), List.of());
        RecordingSink sink = new RecordingSink();
        new Runner(engine, project, plan, new RunOptions("0123456789abcdef", 2, false, false), sink).run("baton " + command.label());
        return sink.results().get("model.p.order_lines");
    }

    long liveRows(Engine engine) throws Exception {
        try (var session = engine.openSession()) {
            return Long.parseLong(session.query("select count(*) from main.order_lines", 1).rows().get(0).get(0));
        }
    }

    @Test
    void modelConstraintsThatHoldPublish() throws Exception {
        project(PROPERTIES, GOOD);
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 2)) {
            NodeResult lines = execute(engine, CommandKind.BUILD);
            assertThat(lines.status()).isEqualTo(NodeStatus.SUCCESS);
            assertThat(lines.message()).isEqualTo("created table model main.order_lines");
            assertThat(liveRows(engine)).isEqualTo(10);
        }
    }

    @Test
    void everyBrokenConstraintIsListedAtItsLineAndThePreviousVersionStays() throws Exception {
        project(PROPERTIES, GOOD);
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 2)) {
            assertThat(execute(engine, CommandKind.BUILD).status()).isEqualTo(NodeStatus.SUCCESS);
            // A duplicate key (order 0, line 0 twice), a null key part, a discount above the amount, a customer that does not exist, a repeated ref.
            project(PROPERTIES, GOOD.replace("(range % 2)::int as line", "case when range = 1 then 0 when range = 9 then null else range % 2 end::int as line")
                    .replace("(range % 3)::int as customer_id", "case when range = 4 then 7 else range % 3 end::int as customer_id")
                    .replace("1::int as discount", "case when range = 5 then 20 else 1 end::int as discount")
                    .replace("'R' || range as ref", "'R' || (range % 9) as ref"));
            for (CommandKind command : List.of(CommandKind.BUILD, CommandKind.RUN)) {
                NodeResult lines = execute(engine, command);
                assertThat(lines.status()).isEqualTo(NodeStatus.FAIL);
                assertThat(lines.message()).matches("(?s)kept previous version of main\\.order_lines \\(built [^)]+\\); 6 checks failed\n.*");
                assertThat(lines.message().substring(lines.message().indexOf('\n') + 1)).isEqualTo(
                        "  models/schema.yml:24:9: contract foreign_key on order_lines (customer_id): Got 1 result, configured to fail if != 0\n"
                        + "  models/schema.yml:7:9: contract primary_key on order_lines (order_id, line) (line not null): Got 1 result, configured to fail if != 0\n"
                        + "  models/schema.yml:7:9: contract primary_key on order_lines (order_id, line) (unique): Got 1 result, configured to fail if != 0\n"
                        + "  models/schema.yml:9:9: contract check on order_lines (amount >= discount): Got 1 result, configured to fail if != 0\n"
                        + "  models/schema.yml:11:9: contract foreign_key on order_lines (customer_id): Got 1 result, configured to fail if != 0\n"
                        + "  models/schema.yml:15:9: contract unique on order_lines (ref): Got 1 result, configured to fail if != 0");
                assertThat(liveRows(engine)).isEqualTo(10);
            }
        }
    }

    @Test
    void constraintMistakesAreReportedWhenTheProjectLoadsAtTheirLine() throws Exception {
        project(PROPERTIES.replace("type: primary_key", "type: primary_ky"), GOOD);
        assertThatThrownBy(this::load).isInstanceOfSatisfying(BatonException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONTRACT);
            assertThat(e.getMessage()).isEqualTo("models/schema.yml:7:9: unknown constraint type 'primary_ky' on model 'order_lines'; "
                    + "did you mean 'primary_key'?");
        });
        project(PROPERTIES.replace("columns: [order_id, line]", "columns: [order_id, lines]"), GOOD);
        assertThatThrownBy(this::load).hasMessage("models/schema.yml:7:9: constraint 'primary_key' on model 'order_lines' names column 'lines', "
                + "which is not in the contract; did you mean 'line'?");
        project(PROPERTIES.replace("\n        to: ref('customers')", "\n        to: ref('customer')"), GOOD);
        assertThatThrownBy(this::load).hasMessage("models/schema.yml:11:9: constraint 'foreign_key' on model 'order_lines' refers to ref('customer'), "
                + "which the project does not have; did you mean 'customers'?");
        project(PROPERTIES.replace("        to_columns: [id]\n      - type: unique", "      - type: unique"), GOOD);
        assertThatThrownBy(this::load).hasMessage("models/schema.yml:11:9: constraint 'foreign_key' on model 'order_lines' needs 'to', the referenced "
                + "relation, and 'to_columns', its columns, such as \"to: ref('customers')\" and 'to_columns: [id]'");
        project(PROPERTIES.replace("\n        expression: \"amount >= discount\"", ""), GOOD);
        assertThatThrownBy(this::load).hasMessage("models/schema.yml:9:9: constraint 'check' on model 'order_lines' needs 'expression', a condition every "
                + "row meets, such as 'amount >= discount'");
        project(PROPERTIES.replace("to_columns: [id]\n      - type: unique", "to_columns: [id, name]\n      - type: unique"), GOOD);
        assertThatThrownBy(this::load).hasMessage("models/schema.yml:11:9: constraint 'foreign_key' on model 'order_lines' has 1 column but 2 to_columns; "
                + "list one referenced column for each");
    }
}
