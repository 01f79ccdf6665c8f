package dev.baton.state;

import static dev.baton.state.StateStoreTestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.event.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStateStoreTest extends AbstractStateStoreTest {
    @TempDir
    Path projectDir;

    @Override
    Path projectDir() {
        return projectDir;
    }

    @Override
    Optional<String> url() {
        return Optional.empty();
    }

    @Override
    String expectedLocation() {
        return projectDir.resolve(".baton/state.db").toAbsolutePath().normalize().toString();
    }

    @Test
    void createsTheDefaultStoreInTheProjectFolder() {
        try (StateStore store = open()) {
            store.runStarted(started("run-1", T0));
        }
        assertThat(projectDir.resolve(".baton/state.db")).isRegularFile();
    }

    @Test
    void acceptsASqliteUrl() {
        Path file = projectDir.resolve("elsewhere.db");
        try (StateStore store = StateStore.open(projectDir, Optional.of("jdbc:sqlite:" + file))) {
            assertThat(store.location()).isEqualTo(file.toString());
            store.runStarted(started("run-1", T0));
        }
        assertThat(file).isRegularFile();
        assertThat(projectDir.resolve(".baton")).doesNotExist();
    }

    @Test
    void usesWriteAheadLoggingSoThatAReaderNeverBlocksTheWriter() throws Exception {
        try (StateStore writer = open(); StateStore reader = open()) {
            Connection connection = connectionOf(writer);
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("wal");
            }
            writer.runStarted(started("run-1", T0));
            Connection readConnection = connectionOf(reader);
            readConnection.setAutoCommit(false);
            try (Statement statement = readConnection.createStatement(); ResultSet rows = statement.executeQuery("SELECT count(*) FROM baton_runs")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
                long start = System.nanoTime();
                writer.runStarted(started("run-2", T0.plusSeconds(1)));
                writer.runFinished(finished("run-2", RunStatus.SUCCESS, List.of()));
                assertThat((System.nanoTime() - start) / 1_000_000).as("ms the writer waited").isLessThan(1_000);
            } finally {
                readConnection.rollback();
                readConnection.setAutoCommit(true);
            }
            assertThat(reader.recentRuns(5)).extracting(RunRecord::id).containsExactly("run-2", "run-1");
        }
    }

    @Test
    void loadsTheNativeLibraryFromThePerUserCache() throws Exception {
        try (StateStore store = open()) {
            assertThat(store.recentRuns(1)).isEmpty();
        }
        Path cached = Path.of(System.getProperty(SqliteNativeLibrary.PATH_PROPERTY), System.getProperty(SqliteNativeLibrary.NAME_PROPERTY));
        assertThat(cached).isRegularFile();
        assertThat(cached.getParent()).isEqualTo(SqliteNativeLibrary.cacheDirectory());
        assertThat(cached.getParent().getFileName().toString()).as("named after the driver's version, not SQLite's")
                .matches("sqlite-\\d+\\.\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void extractsTheNativeLibraryOnceIntoXdgCacheHome(@TempDir Path cacheHome) throws Exception {
        try (StateStore store = open()) {
            store.runStarted(started("run-1", T0));
        }
        Map<String, String> environment = Map.of("XDG_CACHE_HOME", cacheHome.toString());
        String first = StateStoreTestSupport.runProcess(environment, "open", projectDir.toString());
        assertThat(first).contains("migrated=false");
        Path directory;
        try (var files = Files.list(cacheHome.resolve("baton/native"))) {
            directory = files.findFirst().orElseThrow();
        }
        List<Path> libraries;
        try (var files = Files.list(directory)) {
            libraries = files.toList();
        }
        assertThat(libraries).singleElement().satisfies(file -> assertThat(file.getFileName().toString()).startsWith("libsqlitejdbc-"));
        long modified = Files.getLastModifiedTime(libraries.get(0)).toMillis();

        String second = StateStoreTestSupport.runProcess(environment, "open", projectDir.toString());
        assertThat(second).contains("migrated=false");
        assertThat(Files.getLastModifiedTime(libraries.get(0)).toMillis()).as("the second start reuses the file").isEqualTo(modified);
    }

    @Test
    void reportsAFileThatIsNotAStateStore() throws Exception {
        Files.createDirectories(projectDir.resolve(".baton"));
        Files.writeString(projectDir.resolve(".baton/state.db"), "x".repeat(4096));
        assertThatThrownBy(this::open)
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_STORE_FAILED))
                .hasMessageStartingWith("cannot open the state store at " + expectedLocation() + ": ")
                .hasMessageContaining("not a database")
                .hasMessageEndingWith("; check that its folder exists and is writable and that the file is a Baton state store,"
                        + " or delete the file to start a new history");
    }

    @Test
    void reportsAProjectFolderWhereTheStoreCannotBeCreated() throws Exception {
        Files.writeString(projectDir.resolve(".baton"), "not a folder");
        assertThatThrownBy(this::open)
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_STORE_FAILED))
                .hasMessageStartingWith("cannot open the state store at " + expectedLocation() + ": cannot create the folder "
                        + projectDir.resolve(".baton").toAbsolutePath())
                .hasMessageEndingWith("; check that its folder exists and is writable and that the file is a Baton state store,"
                        + " or delete the file to start a new history");
    }

    @Test
    void rejectsAUrlOfAnotherDatabase() {
        assertThatThrownBy(() -> StateStore.open(projectDir, Optional.of("jdbc:mysql://db:3306/baton?user=baton&password=hunter2")))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_STORE_FAILED))
                .hasMessage("cannot open the state store at jdbc:mysql://db:3306/baton?user=baton&password=***: unsupported URL;"
                        + " give a jdbc:postgresql:// URL, or none for the SQLite file .baton/state.db in the project folder");
    }

    @Test
    void refusesAStoreWrittenByANewerBaton() throws Exception {
        try (StateStore store = open()) {
            execute(connectionOf(store), "INSERT INTO baton_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) VALUES (99, '" + (StateSchema.LATEST_VERSION + 1) + "', 'future', 'SQL', 'V"
                    + (StateSchema.LATEST_VERSION + 1) + "__future.sql', 0, 'x', 0, 1)");
        }
        assertThatThrownBy(this::open)
                .hasMessage("cannot open the state store at " + expectedLocation() + ": its schema version " + (StateSchema.LATEST_VERSION + 1) + " is newer than this Baton"
                        + " knows (" + StateSchema.LATEST_VERSION + "); upgrade Baton, or give it another state store");
    }
}
