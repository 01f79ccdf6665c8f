package dev.baton.state;

import static dev.baton.state.StateStoreTestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the suite against the PostgreSQL server of the test machine, each test in a schema of its own. */
class PostgresStateStoreTest extends AbstractStateStoreTest {
    static final String SERVER_URL = Optional.ofNullable(System.getenv("BATON_TEST_POSTGRES_URL"))
            .orElse("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    @TempDir
    Path projectDir;

    private String schema;

    @BeforeEach
    void createSchemaName() {
        schema = "baton_state_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection connection = StateDatabase.POSTGRESQL.connect(SERVER_URL)) {
            execute(connection, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Override
    Path projectDir() {
        return projectDir;
    }

    @Override
    Optional<String> url() {
        return Optional.of(SERVER_URL + "&currentSchema=" + schema);
    }

    @Override
    String expectedLocation() {
        return url().orElseThrow();
    }

    @Test
    void keepsNothingInTheProjectFolder() {
        try (StateStore store = open()) {
            store.runStarted(started("run-1", T0));
        }
        assertThat(projectDir.resolve(".baton")).doesNotExist();
    }

    @Test
    void sharesASchemaThatAlreadyHoldsOtherTables() throws SQLException {
        try (Connection connection = StateDatabase.POSTGRESQL.connect(SERVER_URL)) {
            execute(connection, "CREATE SCHEMA " + schema);
            execute(connection, "CREATE TABLE " + schema + ".customers (id INTEGER)");
        }
        try (StateStore store = open()) {
            store.runStarted(started("run-1", T0));
            assertThat(store.recentRuns(5)).extracting(RunRecord::id).containsExactly("run-1");
        }
    }

    @Test
    void reportsAServerItCannotReachWithoutShowingThePassword() {
        String url = "jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=hunter2&connectTimeout=2";
        assertThatThrownBy(() -> StateStore.open(projectDir, Optional.of(url)))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_STORE_FAILED))
                .hasMessageStartingWith("cannot open the state store at"
                        + " jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=***&connectTimeout=2: Connection to 127.0.0.1:1 refused.")
                .hasMessageEndingWith("; check that the PostgreSQL server is running and reachable"
                        + " and that the URL's host, port, database, user and password are right")
                .message().doesNotContain("hunter2");
    }

    @Test
    void reportsAMissingDatabase() {
        String url = "jdbc:postgresql://127.0.0.1:5432/no_such_database_for_baton?user=postgres";
        assertThatThrownBy(() -> StateStore.open(projectDir, Optional.of(url)))
                .hasMessage("cannot open the state store at " + url + ": FATAL: database \"no_such_database_for_baton\" does not exist;"
                        + " check that the PostgreSQL server is running and reachable"
                        + " and that the URL's host, port, database, user and password are right");
    }
}
