package dev.baton.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlFilesTest {
    @Test
    void anAliasRepeatsTheAnchoredValue() {
        YamlValue.Mapping root = YamlFiles.parseMapping("""
                anchors:
                  - &key {name: id, tests: [unique]}
                columns:
                  - *key
                """, "a.yml");
        assertThat(root.toJava()).isEqualTo(Map.of(
                "anchors", List.of(Map.of("name", "id", "tests", List.of("unique"))),
                "columns", List.of(Map.of("name", "id", "tests", List.of("unique")))));
    }

    @Test
    void aMergeKeyBringsInTheAnchoredMappingAndOwnKeysWin() {
        YamlValue.Mapping root = YamlFiles.parseMapping("""
                base: &base
                  type: duckdb
                  threads: 4
                ci:
                  <<: *base
                  threads: 2
                """, "profiles.yml");
        YamlValue.Mapping ci = root.mapping("ci").orElseThrow();
        assertThat(ci.toJava()).isEqualTo(Map.of("type", "duckdb", "threads", 2L));
        assertThat(List.copyOf(ci.entries().keySet())).containsExactly("type", "threads");
        // A merged key points at where it was written; an own key at itself.
        assertThat(ci.keyLocation("type")).hasToString("profiles.yml:2:3");
        assertThat(ci.keyLocation("threads")).hasToString("profiles.yml:6:3");
    }

    @Test
    void withSeveralMergedMappingsTheEarlierWins() {
        YamlValue.Mapping root = YamlFiles.parseMapping("""
                a: &a {x: 1, y: 1}
                b: &b {y: 2, z: 2}
                c:
                  <<: [*a, *b]
                  z: 3
                """, "m.yml");
        assertThat(root.mapping("c").orElseThrow().toJava()).isEqualTo(Map.of("x", 1L, "y", 1L, "z", 3L));
    }

    @Test
    void aQuotedMergeKeyIsAnOrdinaryKey() {
        YamlValue.Mapping root = YamlFiles.parseMapping("'<<': text\n", "q.yml");
        assertThat(root.toJava()).isEqualTo(Map.of("<<", "text"));
    }

    @Test
    void mergingSomethingOtherThanAMappingIsRefused() {
        assertThatThrownBy(() -> YamlFiles.parseMapping("""
                names: &names [a, b]
                c:
                  <<: *names
                """, "m.yml"))
                .isInstanceOf(BatonException.class)
                .hasMessage("m.yml:3:3: the merge key '<<' takes a mapping or a list of mappings, such as '<<: *defaults' "
                        + "where '&defaults' names a mapping; fix its value");
    }

    @Test
    void aKeyGivenTwiceInOneMappingIsRefusedRatherThanDropped() {
        assertThatThrownBy(() -> YamlFiles.parseMapping("""
                models:
                  - name: a
                    description: first
                    description: second
                """, "models/schema.yml"))
                .isInstanceOf(BatonException.class)
                .hasMessage("models/schema.yml:4:5: key 'description' is given twice in one mapping, here and at models/schema.yml:3:5; "
                        + "remove one (YAML would keep only the last)");
    }
}
