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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A load killed before and after its warehouse commit, then run again: the table holds exactly the source rows. */
class IngestCrashTest {
    private static final String NODE = "source.app.app.events";

    @TempDir
    Path temp;

    private final String schema = "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private Connection postgres;

    @BeforeEach
    void setUp() throws Exception {
        postgres = IngestFixture.postgres();
        execute(postgres, "CREATE SCHEMA " + schema, "CREATE TABLE " + schema + ".events (id int PRIMARY KEY, body text)");
    }

    @AfterEach
    void tearDown() throws Exception {
        execute(postgres, "DROP SCHEMA " + schema + " CASCADE");
        postgres.close();
    }

    @Test
    void aLoadKilledBeforeOrAfterItsCommitNeverLosesOrDoublesRows() throws Exception {
        Project project = IngestFixture.project(temp, """
                version: 2
                sources:
                  - name: app
                    schema: raw
                    connector: {type: postgres, database: test, user: postgres, schema: %s, mode: incremental, cursor: id}
                    tables:
                      - name: events
                """.formatted(schema));
        Path warehouse = temp.resolve("target/app.duckdb");
        insert(1, 5_000);

        assertThat(runProcess(warehouse, "staged")).contains("halting after staged 5000");
        try (Engine engine = DuckDbEngines.open(warehouse, "main", 1)) {
            assertThat(IngestFixture.rows(engine, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'"))
                    .containsExactly(List.of("events" + SourceLoad.STAGING_SUFFIX));
        }

        assertThat(runProcess(warehouse, "committed")).contains("halting after committed");
        insert(5_001, 8_000);
        try (Engine engine = DuckDbEngines.open(warehouse, "main", 1); StateStore store = StateStore.open(temp, Optional.empty())) {
            assertThat(store.loads(NODE, 10)).isEmpty();
            LoadRecord rerun = IngestFixture.load(engine, project, NODE);
            assertThat(rerun.rowsLoaded()).isEqualTo(3_000);
            assertThat(LoadMirror.sync(engine, store)).isEqualTo(2);
            assertThat(LoadMirror.sync(engine, store)).isEqualTo(1);

            List<List<String>> loaded = IngestFixture.rows(engine, "SELECT id, body FROM raw.events ORDER BY id");
            assertThat(loaded).isEqualTo(IngestFixture.query(postgres, "SELECT id::text AS key, body FROM " + schema + ".events ORDER BY id"));
            assertThat(IngestFixture.rows(engine, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw'").get(0))
                    .containsExactly("1");
            List<LoadRecord> loads = store.loads(NODE, 10);
            assertThat(loads).extracting(LoadRecord::rowsLoaded).containsExactly(3_000L, 5_000L);
            assertThat(loads).extracting(LoadRecord::watermark).containsExactly(Optional.of("8000"), Optional.of("5000"));
            assertThat(loads).allSatisfy(load -> assertThat(load.rowsRead()).isEqualTo(load.rowsLoaded() + load.rowsQuarantined()));
        }
    }

    private void insert(int from, int to) throws Exception {
        execute(postgres, "INSERT INTO " + schema + ".events SELECT g, 'event ' || g || ', \"quoted\"' FROM generate_series(" + from + ", " + to + ") g");
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
