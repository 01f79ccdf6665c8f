package dev.baton.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineCapabilities;
import dev.baton.engine.AbstractEngineTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine contract on Spark local[2], with one Spark session for the whole class. */
class SparkEngineTest extends AbstractEngineTest {
    private static Path warehouse;
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() throws Exception {
        warehouse = Files.createTempDirectory("baton-spark-engine-test");
        spark = SparkTestSession.start(warehouse);
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Override
    protected Engine openEngine() {
        return SparkEngine.onSession(spark, SCHEMA, "parquet");
    }

    @Override
    protected void dropWarehouse() {
        for (Row database : spark.sql("show databases").collectAsList()) {
            if (!database.getString(0).equals("default")) {
                spark.sql("drop database " + SparkEngine.quoteIdentifier(database.getString(0)) + " cascade");
            }
        }
    }

    @Override
    protected String longRunningQuery() {
        return "select max(id) from range(0, 100000000000, 1, 200)";
    }

    @Override
    protected String missingTableMessage() {
        return "The table or view `missing_table` cannot be found";
    }

    @Override
    protected Map<String, String> typeNames() {
        return Map.of("bigint", "bigint", "varchar", "string", "text", "string", "decimal", "decimal(10,2)", "double", "double",
                "date", "date", "boolean", "boolean");
    }

    @Test
    void declaresWhatSparkCanAndCannotDoWithParquetTables() {
        assertThat(engine.name()).isEqualTo("spark");
        assertThat(engine.capabilities()).isEqualTo(EngineCapabilities.builder().replaceViewChangingColumns().schemas().tableComments()
                .cancelStatements().build());
        assertThat(SparkEngine.capabilities("delta").merge()).isTrue();
        assertThat(SparkEngine.capabilities("iceberg").createOrReplaceTable()).isTrue();
    }

    @Test
    void aFailedSwapPutsTheLiveTableBackUnderItsName() throws SQLException {
        session.execute("create table orders as select 1 as id");
        session.execute("create table orders__staging as select 2 as id");

        assertThatThrownBy(() -> session.executeAtomically(List.of(
                        "alter table \"analytics\".\"orders\" rename to \"orders__backup\"",
                        "select * from missing_table",
                        "drop table orders__backup")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(missingTableMessage());

        assertThat(session.query("select id from orders", 1).rows()).containsExactly(List.of("1"));
        assertThat(session.relationType(new dev.baton.api.engine.Relation(SCHEMA, "orders__backup"))).isEmpty();
    }

    @Test
    void sqlErrorsKeepSparksMessageWithoutThePlan() {
        assertThatThrownBy(() -> session.query("select\n  id,\n  nope\nfrom (select 1 as id) t", 1))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `nope` cannot be resolved.")
                .hasMessageEndingWith("\nLINE 3:   nope");
    }
}
