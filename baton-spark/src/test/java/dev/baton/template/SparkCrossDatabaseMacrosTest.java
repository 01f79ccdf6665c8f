package dev.baton.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.SourceLocation;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.EngineTarget;
import dev.baton.engine.ComparableRows;
import dev.baton.engine.spark.SparkEngineProvider;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in cross-database macros dispatched for Spark give the values they give on DuckDB and PostgreSQL. */
class SparkCrossDatabaseMacrosTest {
    @TempDir
    static Path warehouse;

    private static Engine spark;

    @BeforeAll
    static void startSpark() {
        spark = new SparkEngineProvider().open(new EngineTarget("spark", "spark", "analytics", 2, Map.of("master", "local[2]", "warehouse",
                warehouse.toString()), warehouse, SourceLocation.of("baton.yml", 1)));
    }

    @AfterAll
    static void stopSpark() {
        spark.close();
    }

    private static String render(String template) {
        return TemplateEngine.create(Map.of(), Map.of(), Map.of(), Map.of(), Map.of("name", "dev", "type", "spark", "schema", "analytics"))
                .render(template, "models/m.sql", new RecordingContext());
    }

    private static final String EVERY_MACRO = """
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

    private static final List<String> EXPECTED = List.of("2024-02-02 00:00:00", "2024-02-29 00:00:00", "74", "2", "1", "2", "23",
            "2024-03-01 00:00:00", "42", "a-1", "f7ea712e1b55a90de175172101d86f20", "1.5", "2", "1.250000", "true", "2024-01-01 10:00:00",
            "true", "true");

    @Test
    void everyMacroGivesTheSameValuesOnSparkAsOnDuckDbAndPostgres() throws SQLException {
        try (EngineSession session = spark.openSession()) {
            assertThat(ComparableRows.of(session.query(render(EVERY_MACRO), 1).rows())).containsExactly(EXPECTED);
        }
    }

    @Test
    void listaggOrdersAndLimits() throws SQLException {
        String sql = "select {{ listagg('x', \"', '\") }} as all_values from (select 'a' as x union all select 'b' union all select 'c') v";
        try (EngineSession session = spark.openSession()) {
            assertThat(session.query(render(sql), 1).rows()).containsExactly(List.of("a, b, c"));
        }
    }
}
