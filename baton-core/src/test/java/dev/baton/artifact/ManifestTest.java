package dev.baton.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.plan.Fingerprints;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** target/manifest.json: dbt's sections, every node once, with its checksum and fingerprints. */
class ManifestTest {
    @TempDir
    Path root;

    private void write(String path, String content) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void everyNodeAndSourceIsDescribedOnceWithItsParents() throws Exception {
        write("baton.yml", "name: p\n");
        write("seeds/raw.csv", "id,name\n1,\"a \"\"quoted\"\" name\"\n");
        write("models/staging/stg.sql", "select * from {{ ref('raw') }} join {{ source('app', 'events') }} using (id)\n");
        write("models/orders.sql", "-- ünïcode and \"quotes\"\nselect id from {{ ref('stg') }}\n");
        write("models/schema.yml", """
                version: 2
                sources:
                  - name: app
                    tables:
                      - name: events
                      - name: users
                models:
                  - name: orders
                    description: "Orders, \\"quoted\\""
                    columns:
                      - name: id
                        tests: [unique, not_null]
                """);
        Project project = ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
        Artifacts.writeManifest(project, "00000000-0000-0000-0000-000000000000");

        JsonNode manifest = new ObjectMapper().readTree(root.resolve("target/manifest.json").toFile());
        assertThat(fields(manifest)).containsExactly("metadata", "nodes", "sources", "docs", "parent_map");
        assertThat(manifest.get("metadata").get("invocation_id").asText()).isEqualTo("00000000-0000-0000-0000-000000000000");
        assertThat(fields(manifest.get("nodes"))).containsExactlyInAnyOrder("seed.p.raw", "model.p.stg", "model.p.orders",
                "test.p.unique_orders_id", "test.p.not_null_orders_id");
        assertThat(fields(manifest.get("sources"))).containsExactlyInAnyOrder("source.p.app.events", "source.p.app.users");
        assertThat(fields(manifest.get("parent_map"))).hasSize(7);
        assertThat(manifest.get("parent_map").get("model.p.stg")).extracting(JsonNode::asText)
                .containsExactly("seed.p.raw", "source.p.app.events");

        JsonNode orders = manifest.get("nodes").get("model.p.orders");
        assertThat(orders.get("raw_code").asText()).startsWith("-- ünïcode and \"quotes\"");
        assertThat(orders.get("description").asText()).isEqualTo("Orders, \"quoted\"");
        assertThat(orders.get("checksum").get("name").asText()).isEqualTo("sha256");
        assertThat(orders.get("checksum").get("checksum").asText()).isEqualTo(Fingerprints.sha256(project.node("model.p.orders").orElseThrow().rawSql()));
        assertThat(orders.get("baton_fingerprint").get("combined").asText())
                .isEqualTo(Fingerprints.of(project).get("model.p.orders").combined());
        assertThat(manifest.get("sources").get("source.p.app.events").has("checksum")).isFalse();
    }

    private static List<String> fields(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
