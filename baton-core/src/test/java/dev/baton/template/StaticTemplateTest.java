package dev.baton.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaticTemplateTest {
    private static final TemplateEngine JINJA = TemplateEngine.create(Map.of(), Map.of(), Map.of(), Map.of(), Map.of("name", "dev", "schema", "main"));

    /** Every call a render made, in order, with where it was made. */
    private static final class Calls implements TemplateContext {
        final List<String> made = new ArrayList<>();

        @Override
        public String ref(Optional<String> packageName, String name, SourceLocation at) {
            made.add("ref " + packageName.map(p -> p + ".").orElse("") + name + " @" + at);
            return "\"main\".\"" + name + "\"";
        }

        @Override
        public String source(String sourceName, String tableName, SourceLocation at) {
            made.add("source " + sourceName + "." + tableName + " @" + at);
            return "\"raw\".\"" + tableName + "\"";
        }

        @Override
        public void config(Map<String, Object> values, SourceLocation at) {
            made.add("config " + values + " " + values.values().stream().map(v -> v == null ? "null" : v.getClass().getSimpleName()).toList() + " @" + at);
        }

        @Override
        public Optional<String> thisRelation() {
            return Optional.of("\"main\".\"this_model\"");
        }

        @Override
        public boolean isIncremental() {
            return false;
        }
    }

    private static void assertSameAsJinja(String template) {
        Calls quick = new Calls();
        Optional<String> rendered = StaticTemplate.render(template, "models/m.sql", quick);
        assertThat(rendered).as("static render of %s", template).isPresent();
        Calls jinja = new Calls();
        assertThat(rendered.get()).isEqualTo(JINJA.render(template, "models/m.sql", jinja));
        assertThat(quick.made).isEqualTo(jinja.made);
    }

    @Test
    void literalRefSourceAndConfigCallsRenderAsJinjaWould() {
        assertSameAsJinja("select 1 as id\n");
        assertSameAsJinja("{{ config(materialized='table') }}\nselect 1 as id\n");
        assertSameAsJinja("{{ config(materialized = \"table\", tags=['a', \"b\"], enabled=True, meta={'owner': 'finance', 'tier': 1}, x=1.5, y=-2) }}\n"
                + "\n-- a comment\nselect *\nfrom {{ ref('orders') }} o\n  join {{ref(\"shop\", \"customers\")}} c using (id)\n"
                + "  join {{ source('raw', 'payments') }} p on p.id = o.id\n");
        assertSameAsJinja("{# a note\nover two lines #}\nselect * from {{ ref('a') }}\n{# trailing #}\n");
        assertSameAsJinja("select '{' as brace, '}}' as closer from {{ ref('a') }}\r\nwhere 1 = 1\r\n\n");
        assertSameAsJinja("{{ config(tags=[], meta={}) }}select 1");
    }

    @Test
    void anythingElseIsLeftToJinja() {
        for (String template : List.of(
                "{% if true %}select 1{% endif %}",
                "{{- config(materialized='table') }}select 1",
                "{{ config(materialized='table') -}}\nselect 1",
                "{#- note -#}select 1",
                "select * from {{ this }}",
                "select {{ var('x') }}",
                "{{ ref('a' ~ 'b') }}",
                "{{ ref(name) }}",
                "{{ ref('a', version=2) }}",
                "{{ config('table') }}",
                "{{ config(materialized='table', materialized='view') }}",
                "{{ config(x=none) }}",
                "{{ config(x='it\\'s') }}",
                "{{ source('only_one') }}",
                "{{ ref('a') | upper }}",
                "{{ ref('a') }",
                "{{ ref('a')")) {
            Calls calls = new Calls();
            assertThat(StaticTemplate.render(template, "models/m.sql", calls)).as(template).isEmpty();
            assertThat(calls.made).as("calls left behind by %s", template).isEmpty();
        }
    }

    @Test
    void macrosThatRedefineRefSourceOrConfigTurnItOff() {
        assertThat(StaticTemplate.appliesWith(List.of("{% macro cents(x) %}{{ x }}/100{% endmacro %}"))).isTrue();
        assertThat(StaticTemplate.appliesWith(List.of("{% macro ref(name) %}{{ return(builtins.ref(name)) }}{% endmacro %}"))).isFalse();
        assertThat(StaticTemplate.appliesWith(List.of("{%- macro  config (x) -%}{%- endmacro %}"))).isFalse();
    }
}
