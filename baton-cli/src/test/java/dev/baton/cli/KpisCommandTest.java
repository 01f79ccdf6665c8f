package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KpisCommandTest {
    @TempDir
    Path temp;

    @Test
    void aBuildEmitsOpenLineageEventsWhenTheProjectAsksForThem() throws Exception {
        Path root = Cli.project(temp.resolve("lineage"),
                "baton.yml", "name: p\nopenlineage:\n  file: target/openlineage.jsonl\n",
                "models/orders.sql", "select 1 as id");
        Cli.Result build = Cli.run("build", "--project-dir", root.toString());
        assertThat(build.exitCode()).as(build.toString()).isZero();
        List<String> types = new java.util.ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(root.resolve("target/openlineage.jsonl"))) {
            JsonNode event = new ObjectMapper().readTree(line);
            types.add(event.get("eventType").asText() + " " + event.at("/job/name").asText());
        }
        assertThat(types).containsExactly("START p", "START p.orders", "COMPLETE p.orders", "COMPLETE p");
    }

    @Test
    void printsTheKpisOfTheRunHistoryAsTextAndJson() throws Exception {
        Path root = Cli.project(temp.resolve("p"),
                "baton.yml", "name: p\n",
                "models/orders.sql", "select 1 as id",
                "models/broken.sql", "select nope",
                "models/props.yml", """
                        version: 2
                        models:
                          - name: orders
                            description: One row per order.
                            meta: {tier: 0, owner: sales-data}
                            columns:
                              - name: id
                                tests: [not_null]
                        """);
        String dir = root.toString();
        assertThat(Cli.run("build", "--project-dir", dir, "-s", "orders").exitCode()).isZero();
        assertThat(Cli.run("build", "--project-dir", dir).exitCode()).isEqualTo(1);

        Cli.Result json = Cli.run("kpis", "--project-dir", dir, "--window", "7d", "--output", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        Map<String, JsonNode> kpis = new HashMap<>();
        for (JsonNode kpi : new ObjectMapper().readTree(json.out()).get("kpis")) {
            kpis.put(kpi.get("name").asText() + "/" + kpi.get("dimension").asText(), kpi);
        }
        assertThat(kpis.get("pipeline_success_rate/null").get("current").asDouble()).isEqualTo(0.5);
        assertThat(kpis.get("pipeline_success_rate/null").get("previous").isNull()).isTrue();
        assertThat(kpis.get("check_coverage/tier 0-1").get("current").asDouble()).isEqualTo(1.0);
        // description, owner and tier of five: no SLA, the column has no description.
        assertThat(kpis.get("documentation_completeness/tier 0-1").get("current").asDouble()).isEqualTo(0.6);
        assertThat(kpis.get("model_compute_time/model.p.orders").get("current").asDouble()).isPositive();

        Cli.Result text = Cli.run("kpis", "--project-dir", dir);
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).containsPattern("pipeline_success_rate +project +50\\.0% +- +-");
        assertThat(text.out()).containsPattern("documentation_completeness +tier 0-1 +60\\.0%");

        assertThat(java.nio.file.Files.exists(root.resolve("target/openlineage.jsonl"))).isFalse();
        Cli.Result bad = Cli.run("kpis", "--project-dir", dir, "--window", "a month");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--window must be a duration such as 30s, 5m, 2h or 30d, not 'a month'");
    }
}
