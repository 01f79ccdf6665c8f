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

    @Test
    void everyMacroGivesTheSameValuesOnSparkAsOnDuckDbAndPostgres() throws SQLException {
        try (EngineSession session = spark.openSession()) {
            assertThat(ComparableRows.of(session.query(render(CrossDatabaseMacrosTest.EVERY_MACRO), 1).rows()))
                    .containsExactly(CrossDatabaseMacrosTest.EXPECTED);
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
