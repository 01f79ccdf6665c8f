package dev.baton.ingest.jdbc;

import static dev.baton.ingest.IngestFixture.execute;
import static dev.baton.ingest.IngestFixture.load;
import static dev.baton.ingest.IngestFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.engine.Engine;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.ingest.IngestFixture;
import dev.baton.project.Project;
import dev.baton.state.LoadRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresConnectorTest {
    @TempDir
    Path temp;

    private final String schema = "ingest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private Connection postgres;
    private Engine engine;

    @BeforeEach
    void setUp() throws Exception {
        postgres = IngestFixture.postgres();
        execute(postgres, "CREATE SCHEMA " + schema);
        engine = DuckDbEngines.openInMemory("main", 2);
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
        execute(postgres, "DROP SCHEMA " + schema + " CASCADE");
        postgres.close();
    }

    private Project project(String tableBlock) {
        return IngestFixture.project(temp, """
                version: 2
                sources:
                  - name: app
                    schema: raw_app
                    connector:
                      type: postgres
                      host: 127.0.0.1
                      database: test
                      user: postgres
                      schema: %s
                    tables:
                      - name: things
                %s
                """.formatted(schema, tableBlock));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void mapsEveryCommonTypeExactlyOverCopyAndOverJdbc(boolean fastPath) throws Exception {
        execute(postgres, "CREATE TABLE " + schema + ".things (id int4 PRIMARY KEY, small int2, big int8, price numeric(12,4), loose numeric,"
                + " ratio float8, flag bool, day date, at_local timestamp(6), at_zone timestamptz, label text, note varchar(20), doc jsonb,"
                + " raw json, uid uuid, tags text[], scores int4[], payload bytea)",
                "INSERT INTO " + schema + ".things VALUES (1, -32768, 9223372036854775807, 12345678.1234, 1.5, 0.25, true, '2024-02-29',"
                        + " '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.5+02', 'comma, \"quote\"\nnewline', '', '{\"a\": [1, 2]}',"
                        + " '[true, null]', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', ARRAY['x', 'y,z', NULL], ARRAY[1, 2, 3], '\\xdeadbeef00'::bytea)",
                "INSERT INTO " + schema + ".things (id) VALUES (2)");
        Project project = project("        connector: {fast_path: " + fastPath + "}");

        LoadRecord load = load(engine, project, "source.app.app.things");

        assertThat(load.rowsRead()).isEqualTo(2);
        assertThat(load.rowsLoaded()).isEqualTo(2);
        assertThat(load.mode()).isEqualTo("full");
        assertThat(rows(engine, "SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE table_schema = 'raw_app'"
                + " AND table_name = 'things' ORDER BY ordinal_position").stream().map(row -> row.get(0)).toList()).containsExactly(
                "id INTEGER", "small SMALLINT", "big BIGINT", "price DECIMAL(12,4)", "loose DOUBLE", "ratio DOUBLE", "flag BOOLEAN", "day DATE",
                "at_local TIMESTAMP", "at_zone TIMESTAMP WITH TIME ZONE", "label VARCHAR", "note VARCHAR", "doc JSON", "raw JSON", "uid UUID",
                "tags VARCHAR[]", "scores INTEGER[]", "payload BLOB");
        List<String> first = rows(engine, "SELECT id, small, big, price, loose, ratio, flag, day, at_local, epoch_ms(at_zone), label, note,"
                + " doc, raw, uid, tags, scores, hex(payload), note IS NULL FROM raw_app.things WHERE id = 1").get(0);
        assertThat(first).containsExactly("1", "-32768", "9223372036854775807", "12345678.1234", "1.5", "0.25", "true", "2024-02-29",
                "2024-01-02 03:04:05.123456", "1704157445500", "comma, \"quote\"\nnewline", "", "{\"a\": [1, 2]}", "[true, null]",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "[x, 'y,z', NULL]", "[1, 2, 3]", "DEADBEEF00", "false");
        List<String> nulls = rows(engine, "SELECT count(*) FILTER (WHERE small IS NULL AND big IS NULL AND price IS NULL AND flag IS NULL"
                + " AND day IS NULL AND at_zone IS NULL AND label IS NULL AND doc IS NULL AND uid IS NULL AND tags IS NULL AND payload IS NULL)"
                + " FROM raw_app.things WHERE id = 2").get(0);
        assertThat(nulls).containsExactly("1");
    }

    /**
     * The fast path reads a binary COPY into Arrow vectors the warehouse scans; the JDBC path writes
     * text the warehouse parses. Edge values of every type the binary path decodes (and of some it
     * sends as text) land the same both ways, and the fast path really is the Arrow one.
     */
    @Test
    void theBinaryCopyLandsEdgeValuesExactlyAsTheTextPathDoes() throws Exception {
        execute(postgres, "CREATE TABLE " + schema + ".things (id int4, wide numeric(30,8), whole numeric(18,0), tiny numeric(6,4), loose numeric,"
                + " single float4, double float8, day date, at_local timestamp, at_zone timestamptz, clock time, letter \"char\", padded char(5),"
                + " ident name, span interval, zoned_clock timetz, label text, flag bool, small int2)",
                "INSERT INTO " + schema + ".things VALUES (1, -1234567890123456789012.12345678, 999999999999999999, -0.0001, -0.0125, 'NaN',"
                        + " 'Infinity', 'infinity', 'infinity', '-infinity', '23:59:59.999999', 'x', 'ab', 'n', '1 day 02:03:04', '01:02:03+05',"
                        + " E'€ 😀 back\\\\slash, tab\t \"quoted\"', false, 32767)",
                "INSERT INTO " + schema + ".things VALUES (2, 0.00000001, -999999999999999999, 0.1234, 100, '-Infinity', -1e-300, '-infinity',"
                        + " '-infinity', 'infinity', '00:00:00', ' ', 'abcde', '', '-3 months', '00:00:00-11', '', true, -1)",
                "INSERT INTO " + schema + ".things VALUES (3, 10000, 10000, 1, 123456789.123456789, 1.5, 0, '0001-01-01', '1999-12-31 23:59:59.999999',"
                        + " '2000-01-01 00:00:00+00', '12:00:00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
                "INSERT INTO " + schema + ".things (id) VALUES (4)");
        Engine textEngine = DuckDbEngines.openInMemory("main", 2);
        try {
            java.util.concurrent.atomic.AtomicInteger arrowScans = new java.util.concurrent.atomic.AtomicInteger();
            LoadRecord arrow = loadWatchingArrowScans(engine, project("        connector: {parallel: 2}"), arrowScans);
            LoadRecord text = load(textEngine, project("        connector: {fast_path: false}"), "source.app.app.things");

            assertThat(arrowScans.get()).isEqualTo(1);
            assertThat(arrow.rowsLoaded()).isEqualTo(4);
            assertThat(text.rowsLoaded()).isEqualTo(4);
            String types = "SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE table_schema = 'raw_app'"
                    + " AND table_name = 'things' ORDER BY ordinal_position";
            assertThat(rows(engine, types)).isEqualTo(rows(textEngine, types));
            String all = "SELECT * FROM raw_app.things ORDER BY id";
            assertThat(rows(engine, all)).isEqualTo(rows(textEngine, all));
            assertThat(rows(engine, "SELECT wide, whole, tiny, loose, isinf(day) AND day > DATE '2000-01-01', isinf(at_local) AND at_local > TIMESTAMP '2000-01-01',"
                    + " isinf(at_zone) AND at_zone < TIMESTAMPTZ '2000-01-01 00:00:00+00', padded, label FROM raw_app.things"
                    + " WHERE id = 1").get(0)).containsExactly("-1234567890123456789012.12345678", "999999999999999999", "-0.0001", "-0.0125",
                    "true", "true", "true", "ab   ", "\u20ac \uD83D\uDE00 back\\slash, tab\t \"quoted\"");
        } finally {
            textEngine.close();
        }
    }

    @Test
    void aNumericNaNTheWarehouseCannotHoldFailsTheLoadNamingTheColumnAndCommitsNothing() throws Exception {
        execute(postgres, "CREATE TABLE " + schema + ".things (id int4, price numeric(12,2))",
                "INSERT INTO " + schema + ".things SELECT g, g FROM generate_series(1, 200000) g", "INSERT INTO " + schema + ".things VALUES (0, 'NaN')");
        Project project = project("        connector: {parallel: 2}");

        assertThatThrownBy(() -> load(engine, project, "source.app.app.things"))
                .isInstanceOf(BatonException.class)
                .hasMessage("models/sources.yml:12:9: reading source app.things failed: column price holds NaN, which a DECIMAL cannot hold;"
                        + " read the source through a 'query' that casts the column to float8; nothing was committed, run the load again");
        assertThat(rows(engine, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw_app'").get(0)).containsExactly("0");
    }

    /**
     * When the warehouse fails while the streams are still reading, the load fails with the warehouse's error, not with the
     * failure of the streams it stopped.
     */
    @Test
    void aWarehouseFailureInTheMiddleOfTheLoadIsReportedAsTheWarehousesError() throws Exception {
        execute(postgres, "CREATE TABLE " + schema + ".things (id int8, body text)",
                "INSERT INTO " + schema + ".things SELECT g, repeat('x', 40) FROM generate_series(1, 1000000) g");
        dev.baton.project.Node node = project("        connector: {parallel: 2}").node("source.app.app.things").orElseThrow();
        try (dev.baton.api.engine.EngineSession session = new dev.baton.api.engine.ForwardingEngineSession(engine.openSession()) {
            @Override
            public long execute(String sql) throws java.sql.SQLException {
                if (sql.startsWith("CREATE TABLE") && sql.contains("baton_arrow_")) {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new java.sql.SQLException("Out of Memory Error: the warehouse gave up");
                }
                return super.execute(sql);
            }
        }) {
            session.createSchemaIfMissing("raw_app");
            assertThatThrownBy(() -> new dev.baton.ingest.SourceLoad(engine, session, temp, node, "run-1", java.util.Map.of(),
                    dev.baton.ingest.LoadObserver.NONE).run())
                    .isInstanceOf(java.sql.SQLException.class)
                    .hasMessage("Out of Memory Error: the warehouse gave up");
        }
        assertThat(rows(engine, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw_app'").get(0)).containsExactly("0");
    }

    @Test
    void wideRowsArriveWhole() throws Exception {
        // 40 MB of text: the binary reader hands it over in batches bounded by bytes, not by rows alone.
        execute(postgres, "CREATE TABLE " + schema + ".things (id int4, body text)",
                "INSERT INTO " + schema + ".things SELECT g, repeat(chr(65 + g % 26), 20000) FROM generate_series(1, 2000) g");
        LoadRecord load = load(engine, project("        connector: {parallel: 1}"), "source.app.app.things");

        assertThat(load.rowsLoaded()).isEqualTo(2000);
        assertThat(rows(engine, "SELECT count(*), sum(length(body)), count(DISTINCT body), sum(id) FROM raw_app.things").get(0))
                .containsExactly("2000", "40000000", "26", "2001000");
    }

    /** Loads the source through a session that counts the Arrow streams registered with the warehouse. */
    private static LoadRecord loadWatchingArrowScans(Engine engine, Project project, java.util.concurrent.atomic.AtomicInteger scans) throws Exception {
        dev.baton.project.Node node = project.node("source.app.app.things").orElseThrow();
        try (dev.baton.api.engine.EngineSession session = new dev.baton.api.engine.ForwardingEngineSession(engine.openSession()) {
            @Override
            public void registerArrowStream(String name, Object arrowArrayStream) throws java.sql.SQLException {
                scans.incrementAndGet();
                super.registerArrowStream(name, arrowArrayStream);
            }
        }) {
            session.createSchemaIfMissing("raw_app");
            return new dev.baton.ingest.SourceLoad(engine, session, project.root(), node, "run-1", java.util.Map.of(), dev.baton.ingest.LoadObserver.NONE)
                    .run();
        }
    }

    @Test
    void incrementalLoadsReadTiesAtTheBoundaryOnceAndLeaveTheLagForLater() throws Exception {
        execute(postgres, "CREATE TABLE " + schema + ".things (id int PRIMARY KEY, version int NOT NULL)",
                "INSERT INTO " + schema + ".things VALUES (1, 10), (2, 20), (3, 20)");
        Project project = project("        connector: {mode: incremental, cursor: version, lag: 5}");

        LoadRecord first = load(engine, project, "source.app.app.things");
        // max(version) = 20, lag 5: the bound is 15, rows at 20 wait for the next load.
        assertThat(first.rowsLoaded()).isEqualTo(1);
        assertThat(first.watermark()).contains("15");

        execute(postgres, "INSERT INTO " + schema + ".things VALUES (4, 12), (5, 26), (6, 30)");
        LoadRecord second = load(engine, project, "source.app.app.things");
        // Bound 25: the rows at 20 come now; row 4 committed late below the mark 15, later than the lag allowed, and is not read.
        assertThat(second.watermark()).contains("25");
        assertThat(rows(engine, "SELECT id FROM raw_app.things ORDER BY id").stream().map(row -> row.get(0)).toList()).containsExactly("1", "2", "3");

        execute(postgres, "INSERT INTO " + schema + ".things VALUES (7, 30), (8, 40)");
        load(engine, project, "source.app.app.things");
        assertThat(rows(engine, "SELECT id FROM raw_app.things ORDER BY id").stream().map(row -> row.get(0)).toList())
                .containsExactly("1", "2", "3", "5", "6", "7");
        assertThat(rows(engine, "SELECT count(*), count(DISTINCT id) FROM raw_app.things").get(0)).containsExactly("6", "6");
    }

    @Test
    void parallelCopyStreamsReadDisjointBlockRangesOfOneSnapshot() throws Exception {
        execute(postgres, "CREATE TABLE " + schema + ".things (id int, body text)",
                "INSERT INTO " + schema + ".things SELECT g, repeat('x', g % 50) || ',\"' || g FROM generate_series(1, 20000) g",
                "DELETE FROM " + schema + ".things WHERE id % 7 = 0");
        Project project = project("        connector: {parallel: 3}");
        LoadRecord load = load(engine, project, "source.app.app.things");
        assertThat(load.rowsLoaded()).isEqualTo(20000 - 20000 / 7);
        assertThat(rows(engine, "SELECT id, body FROM raw_app.things ORDER BY id"))
                .isEqualTo(IngestFixture.query(postgres, "SELECT id::text AS key, body FROM " + schema + ".things ORDER BY id"));
    }

    @Test
    void aQueryCanBeTheSource() throws Exception {
        execute(postgres, "CREATE TABLE " + schema + ".things (id int, kind text)", "INSERT INTO " + schema + ".things VALUES (1, 'a'), (2, 'b'), (3, 'a')");
        Project project = project("        connector: {query: \"select id, upper(kind) as kind from " + schema + ".things where kind = 'a'\"}");
        assertThat(load(engine, project, "source.app.app.things").rowsLoaded()).isEqualTo(2);
        assertThat(rows(engine, "SELECT id, kind FROM raw_app.things ORDER BY id")).containsExactly(List.of("1", "A"), List.of("3", "A"));
    }

    @Test
    void aFullLoadReplacesTheTable() throws Exception {
        execute(postgres, "CREATE TABLE " + schema + ".things (id int)", "INSERT INTO " + schema + ".things VALUES (1), (2)");
        Project project = project("");
        load(engine, project, "source.app.app.things");
        execute(postgres, "DELETE FROM " + schema + ".things WHERE id = 1", "INSERT INTO " + schema + ".things VALUES (3)");
        load(engine, project, "source.app.app.things");
        assertThat(rows(engine, "SELECT id FROM raw_app.things ORDER BY id").stream().map(row -> row.get(0)).toList()).containsExactly("2", "3");
        assertThat(rows(engine, "SELECT count(*) FROM baton_ingest.loads").get(0)).containsExactly("2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{parallel: 2}", "{fast_path: false}"})
    void aConnectionDroppedInTheMiddleOfTheLoadIsReadAgainAndTheTableHoldsExactlyTheSourceRows(String tableConnector) throws Exception {
        execute(postgres, "CREATE TABLE " + schema + ".things (id int8 PRIMARY KEY, body text, amount numeric(12,2))",
                "INSERT INTO " + schema + ".things SELECT g, repeat('x', 40) || g, g / 100.0 FROM generate_series(1, 1000000) g");
        Project project = project("        connector: " + tableConnector);
        // Only a backend that is already streaming rows: the load has staged part of them when it is cut off.
        IngestFixture.KilledLoad killed = IngestFixture.loadWhileKillingOnce(IngestFixture::postgres, watcher -> {
            List<List<String>> terminated = IngestFixture.query(watcher, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = 'baton' AND state IN ('active', 'idle in transaction') AND query LIKE '%" + schema + "%'"
                    + " AND now() - coalesce(xact_start, query_start) > interval '30 milliseconds' LIMIT 1");
            return !terminated.isEmpty() && "t".equals(terminated.get(0).get(0));
        }, () -> load(engine, project, "source.app.app.things"));
        LoadRecord load = killed.load();

        assertThat(killed.kills()).isEqualTo(1);
        assertThat(load.rowsLoaded()).isEqualTo(1_000_000);
        assertThat(rows(engine, "SELECT count(*), count(DISTINCT id), sum(id), sum(amount) FROM raw_app.things").get(0))
                .containsExactly("1000000", "1000000", "500000500000", "5000005000.00");
        assertThat(rows(engine, "SELECT count(*) FROM baton_ingest.loads").get(0)).containsExactly("1");
    }

    @Test
    void anUnknownTableNamesTheSourceAndTheFix() {
        Project project = project("        connector: {table: missing}");
        assertThatThrownBy(() -> load(engine, project, "source.app.app.things"))
                .isInstanceOf(BatonException.class)
                .hasMessage("models/sources.yml:12:9: cannot read table " + schema + ".missing of source app.things: ERROR: relation \"" + schema
                        + ".missing\" does not exist; check 'table', 'schema' or 'query' in the connector block");
    }

    @Test
    void anUnreachableServerIsALoadErrorNamingHostAndPort() {
        Project project = project("        connector: {port: 1}");
        assertThatThrownBy(() -> load(engine, project, "source.app.app.things"))
                .isInstanceOf(BatonException.class)
                .hasMessageStartingWith("models/sources.yml:12:9: cannot connect to PostgreSQL database 'test' at 127.0.0.1:1 as user 'postgres'"
                        + " for source app.things: ")
                .hasMessageEndingWith("; check host, port, database, user and password in the connector block");
    }
}
