package dev.baton.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineCapabilities;
import dev.baton.api.engine.EngineTarget;
import dev.baton.engine.AbstractEngineTest;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine contract on the test machine's PostgreSQL server, in a database created for this class. */
class PostgresEngineTest extends AbstractEngineTest {
    private static PostgresTestDatabase database;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = PostgresTestDatabase.create("baton_engine_test");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        database.close();
    }

    static EngineTarget target(String database, int port, Map<String, Object> extra) {
        Map<String, Object> settings = new java.util.LinkedHashMap<>(Map.of("host", PostgresTestDatabase.HOST, "port", port, "user",
                PostgresTestDatabase.USER, "dbname", database, "connect_timeout", "3"));
        settings.putAll(extra);
        return new EngineTarget("pg", "postgres", SCHEMA, 2, settings, Path.of("."), SourceLocation.of("baton.yml", 14));
    }

    @Override
    protected Engine openEngine() {
        return new PostgresEngineProvider().open(target(database.name(), PostgresTestDatabase.PORT, Map.of()));
    }

    @Override
    protected void dropWarehouse() throws SQLException {
        database.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE; DROP SCHEMA IF EXISTS staging CASCADE; DROP SCHEMA IF EXISTS \"Mixed Schema\" CASCADE");
    }

    @Override
    protected String longRunningQuery() {
        return "select pg_sleep(30)";
    }

    @Override
    protected String missingTableMessage() {
        return "relation \"missing_table\" does not exist";
    }

    @Override
    protected Map<String, String> typeNames() {
        return Map.of("bigint", "bigint", "varchar", "character varying", "text", "text", "decimal", "numeric", "double", "double precision",
                "date", "date", "boolean", "boolean");
    }

    @Test
    void declaresWhatPostgresCanAndCannotDo() {
        assertThat(engine.name()).isEqualTo("postgres");
        assertThat(engine.capabilities()).isEqualTo(EngineCapabilities.builder().atomicRename().transactionalDdl().merge().schemas()
                .temporaryTables().bulkLoad().tableComments().cancelStatements().viewsFollowRenames().updateDelete().anyQuotedName().build());
    }

    @Test
    void aServerBeforeFifteenHasNoMerge() {
        assertThat(PostgresEngine.capabilities(140011).merge()).isFalse();
        assertThat(PostgresEngine.capabilities(140011)).isEqualTo(EngineCapabilities.builder().atomicRename().transactionalDdl().schemas()
                .temporaryTables().bulkLoad().tableComments().cancelStatements().viewsFollowRenames().updateDelete().anyQuotedName().build());
        assertThat(PostgresEngine.capabilities(150020).merge()).isTrue();
    }

    @Test
    void anSqlErrorNamesTheLineThePositionPointsAt() {
        assertThatThrownBy(() -> session.execute("create table t as (\nselect\n    1 as id,\n    nope as name\n)"))
                .isInstanceOf(SQLException.class)
                .hasMessage("ERROR: column \"nope\" does not exist\nLINE 4:     nope as name");
    }

    @Test
    void aServerThatIsNotListeningIsReportedWithTheTarget() {
        assertThatThrownBy(() -> new PostgresEngineProvider().open(target(database.name(), 1, Map.of())))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ENGINE_UNREACHABLE))
                .hasMessageStartingWith("baton.yml:14: could not connect to target 'pg' (postgres at " + PostgresTestDatabase.HOST
                        + ":1, database " + database.name() + ", user postgres): Connection to " + PostgresTestDatabase.HOST + ":1 refused.")
                .hasMessageEndingWith("; check host and port of the target and that the server is running and accepts TCP connections");
    }

    @Test
    void aMissingDatabaseIsReportedWithTheHint() {
        assertThatThrownBy(() -> new PostgresEngineProvider().open(target("baton_no_such_database", PostgresTestDatabase.PORT, Map.of())))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ENGINE_UNREACHABLE))
                .hasMessageEndingWith("; check dbname of the target, or create the database");
    }

    @Test
    void aTargetWithoutDbnameIsAConfigurationError() {
        EngineTarget noDatabase = new EngineTarget("pg", "postgres", SCHEMA, 1, Map.of("user", "postgres"), Path.of("."),
                SourceLocation.of("profiles.yml", 6));
        assertThatThrownBy(() -> new PostgresEngineProvider().open(noDatabase))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG_VALUE))
                .hasMessage("profiles.yml:6: target 'pg' of type postgres has no dbname; add 'dbname: analytics'");
    }

    @Test
    void seedsOfManyRowsStreamThroughCopy() throws Exception {
        StringBuilder csv = new StringBuilder("id,label\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append(i).append(",row ").append(i).append('\n');
        }
        Path file = java.nio.file.Files.writeString(directory.resolve("big.csv"), csv);

        assertThat(session.loadCsv(new dev.baton.api.engine.Relation(SCHEMA, "big"), file, Map.of())).isEqualTo(20_000);
        assertThat(session.query("select count(*), max(id) from big", 1).rows()).containsExactly(List.of("20000", "19999"));
    }
}
