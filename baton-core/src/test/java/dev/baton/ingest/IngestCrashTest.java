package dev.baton.ingest;

import static dev.baton.ingest.IngestFixture.execute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.engine.Engine;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.project.Project;
import dev.baton.state.LoadRecord;
import dev.baton.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A load killed before and after its warehouse commit, then run again: the table holds exactly the
 * source rows. Both loads are large enough to be read in parallel streams.
 */
class IngestCrashTest {
    private static final String NODE = "source.app.app.events";

    @TempDir
    Path temp;

    /** The source's schema on PostgreSQL, its database on MariaDB. */
    private final String schema = "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private String type;
    private Connection source;

    private void createSource(String type) throws Exception {
        this.type = type;
        source = type.equals("postgres") ? IngestFixture.postgres() : IngestFixture.mariadb();
        execute(source, (type.equals("postgres") ? "CREATE SCHEMA " : "CREATE DATABASE ") + schema,
                "CREATE TABLE " + schema + ".events (id int PRIMARY KEY, body text)");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (source != null) {
            execute(source, type.equals("postgres") ? "DROP SCHEMA " + schema + " CASCADE" : "DROP DATABASE " + schema);
            source.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void aLoadKilledBeforeOrAfterItsCommitNeverLosesOrDoublesRows(String type) throws Exception {
        createSource(type);
        String connector = type.equals("postgres") ? "{type: postgres, database: test, user: postgres, schema: " + schema + ", mode: incremental, cursor: id}"
                : "{type: mariadb, database: " + schema + ", user: root, mode: incremental, cursor: id}";
        Project project = IngestFixture.project(temp, """
                version: 2
                sources:
                  - name: app
                    schema: raw
                    connector: %s
                    tables:
                      - name: events
                """.formatted(connector));
        Path warehouse = temp.resolve("target/app.duckdb");
        insert(1, 30_000);

        assertThat(runProcess(warehouse, "staged")).contains("halting after staged 30000");
        try (Engine engine = DuckDbEngines.open(warehouse, "main", 1)) {
            assertThat(IngestFixture.rows(engine, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'"))
                    .containsExactly(List.of("events" + SourceLoad.STAGING_SUFFIX));
        }

        assertThat(runProcess(warehouse, "committed")).contains("halting after committed");
        insert(30_001, 50_000);
        try (Engine engine = DuckDbEngines.open(warehouse, "main", 1); StateStore store = StateStore.open(temp, Optional.empty())) {
            assertThat(store.loads(NODE, 10)).isEmpty();
            LoadRecord rerun = IngestFixture.load(engine, project, NODE);
            assertThat(rerun.rowsLoaded()).isEqualTo(20_000);
            assertThat(LoadMirror.sync(engine, store)).isEqualTo(2);
            assertThat(LoadMirror.sync(engine, store)).isEqualTo(1);

            List<List<String>> loaded = IngestFixture.rows(engine, "SELECT id, body FROM raw.events ORDER BY id");
            assertThat(loaded).isEqualTo(IngestFixture.query(source, "SELECT CAST(id AS " + (type.equals("postgres") ? "text" : "char") + ") AS text_id, body FROM "
                    + schema + ".events ORDER BY id"));
            assertThat(IngestFixture.rows(engine, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw'").get(0))
                    .containsExactly("1");
            List<LoadRecord> loads = store.loads(NODE, 10);
            assertThat(loads).extracting(LoadRecord::rowsLoaded).containsExactly(20_000L, 30_000L);
            assertThat(loads).extracting(LoadRecord::watermark).containsExactly(Optional.of("50000"), Optional.of("30000"));
            assertThat(loads).allSatisfy(load -> assertThat(load.rowsRead()).isEqualTo(load.rowsLoaded() + load.rowsQuarantined()));
        }
    }

    private void insert(int from, int to) throws Exception {
        if (type.equals("postgres")) {
            execute(source, "INSERT INTO " + schema + ".events SELECT g, 'event ' || g || ', \"quoted\"' FROM generate_series(" + from + ", " + to + ") g");
        } else {
            execute(source, "INSERT INTO " + schema + ".events SELECT seq, concat('event ', seq, ', \"quoted\"') FROM " + schema + ".seq_" + from + "_to_" + to);
        }
    }

    private String runProcess(Path warehouse, String dieAt) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), IngestCrashProcess.class.getName(), temp.toString(), warehouse.toString(), dieAt, NODE));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(99);
        return output;
    }
}
