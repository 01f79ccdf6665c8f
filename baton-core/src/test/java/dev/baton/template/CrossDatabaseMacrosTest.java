package dev.baton.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.EngineTarget;
import dev.baton.engine.ComparableRows;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.engine.postgres.PostgresEngineProvider;
import dev.baton.engine.postgres.PostgresTestDatabase;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** adapter.dispatch and the built-in cross-database macros, rendered for each adapter and run on the real engines. */
class CrossDatabaseMacrosTest {
    private static PostgresTestDatabase database;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = PostgresTestDatabase.create("baton_macros_test");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        database.close();
    }

    private static TemplateEngine engine(String type, Map<String, String> macroFiles) {
        return TemplateEngine.create(macroFiles, Map.of(), Map.of(), Map.of(), Map.of("name", "dev", "type", type, "schema", "analytics"));
    }

    private static String render(String type, String template) {
        return engine(type, Map.of()).render(template, "models/m.sql", new RecordingContext());
    }

    /** Every built-in cross-database macro in one query; the other engines' tests run it too. */
    static final String EVERY_MACRO = """
            select
                {{ dateadd('day', 3, "cast('2024-01-30' as date)") }} as plus_three_days,
                {{ dateadd('month', 1, "cast('2024-01-31' as date)") }} as next_month,
                {{ datediff("cast('2024-01-01' as date)", "cast('2024-03-15' as date)", 'day') }} as days,
                {{ datediff("cast('2024-01-31' as date)", "cast('2024-03-01' as date)", 'month') }} as months,
                {{ datediff("cast('2023-12-31' as date)", "cast('2024-01-01' as date)", 'year') }} as years,
                {{ datediff("cast('2024-01-01' as date)", "cast('2024-01-20' as date)", 'week') }} as weeks,
                {{ datediff("cast('2024-01-01 10:00:00' as timestamp)", "cast('2024-01-02 09:30:00' as timestamp)", 'hour') }} as hours,
                {{ date_trunc('month', "cast('2024-03-15' as date)") }} as month_start,
                {{ safe_cast("'42'", type_int()) }} as forty_two,
                {{ concat(["'a'", "'-'", "cast(1 as " ~ type_string() ~ ")"]) }} as joined,
                {{ hash("'baton'") }} as hashed,
                cast(1.5 as {{ type_float() }}) as ratio,
                cast(2 as {{ type_bigint() }}) as big,
                cast(1.25 as {{ type_numeric() }}) as exact,
                cast('true' as {{ type_boolean() }}) as flag,
                cast('2024-01-01 10:00:00' as {{ type_timestamp() }}) as at,
                {{ cast_bool_to_text('true') }} as flag_text,
                {{ current_timestamp() }} > cast('2020-01-01' as {{ type_timestamp() }}) as now_is_later
            """;

    /** What {@link #EVERY_MACRO} returns on every engine. */
    static final List<String> EXPECTED = List.of("2024-02-02 00:00:00", "2024-02-29 00:00:00", "74", "2", "1", "2", "23",
            "2024-03-01 00:00:00", "42", "a-1", "f7ea712e1b55a90de175172101d86f20", "1.5", "2", "1.250000", "true", "2024-01-01 10:00:00",
            "true", "true");

    @Test
    void everyMacroGivesTheSameValuesOnDuckDbAndPostgres() throws SQLException {
        try (Engine duckdb = DuckDbEngines.openInMemory("main", 1); EngineSession session = duckdb.openSession()) {
            assertThat(ComparableRows.of(session.query(render("duckdb", EVERY_MACRO), 1).rows())).containsExactly(EXPECTED);
        }
        try (Engine postgres = postgres(); EngineSession session = postgres.openSession()) {
            assertThat(ComparableRows.of(session.query(render("postgres", EVERY_MACRO), 1).rows())).containsExactly(EXPECTED);
        }
    }

    @Test
    void listaggOrdersAndLimitsOnBothEngines() throws SQLException {
        String sql = "select {{ listagg('x', \"', '\", 'order by x') }} as all_values, {{ listagg('x', \"'|'\", 'order by x desc', 2) }} as top_two"
                + " from (select 'b' as x union all select 'a' union all select 'c') v";
        try (Engine duckdb = DuckDbEngines.openInMemory("main", 1); EngineSession session = duckdb.openSession()) {
            assertThat(session.query(render("duckdb", sql), 1).rows()).containsExactly(List.of("a, b, c", "c|b"));
        }
        try (Engine postgres = postgres(); EngineSession session = postgres.openSession()) {
            assertThat(session.query(render("postgres", sql), 1).rows()).containsExactly(List.of("a, b, c", "c|b"));
        }
    }

    private static Engine postgres() {
        return new PostgresEngineProvider().open(new EngineTarget("pg", "postgres", "analytics", 1,
                Map.of("host", PostgresTestDatabase.HOST, "user", PostgresTestDatabase.USER, "dbname", database.name()), Path.of("."),
                SourceLocation.of("baton.yml", 1)));
    }

    @Test
    void eachAdapterGetsItsOwnImplementationOrTheDefault() {
        assertThat(render("duckdb", "{{ safe_cast('x', 'integer') }}")).isEqualTo("try_cast(x as integer)");
        assertThat(render("postgres", "{{ safe_cast('x', 'integer') }}")).isEqualTo("cast(x as integer)");
        assertThat(render("duckdb", "{{ type_float() }}|{{ current_timestamp() }}")).isEqualTo("double|current_timestamp");
        assertThat(render("postgres", "{{ type_float() }}|{{ current_timestamp() }}")).isEqualTo("double precision|now()");
    }

    @Test
    void dispatchFindsTheProjectsMacrosAdapterFirstThenDefault() {
        Map<String, String> macros = Map.of("macros/money.sql", """
                {% macro cents(column) %}{{ return(adapter.dispatch('cents', 'shop')(column)) }}{% endmacro %}
                {% macro default__cents(column) %}{{ column }} / 100{% endmacro %}
                {% macro postgres__cents(column) %}{{ column }} / 100.0{% endmacro %}
                {% macro no_arguments() %}{{ adapter.dispatch(macro_name='today')() }}{% endmacro %}
                {% macro default__today() %}current_date{% endmacro %}
                """);
        String template = "{{ cents('amount') }}|{{ no_arguments() }}";

        assertThat(engine("duckdb", macros).render(template, "models/m.sql", new RecordingContext())).isEqualTo("amount / 100|current_date");
        assertThat(engine("postgres", macros).render(template, "models/m.sql", new RecordingContext())).isEqualTo("amount / 100.0|current_date");
    }

    @Test
    void projectMacrosOverrideTheBuiltInOnesAsInDbt() {
        Map<String, String> macros = Map.of("macros/overrides.sql", """
                {% macro postgres__dateadd(datepart, interval, from_date_or_timestamp) %}my_dateadd({{ interval }}){% endmacro %}
                {% macro hash(field) %}sha256({{ field }}){% endmacro %}
                """);
        TemplateEngine postgres = engine("postgres", macros);

        assertThat(postgres.render("{{ dateadd('day', 1, 'd') }}|{{ hash('x') }}", "models/m.sql", new RecordingContext()))
                .isEqualTo("my_dateadd(1)|sha256(x)");
        assertThat(engine("duckdb", macros).render("{{ dateadd('day', 1, 'd') }}", "models/m.sql", new RecordingContext()))
                .isEqualTo("cast(date_add(d, interval (1) day) as timestamp)");
    }

    @Test
    void aDispatchWithoutAnImplementationSaysWhatToDefine() {
        Map<String, String> macros = Map.of("macros/m.sql", "{% macro shout(x) %}\n{{ return(adapter.dispatch('shout')(x)) }}\n{% endmacro %}");

        assertThatThrownBy(() -> engine("postgres", macros).render("select\n{{ shout('a') }}", "models/loud.sql", new RecordingContext()))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.DISPATCH_NOT_FOUND))
                .hasMessage("models/loud.sql:2: adapter.dispatch('shout') found no macro for the postgres adapter;"
                        + " define postgres__shout or default__shout in a macro file (in macro 'shout' at macros/m.sql:2)");
    }
}
