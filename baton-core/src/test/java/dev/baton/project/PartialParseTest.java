package dev.baton.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reusing renders from target/partial_parse.bin never changes what a load produces. */
class PartialParseTest {
    @TempDir
    Path root;

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private Project load(Map<String, Object> vars, Map<String, String> env) {
        return ProjectLoader.load(new LoadOptions(root, Optional.empty(), vars, env, true));
    }

    private static String sql(Project project, String model) {
        return project.node("model.p." + model).orElseThrow().compiledSql();
    }

    @BeforeEach
    void project() throws IOException {
        write("baton.yml", "name: p\nvars:\n  factor: 2\n");
        write("macros/scale.sql", "{% macro scale(x) %}{{ x }} * {{ var('factor') }}{% endmacro %}\n");
        write("models/a.sql", "{{ config(materialized='table') }}\nselect {{ scale(1) }} as v\n");
        write("models/b.sql", "select * from {{ ref('a') }}\n");
        write("models/c.sql", "select '{{ env_var('REGION', 'eu') }}' as region\n");
        write("models/schema.yml", "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: v\n        tests: [not_null]\n");
    }

    @Test
    void aSecondLoadReusesRendersAndGivesTheSameProject() {
        Project first = load(Map.of(), Map.of());
        assertThat(root.resolve("target/partial_parse.bin")).exists();
        Project second = load(Map.of(), Map.of());
        assertThat(second.nodes()).isEqualTo(first.nodes());
        assertThat(sql(second, "a")).isEqualTo("\nselect 1 * 2 as v");
        assertThat(second.node("model.p.a").orElseThrow().config().materialized()).isEqualTo(Materialization.TABLE);
    }

    @Test
    void changedMacrosVarsFilesAndEnvironmentAreRenderedAgain() throws IOException {
        load(Map.of(), Map.of());
        assertThat(sql(load(Map.of("factor", 3), Map.of()), "a")).isEqualTo("\nselect 1 * 3 as v");
        write("macros/scale.sql", "{% macro scale(x) %}({{ x }} + {{ var('factor') }}){% endmacro %}\n");
        assertThat(sql(load(Map.of(), Map.of()), "a")).isEqualTo("\nselect (1 + 2) as v");
        write("models/b.sql", "select v + 1 as v from {{ ref('a') }}\n");
        assertThat(sql(load(Map.of(), Map.of()), "b")).isEqualTo("select v + 1 as v from \"main\".\"a\"");
        assertThat(sql(load(Map.of(), Map.of("REGION", "us")), "c")).isEqualTo("select 'us' as region");
        assertThat(sql(load(Map.of(), Map.of("REGION", "ap")), "c")).isEqualTo("select 'ap' as region");
    }

    @Test
    void aCorruptCacheIsIgnored() throws IOException {
        load(Map.of(), Map.of());
        Files.write(root.resolve("target/partial_parse.bin"), new byte[] {0, 0, 0, 2, 1, 2, 3});
        assertThat(sql(load(Map.of(), Map.of()), "a")).isEqualTo("\nselect 1 * 2 as v");
    }

    @Test
    void turnedOffItNeitherReadsNorTrusts() throws IOException {
        load(Map.of(), Map.of());
        Project fresh = ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of("factor", 5), Map.of(), false));
        assertThat(sql(fresh, "a")).isEqualTo("\nselect 1 * 5 as v");
    }
}
