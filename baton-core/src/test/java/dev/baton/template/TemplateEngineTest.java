package dev.baton.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.SourceLocation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplateEngineTest {
    private static final Map<String, Object> TARGET = Map.of("name", "dev", "type", "duckdb", "schema", "analytics", "threads", 4L);

    private static TemplateEngine engine(Map<String, String> macroFiles) {
        return TemplateEngine.create(macroFiles, Map.of(), Map.of("start_date", "2024-01-01", "regions", List.of("eu", "us")),
                Map.of("DBT_SCHEMA", "prod"), TARGET);
    }

    private static String render(String template) {
        return engine(Map.of()).render(template, "models/m.sql", new RecordingContext());
    }

    @Test
    void plainSqlIsReturnedAsItIsWithoutTheTrailingNewline() {
        assertThat(render("select 1 as id\nfrom t\n")).isEqualTo("select 1 as id\nfrom t");
        assertThat(render("select '{' as brace")).isEqualTo("select '{' as brace");
        assertThat(render("select 1\r\nfrom t\r\n")).isEqualTo("select 1\nfrom t");
    }

    @Test
    void refAndSourceCallTheProjectWithTheirLine() {
        RecordingContext context = new RecordingContext();
        String sql = engine(Map.of()).render(
                "select *\nfrom {{ ref('orders') }}\njoin {{ ref('shop', 'customers') }} using (id)\njoin {{ source('stripe', 'charges') }} using (id)",
                "models/orders.sql", context);

        assertThat(sql).isEqualTo("select *\nfrom \"main\".\"orders\"\njoin \"main\".\"customers\" using (id)\njoin \"raw_stripe\".\"charges\" using (id)");
        assertThat(context.refs).containsExactly("orders", "shop.customers");
        assertThat(context.refLocations).containsExactly(SourceLocation.of("models/orders.sql", 2), SourceLocation.of("models/orders.sql", 3));
    }

    @Test
    void configPassesPlainJavaValuesAndRendersNothing() {
        RecordingContext context = new RecordingContext();
        String sql = engine(Map.of()).render(
                "\n{{ config(materialized='incremental', unique_key='id', tags=['daily', 'finance'], enabled=true, threads=4, ratio=0.5, meta={'owner': 'ana'}) }}\nselect 1",
                "models/m.sql", context);

        assertThat(sql).isEqualTo("\n\nselect 1");
        assertThat(context.configs).hasSize(1);
        assertThat(context.configs.get(0)).containsExactly(
                Map.entry("materialized", "incremental"),
                Map.entry("unique_key", "id"),
                Map.entry("tags", List.of("daily", "finance")),
                Map.entry("enabled", true),
                Map.entry("threads", 4L),
                Map.entry("ratio", 0.5),
                Map.entry("meta", Map.of("owner", "ana")));
        assertThat(context.configLocations).containsExactly(SourceLocation.of("models/m.sql", 2));
    }

    @Test
    void varsWithAndWithoutDefaults() {
        assertThat(render("where d >= '{{ var(\"start_date\") }}' and r in ({% for r in var('regions') %}'{{ r }}'{% if not loop.last %}, {% endif %}{% endfor %}) limit {{ var('limit', 10) }}"))
                .isEqualTo("where d >= '2024-01-01' and r in ('eu', 'us') limit 10");
    }

    @Test
    void environmentVariablesWithAndWithoutDefaults() {
        assertThat(render("{{ env_var('DBT_SCHEMA') }}.{{ env_var('MISSING', 'fallback') }}")).isEqualTo("prod.fallback");
    }

    @Test
    void thisTargetAndIsIncremental() {
        TemplateEngine engine = engine(Map.of());
        String template = "{{ target.name }}/{{ target.schema }}/{{ target.type }}/{{ target.threads }}"
                + "{% if is_incremental() %} where ts > (select max(ts) from {{ this }}){% endif %}";

        assertThat(engine.render(template, "models/m.sql", new RecordingContext(Optional.of("\"main\".\"m\""), true)))
                .isEqualTo("dev/analytics/duckdb/4 where ts > (select max(ts) from \"main\".\"m\")");
        assertThat(engine.render(template, "models/m.sql", new RecordingContext())).isEqualTo("dev/analytics/duckdb/4");
    }

    @Test
    void thisIsARelationWithItsPartsAsInDbt() {
        TemplateEngine engine = engine(Map.of(
                "macros/grants.sql", "{% macro grant_on(relation) %}grant select on {{ relation }} to {{ relation.schema }}_readers{% endmacro %}"));
        String template = "{{ this }}|{{ this.schema }}|{{ this.identifier }}|{{ this.name }}|{{ this.table }}|{{ this.database is none }}|"
                + "{{ this.render() }}|{{ this.identifier | upper }}|{{ 'tmp_' ~ this.name }}|{{ grant_on(this) }}";

        assertThat(engine.render(template, "models/m.sql", new RecordingContext(Optional.of("\"main_marts\".\"orders\"\"v2\""), false)))
                .isEqualTo("\"main_marts\".\"orders\"\"v2\"|main_marts|orders\"v2|orders\"v2|orders\"v2|True|\"main_marts\".\"orders\"\"v2\"|"
                        + "ORDERS\"V2|tmp_orders\"v2|grant select on \"main_marts\".\"orders\"\"v2\" to main_marts_readers");
        assertThat(engine.render("{{ this.database }}.{{ this.schema }}", "models/m.sql", new RecordingContext(Optional.of("\"db\".\"s\".\"t\""), false)))
                .isEqualTo("db.s");
        TemplateEngine withDatabase = TemplateEngine.create(Map.of(), Map.of(), Map.of(), Map.of(), Map.of("name", "dev", "type", "duckdb", "database", "shop"));
        assertThat(withDatabase.render("{{ this.database }}|{{ this }}", "models/m.sql", new RecordingContext(Optional.of("\"main\".\"t\""), false)))
                .isEqualTo("shop|\"main\".\"t\"");
    }

    @Test
    void configGetReadsTheNodesConfigurationAsItStandsAtTheCall() {
        RecordingContext context = new RecordingContext();
        context.baseConfig = Map.of("materialized", "view", "schema", "marts");
        String template = "{{ config.get('materialized') }}{{ config(materialized='table') }}|{{ config.get('materialized') }}|"
                + "{{ config.get('schema') }}|{{ config.get('missing', 'fallback') }}|{{ config.get('missing') is none }}|"
                + "{% if config.get('materialized') == 'table' %}a table{% endif %}|{{ config.require('schema') }}";

        assertThat(engine(Map.of()).render(template, "models/m.sql", context)).isEqualTo("view|table|marts|fallback|True|a table|marts");
    }

    @Test
    void configRequireOfAnUnsetKeyIsAnErrorAtItsLine() {
        assertThatThrownBy(() -> render("select 1\n{{ config.require('unique_key') }}"))
                .isInstanceOf(dev.baton.api.BatonException.class)
                .hasMessage("models/m.sql:2: config 'unique_key' is required here but not set; set it with config(unique_key=...) in the model, "
                        + "in its properties YAML or in the project file");
    }

    @Test
    void projectNameAndAdapterQuote() {
        TemplateEngine engine = TemplateEngine.create(new TemplateEngine.ProjectIdentity("shop", Map.of()), Map.of(), Map.of(), Map.of(), Map.of(), TARGET);
        assertThat(engine.render("{{ project_name }}|{{ adapter.quote('order') }}|{{ adapter.quote('say \"hi\"') }}", "models/m.sql", new RecordingContext()))
                .isEqualTo("shop|\"order\"|\"say \"\"hi\"\"\"");
    }

    @Test
    void dbtsOwnMacrosAreReachedThroughItsNamespaceToo() {
        assertThat(render("{{ dbt.type_string() }}|{{ type_string() }}|{{ dbt.dateadd('day', 1, 'd') }}|{{ dbt.current_timestamp() }}"))
                .isEqualTo("varchar|varchar|cast(date_add(d, interval (1) day) as timestamp)|current_timestamp");
    }

    @Test
    void aMacroOfAnUninstalledPackageIsAnErrorAtTheCallNotNothing() {
        TemplateEngine engine = TemplateEngine.create(new TemplateEngine.ProjectIdentity("shop", Map.of("dbt_utils", "dbt-labs/dbt_utils")),
                Map.of(), Map.of(), Map.of(), Map.of(), TARGET);
        for (String call : new String[] {"{{ dbt_utils.star(ref('orders')) }}", "{{ dbt_utils.generate_surrogate_key(['a', 'b']) }}"}) {
            String name = call.substring(call.indexOf('.') + 1, call.indexOf('('));
            assertThatThrownBy(() -> engine.render("select\n  " + call + "\nfrom t", "models/m.sql", new RecordingContext()))
                    .isInstanceOf(dev.baton.api.BatonException.class)
                    .hasMessage("models/m.sql:2: dbt_utils." + name + " comes from the dbt package 'dbt-labs/dbt_utils', which Baton does not install "
                            + "yet; replace the call with SQL or a macro of your own under macros/");
        }
        assertThat(engine.render("{{ dbt_utils is defined }}", "models/m.sql", new RecordingContext())).isEqualTo("True");
    }

    @Test
    void pythonsModulesAreAnErrorAtTheCallNotNothing() {
        assertThatThrownBy(() -> render("select '{{ modules.datetime.date.today() }}' as d"))
                .isInstanceOf(dev.baton.api.BatonException.class)
                .hasMessage("models/m.sql:1: modules.datetime is one of Python's modules, which Baton's templates do not have yet; compute the value "
                        + "in SQL (current_date, interval arithmetic, regexp functions) or pass it with --vars");
    }

    @Test
    void jsonAndYamlFunctionsWriteWhatPythonWrites() {
        // Each expected text is what dbt's tojson/toyaml (Python's json.dumps, PyYAML's safe_dump) write for the same value.
        assertThat(render("{{ tojson({'a': 1, 'b': [1, 2.5], 'd': none, 'e': 'x\"y\u00e9', 'f': true, 'g': 10000000.0}) }}"))
                .isEqualTo("{\"a\": 1, \"b\": [1, 2.5], \"d\": null, \"e\": \"x\\\"y\\u00e9\", \"f\": true, \"g\": 10000000.0}");
        assertThat(render("{{ tojson([1e20, 1.5e-7, 0.0001, -0.0, var('regions')]) }}")).isEqualTo("[1e+20, 1.5e-07, 0.0001, -0.0, [\"eu\", \"us\"]]");
        assertThat(render("{% set m = {'b': 1, 'a': {'d': 1, 'c': 2}} %}{{ tojson(m, sort_keys=true) }}")).isEqualTo("{\"a\": {\"c\": 2, \"d\": 1}, \"b\": 1}");
        assertThat(render("{{ toyaml({'name': 'orders', 'tags': ['a', 'b']}) }}")).isEqualTo("name: orders\ntags:\n- a\n- b\n");
        assertThat(render("{% set m = fromjson('{\"k\": [1, 2]}') %}{{ m.k | sum }}|{{ fromjson('not json', default='none given') }}|{{ fromjson('nope') is none }}"))
                .isEqualTo("3|none given|True");
        assertThat(render("{% set m = fromyaml('k: [1, 2]\\nn: text') %}{{ m.k | length }} {{ m.n }}|{{ fromyaml('k: [', default='bad') }}"))
                .isEqualTo("2 text|bad");
    }

    @Test
    void md5ZipSetAndPrint() {
        assertThat(render("{{ local_md5('x') }}")).isEqualTo("9dd4e461268c8034f5c8564e155c67a6");
        assertThat(render("{% for n, c in zip([1, 2], ['a', 'b', 'c']) %}{{ n }}{{ c }} {% endfor %}")).isEqualTo("1a 2b ");
        assertThat(render("{{ set(['a', 'b', 'a']) | length }}|{{ set(1, default='not a list') }}|{{ print('to the log') }}"))
                .isEqualTo("2|not a list|");
    }

    @Test
    void macrosWithDefaultArgumentsAreCallableEverywhere() {
        TemplateEngine engine = engine(Map.of(
                "macros/money.sql", "{% macro cents_to_dollars(column, scale=2) %}round({{ column }} / 100.0, {{ scale }}){% endmacro %}\n",
                "macros/nested/prices.sql", "{% macro price(column) -%}\n  {{ cents_to_dollars(column, scale=4) }}\n{%- endmacro %}"));

        assertThat(engine.macroNames()).containsExactly("cents_to_dollars", "price");
        assertThat(engine.render("select {{ cents_to_dollars('amount') }}, {{ price('fee') }}", "models/m.sql", new RecordingContext()))
                .isEqualTo("select round(amount / 100.0, 2), round(fee / 100.0, 4)");
    }

    @Test
    void returnGivesTheMacroAValueAndStopsIt() {
        TemplateEngine engine = engine(Map.of("macros/columns.sql", """
                {% macro payment_methods() %}
                  {{ return(['card', 'bank']) }}
                {% endmacro %}
                {% macro quoted(kind) %}
                  {% if kind == 'double' %}
                    {{ return('"') }}
                  {% endif %}
                  {{ exceptions.raise_compiler_error('unsupported quote ' ~ kind) }}
                {% endmacro %}
                """));

        String sql = engine.render(
                "{% set methods = payment_methods() %}{% for m in methods %}{{ quoted('double') }}{{ m }}{{ quoted('double') }}{% if not loop.last %},{% endif %}{% endfor %}",
                "models/m.sql", new RecordingContext());

        assertThat(sql).isEqualTo("\"card\",\"bank\"");
    }

    @Test
    void refInsideAMacroReportsTheLineOfTheModelThatCalledIt() {
        TemplateEngine engine = engine(Map.of("macros/refs.sql", "{% macro all_orders() %}\n\nselect * from {{ ref('orders') }}\n{% endmacro %}"));
        RecordingContext context = new RecordingContext();

        assertThat(engine.render("-- orders\n\n{{ all_orders() }}", "models/m.sql", context))
                .isEqualTo("-- orders\n\n\n\nselect * from \"main\".\"orders\"\n");
        assertThat(context.refLocations).containsExactly(SourceLocation.of("models/m.sql", 3));
    }

    @Test
    void forLoopPivot() {
        assertThat(render("select\n{% for m in ['a','b'] %} sum(case when x = '{{m}}' then 1 else 0 end) as {{m}}_count{% if not loop.last %},{% endif %}{% endfor %}\nfrom t"))
                .isEqualTo("select\n sum(case when x = 'a' then 1 else 0 end) as a_count, sum(case when x = 'b' then 1 else 0 end) as b_count\nfrom t");
    }

    @Test
    void setAndBlockSet() {
        assertThat(render("{% set cols = ['id', 'name'] %}{% set body %}\nselect {{ cols | join(', ') }}{% endset %}[{{ body }}]"))
                .isEqualTo("[\nselect id, name]");
    }

    @Test
    void whitespaceControlAndCommentsBehaveAsInJinja2() {
        assertThat(render("select\n  {% if true %}\n  a\n  {% endif %}\nfrom t")).isEqualTo("select\n  \n  a\n  \nfrom t");
        assertThat(render("select\n  {%- if true %}\n  a\n  {%- endif %}\nfrom t")).isEqualTo("select\n  a\nfrom t");
        assertThat(render("select 1 {# a comment #}as x {#- trimmed -#}  , 2")).isEqualTo("select 1 as x, 2");
    }

    @Test
    void undefinedVariablesRenderEmpty() {
        assertThat(render("a{{ nothing }}b{{ nothing.deeper }}c")).isEqualTo("abc");
    }

    @Test
    void dictsAndListsRenderLikePython() {
        assertThat(render("{{ {'a': 1} }} {{ ['x', 'y'] }} {% for k in {'a': 1, 'b': 2} %}{{ k }}{% endfor %}"))
                .isEqualTo("{'a': 1} ['x', 'y'] ab");
    }

    @Test
    void valuesPrintAsPythonPrintsThem() {
        assertThat(render("{{ true }} {{ 1 > 2 }} {{ 42 }} {{ 7 / 2 }} {{ \"it's\" }} {{ \"a\\\\b\" }}")).isEqualTo("True False 42 3.5 it's a\\b");
    }

    @Test
    void logRendersNothing() {
        assertThat(render("select {{ log('building', info=true) }}1")).isEqualTo("select 1");
    }

    @Test
    void invocationIdAndRunStartedAt() {
        TemplateEngine engine = engine(Map.of());
        String rendered = engine.render("{{ invocation_id }}|{{ run_started_at }}|{{ run_started_at.strftime('%Y') }}", "models/m.sql", new RecordingContext());
        String[] parts = rendered.split("\\|");

        assertThat(parts[0]).isEqualTo(engine.invocationId()).matches("[0-9a-f-]{36}");
        assertThat(parts[1]).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}\\+00:00");
        assertThat(parts[2]).isEqualTo(parts[1].substring(0, 4));
    }

    @Test
    void docsBlocksAndDocFunction() {
        TemplateEngine engine = TemplateEngine.create(Map.of(),
                Map.of("models/docs.md", "# Orders\n{% docs orders %}\nOne row per **order**.\n{% enddocs %}\n\n{% docs status %}Order status{% enddocs %}"),
                Map.of(), Map.of(), TARGET);

        assertThat(engine.docs()).containsExactly(Map.entry("orders", "One row per **order**."), Map.entry("status", "Order status"));
        assertThat(engine.render("{{ doc('status') }}", "models/schema.yml", new RecordingContext())).isEqualTo("Order status");
    }

    @Test
    void genericTestBlocksBecomeMacros() {
        TemplateEngine engine = engine(Map.of("macros/tests.sql",
                "{% test is_positive(model, column_name) %}\nselect * from {{ model }} where {{ column_name }} <= 0\n{% endtest %}"));

        assertThat(engine.macroNames()).containsExactly("test_is_positive");
        assertThat(engine.render("{{ test_is_positive(model=ref('orders'), column_name='amount') }}", "tests/t.sql", new RecordingContext()))
                .isEqualTo("\nselect * from \"main\".\"orders\" where amount <= 0\n");
    }

    @Test
    void macroCallsAMacroDefinedInALaterFileAndRecursion() {
        TemplateEngine engine = engine(Map.of(
                "macros/a.sql", "{% macro outer(n) %}<{{ inner(n) }}>{% endmacro %}",
                "macros/b.sql", "{% macro inner(n) %}{% if n > 0 %}{{ n }}{{ inner(n - 1) }}{% endif %}{% endmacro %}"));

        assertThat(engine.render("{{ outer(3) }}", "models/m.sql", new RecordingContext())).isEqualTo("<321>");
    }

    @Test
    void macrosDefinedInAModelAndDoReturn() {
        assertThat(render("{% macro pick(x) %}{% do return(x * 2) %}ignored{% endmacro %}{{ pick(21) }}")).isEqualTo("42");
    }

    @Test
    void macrosTakeExtraArgumentsAsVarargsAndKwargs() {
        TemplateEngine engine = engine(Map.of("macros/list.sql",
                "{% macro columns() %}{{ varargs | join(', ') }}{% for key in kwargs %} {{ key }}={{ kwargs[key] }}{% endfor %}{% endmacro %}"));

        assertThat(engine.render("{{ columns('a', 'b', alias='t') }}", "models/m.sql", new RecordingContext())).isEqualTo("a, b alias=t");
    }
}
