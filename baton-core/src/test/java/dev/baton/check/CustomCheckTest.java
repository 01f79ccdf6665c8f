package dev.baton.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunEvent;
import dev.baton.api.event.RunStatus;
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

class CustomCheckTest {
    @TempDir
    Path root;

    static final String MACROS = """
            {% test is_even(model, column_name) %}
            select * from {{ model }} where {{ column_name }} % 2 <> 0
            {% endtest %}
            """;

    static final String GENERIC = """
            {% test at_most(model, column_name, limit_value, strict=false) %}
            select * from {{ model }}
            where {{ column_name }} {{ '>=' if strict else '>' }} {{ limit_value }}
            {% endtest %}
            """;

    void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    void project(String properties, String select) throws IOException {
        write("baton.yml", "name: p\n");
        write("macros/checks.sql", MACROS);
        write("tests/generic/at_most.sql", GENERIC);
        write("models/orders.sql", "{{ config(materialized='table') }}\n" + select);
        write("models/schema.yml", properties);
    }

    Project load() {
        return ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
    }

    RecordingSink build(Engine engine) {
        Project project = load();
        Graph graph = Graph.of(project.nodes().values());
        Plan plan = Planner.plan(CommandKind.BUILD, project, graph, new LinkedHashSet<>(graph.topologicalOrder()), Map.of(), List.of());
        RecordingSink sink = new RecordingSink();
        new Runner(engine, project, plan, new RunOptions("0123456789abcdef", 2, false, false), sink).run("baton build");
        return sink;
    }

    static final String PROPERTIES = """
            version: 2
            models:
              - name: orders
                columns:
                  - name: id
                    tests: [is_even, not_null]
                  - name: amount
                    tags: [pii]
                    tests:
                      - at_most:
                          limit_value: 100
                          config: {severity: warn}
            """;

    @Test
    void customGenericChecksRunAloneWithTheirArguments() throws Exception {
        project(PROPERTIES, "select range * 2 as id, range * 10 as amount from range(5)");
        Project loaded = load();
        assertThat(loaded.node("test.p.is_even_orders_id").orElseThrow().compiledSql())
                .isEqualTo("\nselect * from \"main\".\"orders\" where id % 2 <> 0\n");
        assertThat(loaded.node("test.p.at_most_orders_amount__100").orElseThrow().compiledSql())
                .isEqualTo("\nselect * from \"main\".\"orders\"\nwhere amount > 100\n");
        assertThat(loaded.nodes().keySet()).noneMatch(id -> id.contains("at_most") && !id.equals("test.p.at_most_orders_amount__100"));
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 2)) {
            RecordingSink passing = build(engine);
            assertThat(passing.results().get("test.p.is_even_orders_id").status()).isEqualTo(NodeStatus.PASS);
            assertThat(passing.results().get("test.p.at_most_orders_amount__100").status()).isEqualTo(NodeStatus.PASS);
            RunEvent.AuditFinished audit = passing.events.stream().filter(RunEvent.AuditFinished.class::isInstance)
                    .map(RunEvent.AuditFinished.class::cast).findFirst().orElseThrow();
            assertThat(audit.queries()).isEqualTo(3);

            project(PROPERTIES, "select range * 2 + (range = 3)::int as id, range * 40 as amount from range(5)");
            RecordingSink failing = build(engine);
            Map<String, NodeResult> results = failing.results();
            assertThat(results.get("model.p.orders").message()).matches("kept previous version of main\\.orders \\(built .*\\); 1 check failed");
            assertThat(results.get("test.p.is_even_orders_id").message()).isEqualTo("""
                    Got 1 result, configured to fail if != 0
                        failing rows (first 1):
                          {id=7, amount=***}""");
            assertThat(results.get("test.p.at_most_orders_amount__100").status()).isEqualTo(NodeStatus.WARN);
            assertThat(results.get("test.p.at_most_orders_amount__100").failures()).hasValue(2);
        }
    }

    @Test
    void anUnknownCheckSuggestsTheClosestBuiltInOrCustomOne() throws Exception {
        project(PROPERTIES.replace("[is_even, not_null]", "[is_evn]"), "select 1 as id, 1 as amount");
        assertThatThrownBy(this::load).isInstanceOfSatisfying(BatonException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_TEST);
            assertThat(e.getMessage()).isEqualTo("models/schema.yml:6:17: unknown test 'is_evn'; did you mean 'is_even'?");
        });
        project(PROPERTIES.replace("[is_even, not_null]", "[no_such_check]"), "select 1 as id, 1 as amount");
        assertThatThrownBy(this::load).hasMessage("models/schema.yml:6:17: unknown test 'no_such_check'; the generic tests are unique, not_null, "
                + "accepted_values, relationships, expression_is_true, accepted_range, row_count, not_empty, unique_combination_of_columns, recency, "
                + "volume_anomaly, column_anomaly, freshness_anomaly, "
                + "at_most, is_even; define others with {% test no_such_check(model, column_name) %} in macros/ or tests/generic/");
    }

    @Test
    void aCustomCheckNeedsItsArgumentsAndNoOthers() throws Exception {
        project(PROPERTIES.replace("limit_value: 100", "limit_valu: 100"), "select 1 as id, 1 as amount");
        assertThatThrownBy(this::load).hasMessage("models/schema.yml:10:13: test 'at_most' has no argument 'limit_valu'; did you mean 'limit_value'?");
        project(PROPERTIES.replace("limit_value: 100", "strict: true"), "select 1 as id, 1 as amount");
        assertThatThrownBy(this::load).hasMessage("models/schema.yml:10:13: test 'at_most' needs 'limit_value' (defined at tests/generic/at_most.sql:1)");
    }

    @Test
    void aCheckOfAMissingColumnNamesTheCheckAndTheColumns() throws Exception {
        project(PROPERTIES, "select range * 2 as id, range as amount_usd from range(5)");
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 2)) {
            NodeResult orders = build(engine).results().get("model.p.orders");
            assertThat(orders.status()).isEqualTo(NodeStatus.ERROR);
            assertThat(orders.message()).isEqualTo("models/schema.yml:10:13: test 'at_most_orders_amount__100' checks column 'amount', which the model "
                    + "does not have; its columns are id, amount_usd");
        }
    }
}
