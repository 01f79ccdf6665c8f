package dev.baton.ingest.jdbc;

import static dev.baton.ingest.IngestFixture.execute;
import static dev.baton.ingest.IngestFixture.load;
import static dev.baton.ingest.IngestFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.ForwardingEngineSession;
import dev.baton.api.ingest.ConnectorOptions;
import dev.baton.api.ingest.ExtractRequest;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.ingest.IngestFixture;
import dev.baton.ingest.LoadObserver;
import dev.baton.ingest.SourceLoad;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.state.LoadRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MariaDbConnectorTest {
    @TempDir
    Path temp;

    private final String database = "ingest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private Connection mariadb;
    private Engine engine;

    @BeforeEach
    void setUp() throws Exception {
        mariadb = IngestFixture.mariadb();
        execute(mariadb, "CREATE DATABASE " + database);
        engine = DuckDbEngines.openInMemory("main", 2);
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
        execute(mariadb, "DROP DATABASE " + database);
        mariadb.close();
    }

    private Project project(String tableBlock) {
        return IngestFixture.project(temp, """
                version: 2
                sources:
                  - name: shop
                    schema: raw_shop
                    connector: {type: mariadb, database: %s, user: root}
                    tables:
                      - name: things
                %s
                """.formatted(database, tableBlock));
    }

    @Test
    void aWrongPasswordIsAConfigurationErrorNamingTheSourceAndNeverShowsThePassword() throws Exception {
        String user = "u_" + database.substring(7);
        forBothHosts(user, "CREATE USER %s IDENTIFIED BY 'right-pass-81'");
        forBothHosts(user, "GRANT SELECT ON " + database + ".* TO %s");
        execute(mariadb, "CREATE TABLE " + database + ".things (id INT PRIMARY KEY)", "INSERT INTO " + database + ".things VALUES (1), (2)");
        try {
            Project project = IngestFixture.project(temp, """
                    version: 2
                    sources:
                      - name: shop
                        schema: raw_shop
                        connector: {type: mariadb, database: %s, user: %s, password: "{{ env_var('SHOP_PASSWORD') }}"}
                        tables:
                          - name: things
                    """.formatted(database, user));
            assertThatThrownBy(() -> load(engine, project, "source.app.shop.things", java.util.Map.of("SHOP_PASSWORD", "wrong-pass-42"),
                    dev.baton.ingest.LoadObserver.NONE))
                    .isInstanceOfSatisfying(BatonException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.SOURCE_ACCESS_DENIED);
                        assertThat(e.errorCode().type().exitCode()).isEqualTo(2);
                    })
                    .hasMessage("models/sources.yml:7:9: MariaDB at 127.0.0.1:3306 refused user '" + user + "' for source shop.things:"
                            + " Access denied for user '" + user + "'@'127.0.0.1' (using password: YES); check user and password in the connector block")
                    .hasMessageNotContaining("wrong-pass-42");

            LoadRecord load = load(engine, project, "source.app.shop.things", java.util.Map.of("SHOP_PASSWORD", "right-pass-81"),
                    dev.baton.ingest.LoadObserver.NONE);
            assertThat(load.rowsLoaded()).isEqualTo(2);
        } finally {
            forBothHosts(user, "DROP USER %s");
        }
    }

    @Test
    void mapsEveryCommonTypeExactly() throws Exception {
        execute(mariadb, "CREATE TABLE " + database + ".things (id INT PRIMARY KEY, small SMALLINT, big BIGINT UNSIGNED, price DECIMAL(12,4),"
                + " ratio DOUBLE, flag BOOLEAN, day DATE, at_local DATETIME(6), at_zone TIMESTAMP(3) NULL, label VARCHAR(100), doc JSON,"
                + " uid UUID, payload VARBINARY(16))",
                "SET time_zone = '+00:00'",
                "INSERT INTO " + database + ".things VALUES (1, -32768, 18446744073709551615, 12345678.1234, 0.25, TRUE, '2024-02-29',"
                        + " '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.500', 'comma, \"quote\"\\nnewline', '{\"a\": [1, 2]}',"
                        + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', x'DEADBEEF00')",
                "INSERT INTO " + database + ".things (id, label) VALUES (2, '')");
        LoadRecord load = load(engine, project(""), "source.app.shop.things");

        assertThat(load.rowsLoaded()).isEqualTo(2);
        assertThat(rows(engine, "SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE table_schema = 'raw_shop'"
                + " AND table_name = 'things' ORDER BY ordinal_position").stream().map(row -> row.get(0)).toList()).containsExactly(
                "id INTEGER", "small SMALLINT", "big UBIGINT", "price DECIMAL(12,4)", "ratio DOUBLE", "flag BOOLEAN", "day DATE", "at_local TIMESTAMP",
                "at_zone TIMESTAMP WITH TIME ZONE", "label VARCHAR", "doc VARCHAR", "uid UUID", "payload BLOB");
        assertThat(rows(engine, "SELECT id, small, big, price, ratio, flag, day, at_local, epoch_ms(at_zone), label, doc, uid, hex(payload)"
                + " FROM raw_shop.things WHERE id = 1").get(0)).containsExactly("1", "-32768", "18446744073709551615", "12345678.1234", "0.25", "true",
                "2024-02-29", "2024-01-02 03:04:05.123456", "1704164645500", "comma, \"quote\"\nnewline", "{\"a\": [1, 2]}",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "DEADBEEF00");
        assertThat(rows(engine, "SELECT label = '', small IS NULL AND price IS NULL AND flag IS NULL AND at_local IS NULL AND uid IS NULL"
                + " AND payload IS NULL FROM raw_shop.things WHERE id = 2").get(0)).containsExactly("true", "true");
    }

    /** A value the warehouse refuses stops the load with the warehouse's reason, not with the cancellation of the streams still reading. */
    @Test
    void aValueTheWarehouseRefusesFailsTheLoadWithTheWarehousesReason() throws Exception {
        execute(mariadb, "SET SESSION sql_mode = ''", "CREATE TABLE " + database + ".things (id INT PRIMARY KEY, day DATE)",
                "INSERT INTO " + database + ".things SELECT seq, '2024-01-01' FROM " + database + ".seq_1_to_200000",
                "INSERT INTO " + database + ".things VALUES (0, '0000-00-00')");

        assertThatThrownBy(() -> load(engine, project(""), "source.app.shop.things"))
                .hasMessageContaining("0000-00-00")
                .hasMessageNotContaining("cancelled");
        assertThat(rows(engine, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw_shop'").get(0)).containsExactly("0");
    }

    @Test
    void incrementalByATimestampCursorWithALag() throws Exception {
        execute(mariadb, "CREATE TABLE " + database + ".things (id INT PRIMARY KEY, changed DATETIME NOT NULL)",
                "INSERT INTO " + database + ".things VALUES (1, '2024-01-01 10:00:00'), (2, '2024-01-01 10:05:00'), (3, '2024-01-01 10:05:00'),"
                        + " (4, '2024-01-01 10:05:30')");
        Project project = project("        connector: {mode: incremental, cursor: changed, lag: 60}");

        LoadRecord first = load(engine, project, "source.app.shop.things");
        assertThat(first.watermark()).contains("2024-01-01 10:04:30");
        assertThat(first.rowsLoaded()).isEqualTo(1);

        execute(mariadb, "INSERT INTO " + database + ".things VALUES (5, '2024-01-01 10:20:00')");
        LoadRecord second = load(engine, project, "source.app.shop.things");
        assertThat(second.watermark()).contains("2024-01-01 10:19:00");
        assertThat(rows(engine, "SELECT id FROM raw_shop.things ORDER BY id").stream().map(row -> row.get(0)).toList()).containsExactly("1", "2", "3", "4");
        LoadRecord third = load(engine, project, "source.app.shop.things");
        assertThat(third.rowsLoaded()).isZero();
        assertThat(third.watermark()).contains("2024-01-01 10:19:00");
    }

    private static final String NODE = "source.app.shop.things";

    /** The files of the warehouse's {@code read_csv([...])}: one per stream the connector wrote. */
    private static final Pattern READ_CSV_FILES = Pattern.compile("read_csv\\(\\[([^\\]]*)\\]");

    /** Loads the source through a session that notes how many streams the warehouse read the rows from. */
    private LoadRecord loadCountingStreams(Project project, AtomicInteger streams) throws SQLException {
        Node node = project.node(NODE).orElseThrow();
        try (EngineSession session = new ForwardingEngineSession(engine.openSession()) {
            @Override
            public long execute(String sql) throws SQLException {
                Matcher files = READ_CSV_FILES.matcher(sql);
                if (files.find()) {
                    streams.set(files.group(1).split(", ").length);
                }
                return super.execute(sql);
            }
        }) {
            session.createSchemaIfMissing("raw_shop");
            return new SourceLoad(engine, session, project.root(), node, "run-" + System.nanoTime(), Map.of(), LoadObserver.NONE).run();
        }
    }

    /** Count, distinct keys and sums of the source table and of the loaded one, which must be equal. */
    private void assertTheTableHoldsExactlyTheSourceRows(String where) throws SQLException {
        String measures = "SELECT count(*), count(DISTINCT id), sum(CAST(id AS DECIMAL(20,0))), sum(amount) FROM ";
        List<String> source = IngestFixture.query(mariadb, measures + database + ".things" + where).get(0);
        assertThat(source.get(0)).isNotEqualTo("0");
        assertThat(rows(engine, measures + "raw_shop.things").get(0)).isEqualTo(source);
    }

    /** Every connection the load opened is closed once it is over (the server may take a moment to see a socket go). */
    private void assertNoConnectionIsLeftOpen() throws Exception {
        String open = "SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = '" + database + "' AND ID <> CONNECTION_ID()";
        for (int i = 0; i < 100 && !IngestFixture.query(mariadb, open).get(0).get(0).equals("0"); i++) {
            Thread.sleep(50);
        }
        assertThat(IngestFixture.query(mariadb, open).get(0)).containsExactly("0");
    }

    private void createNumberedThings(int rows) throws SQLException {
        execute(mariadb, "CREATE TABLE " + database + ".things (id INT PRIMARY KEY, body VARCHAR(100), amount DECIMAL(12,2))",
                "INSERT INTO " + database + ".things SELECT seq, concat(repeat('x', seq % 50), ',\"', seq), seq / 100 FROM " + database + ".seq_1_to_" + rows);
    }

    @Test
    void aTableWithAnIntegerPrimaryKeyIsReadInTwoStreamsByKeyRange() throws Exception {
        createNumberedThings(200_000);
        execute(mariadb, "DELETE FROM " + database + ".things WHERE id % 7 = 0");
        AtomicInteger streams = new AtomicInteger();

        LoadRecord load = loadCountingStreams(project(""), streams);

        assertThat(streams.get()).isEqualTo(2);
        assertThat(load.rowsLoaded()).isEqualTo(200_000 - 200_000 / 7);
        assertTheTableHoldsExactlyTheSourceRows("");
        assertThat(rows(engine, "SELECT body FROM raw_shop.things WHERE id = 199999").get(0))
                .containsExactly("x".repeat(199_999 % 50) + ",\"199999");
        assertNoConnectionIsLeftOpen();
    }

    @Test
    void parallelTakesAsManyStreamsAsTheKeysAllow() throws Exception {
        createNumberedThings(45_000);
        AtomicInteger streams = new AtomicInteger();

        loadCountingStreams(project("        connector: {parallel: 8}"), streams);
        // 45,000 keys hold four streams of at least 10,000 keys each.
        assertThat(streams.get()).isEqualTo(4);
        assertTheTableHoldsExactlyTheSourceRows("");

        loadCountingStreams(project("        connector: {parallel: 1}"), streams);
        assertThat(streams.get()).isEqualTo(1);
        assertTheTableHoldsExactlyTheSourceRows("");
    }

    /** Rows written after the streams began their snapshots are in none of them; the streams' ranges are disjoint and contiguous. */
    @Test
    void theStreamsReadDisjointKeyRangesOfOneSnapshot() throws Exception {
        createNumberedThings(200_000);
        ConnectorOptions options = new ConnectorOptions("shop.things", Map.of("database", database, "user", "root"),
                SourceLocation.of("models/sources.yml", 7), Set.of());
        try (JdbcExtraction extraction = JdbcExtraction.open("mariadb", Dialect.MARIADB,
                new ExtractRequest("shop.things", "things", options, Optional.empty(), temp, Map.of()))) {
            assertThat(extraction.streams()).isEqualTo(2);
            // Added at both ends, deleted from both ranges, changed, and moved from the first range into the second.
            execute(mariadb, "INSERT INTO " + database + ".things VALUES (-5, 'early', 1), (500000, 'late', 1)",
                    "DELETE FROM " + database + ".things WHERE id IN (1, 100001, 200000)",
                    "UPDATE " + database + ".things SET body = 'changed' WHERE id = 150000",
                    "UPDATE " + database + ".things SET id = 250000, body = 'moved' WHERE id = 50000");

            List<List<Long>> ids = new ArrayList<>();
            for (int stream = 0; stream < 2; stream++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long written = extraction.writeCsv(stream, out);
                List<Long> keys = out.toString(StandardCharsets.UTF_8).lines().map(line -> Long.parseLong(line.substring(0, line.indexOf(','))))
                        .toList();
                assertThat(keys).hasSize((int) written);
                ids.add(keys);
                assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("changed", "early", "late", "moved");
            }
            assertThat(ids.get(0).stream().sorted().toList()).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 100_000).boxed().toList());
            assertThat(ids.get(1).stream().sorted().toList()).isEqualTo(java.util.stream.LongStream.rangeClosed(100_001, 200_000).boxed().toList());
        }
    }

    @Test
    void incrementalLoadsInParallelStreamsReadTiesAtTheBoundaryOnce() throws Exception {
        // The cursor's ties are spread over the whole key range, so every stream holds rows at the boundary.
        execute(mariadb, "CREATE TABLE " + database + ".things (id INT PRIMARY KEY, version INT NOT NULL, amount DECIMAL(12,2))",
                "INSERT INTO " + database + ".things SELECT seq, (seq * 7) % 100, seq / 100 FROM " + database + ".seq_1_to_100000");
        Project project = project("        connector: {mode: incremental, cursor: version, lag: 10}");
        AtomicInteger streams = new AtomicInteger();

        LoadRecord first = loadCountingStreams(project, streams);
        assertThat(streams.get()).isEqualTo(2);
        assertThat(first.watermark()).contains("89");
        assertThat(first.rowsLoaded()).isEqualTo(90_000);
        assertTheTableHoldsExactlyTheSourceRows(" WHERE version <= 89");

        execute(mariadb, "INSERT INTO " + database + ".things SELECT seq, 100 + (seq * 7) % 100, seq / 100 FROM " + database + ".seq_100001_to_200000");
        LoadRecord second = loadCountingStreams(project, streams);
        assertThat(streams.get()).isEqualTo(2);
        assertThat(second.watermark()).contains("189");
        assertThat(second.rowsLoaded()).isEqualTo(10_000 + 90_000);
        assertTheTableHoldsExactlyTheSourceRows(" WHERE version <= 189");
        assertThat(rows(engine, "SELECT count(*), min(id), max(id) FROM raw_shop.things WHERE version = 89").get(0))
                .containsExactly("1000", "27", "99927");
    }

    @ParameterizedTest
    @ValueSource(strings = {"(id VARCHAR(20) PRIMARY KEY, amount DECIMAL(12,2))", "(id INT, amount DECIMAL(12,2))",
            "(id INT, part INT DEFAULT 1, amount DECIMAL(12,2), PRIMARY KEY (id, part))", "(id DECIMAL(10,0) PRIMARY KEY, amount DECIMAL(12,2))",
            "(id INT PRIMARY KEY, amount DECIMAL(12,2)) ENGINE=MyISAM"})
    void aTableWithoutAnIntegerPrimaryKeyOnInnoDbIsReadInOneStream(String table) throws Exception {
        execute(mariadb, "CREATE TABLE " + database + ".things " + table,
                "INSERT INTO " + database + ".things (id, amount) SELECT seq, seq / 100 FROM " + database + ".seq_1_to_40000");
        AtomicInteger streams = new AtomicInteger();

        LoadRecord load = loadCountingStreams(project(""), streams);

        assertThat(streams.get()).isEqualTo(1);
        assertThat(load.rowsLoaded()).isEqualTo(40_000);
        assertTheTableHoldsExactlyTheSourceRows("");
    }

    @Test
    void aSmallTableAnEmptyOneAndAQueryAreReadInOneStream() throws Exception {
        // 19,999 keys at the top of an unsigned BIGINT are fewer than two streams' worth.
        execute(mariadb, "CREATE TABLE " + database + ".things (id BIGINT UNSIGNED PRIMARY KEY, amount DECIMAL(12,2))",
                "INSERT INTO " + database + ".things SELECT 18446744073709551616 - seq, seq FROM " + database + ".seq_1_to_19999");
        AtomicInteger streams = new AtomicInteger();
        assertThat(loadCountingStreams(project(""), streams).rowsLoaded()).isEqualTo(19_999);
        assertThat(streams.get()).isEqualTo(1);
        assertTheTableHoldsExactlyTheSourceRows("");

        execute(mariadb, "INSERT INTO " + database + ".things VALUES (18446744073709531616, 1)");
        assertThat(loadCountingStreams(project(""), streams).rowsLoaded()).isEqualTo(20_000);
        assertThat(streams.get()).isEqualTo(2);
        assertTheTableHoldsExactlyTheSourceRows("");

        assertThat(loadCountingStreams(project("        connector: {query: \"select id, amount from " + database + ".things\"}"), streams)
                .rowsLoaded()).isEqualTo(20_000);
        assertThat(streams.get()).isEqualTo(1);

        execute(mariadb, "DELETE FROM " + database + ".things");
        assertThat(loadCountingStreams(project(""), streams).rowsLoaded()).isZero();
        assertThat(streams.get()).isEqualTo(1);
        assertThat(rows(engine, "SELECT count(*) FROM raw_shop.things").get(0)).containsExactly("0");
    }

    @Test
    void aUserWhoMayNotLockTheTableReadsItInOneStream() throws Exception {
        String user = "p_" + database.substring(7);
        createNumberedThings(50_000);
        forBothHosts(user, "CREATE USER %s");
        forBothHosts(user, "GRANT SELECT ON " + database + ".* TO %s");
        try {
            Project project = IngestFixture.project(temp, """
                    version: 2
                    sources:
                      - name: shop
                        schema: raw_shop
                        connector: {type: mariadb, database: %s, user: %s}
                        tables:
                          - name: things
                    """.formatted(database, user));
            AtomicInteger streams = new AtomicInteger();
            assertThat(loadCountingStreams(project, streams).rowsLoaded()).isEqualTo(50_000);
            assertThat(streams.get()).isEqualTo(1);
            assertTheTableHoldsExactlyTheSourceRows("");

            forBothHosts(user, "GRANT LOCK TABLES ON " + database + ".* TO %s");
            assertThat(loadCountingStreams(project, streams).rowsLoaded()).isEqualTo(50_000);
            assertThat(streams.get()).isEqualTo(2);
            assertTheTableHoldsExactlyTheSourceRows("");
        } finally {
            forBothHosts(user, "DROP USER %s");
        }
    }

    /** Runs {@code sql} for the user's account at both hosts a test may connect from ({@code '%'} and localhost); {@code %s} is the account. */
    private void forBothHosts(String user, String sql) throws Exception {
        execute(mariadb, sql.formatted("'" + user + "'@'%'"), sql.formatted("'" + user + "'@'localhost'"));
    }

    /** A transaction that has written the table holds off its read lock; past the wait the load reads in one stream what was committed. */
    @Test
    void aWriteTransactionHoldingTheTablePastTheLockWaitLeavesOneStream() throws Exception {
        createNumberedThings(50_000);
        try (Connection writer = IngestFixture.mariadb()) {
            writer.setAutoCommit(false);
            execute(writer, "INSERT INTO " + database + ".things VALUES (60000, 'uncommitted', 1)");
            AtomicInteger streams = new AtomicInteger();
            long started = System.nanoTime();

            LoadRecord load = loadCountingStreams(project(""), streams);

            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(
                    java.time.Duration.ofSeconds(JdbcExtraction.LOCK_WAIT_SECONDS));
            assertThat(streams.get()).isEqualTo(1);
            assertThat(load.rowsLoaded()).isEqualTo(50_000);
            writer.rollback();
        }
        assertTheTableHoldsExactlyTheSourceRows("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{parallel: 2}", "{parallel: 1}"})
    void aConnectionKilledInTheMiddleOfTheLoadIsReadAgainAndTheTableHoldsExactlyTheSourceRows(String tableConnector) throws Exception {
        createNumberedThings(1_000_000);
        Project project = project("        connector: " + tableConnector);
        // Only a connection already streaming rows: the load has staged part of them when it is cut off.
        IngestFixture.KilledLoad killed = IngestFixture.loadWhileKillingOnce(IngestFixture::mariadb, watcher -> {
            List<List<String>> reading = IngestFixture.query(watcher, "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + database
                    + "' AND COMMAND = 'Query' AND INFO LIKE 'SELECT `id`, %' AND TIME_MS > 30 AND ID <> CONNECTION_ID() LIMIT 1");
            if (reading.isEmpty()) {
                return false;
            }
            execute(watcher, "KILL " + reading.get(0).get(0));
            return true;
        }, () -> load(engine, project, NODE));
        LoadRecord load = killed.load();

        assertThat(killed.kills()).isEqualTo(1);
        assertThat(load.rowsLoaded()).isEqualTo(1_000_000);
        assertThat(rows(engine, "SELECT count(*), count(DISTINCT id), sum(id), sum(amount) FROM raw_shop.things").get(0))
                .containsExactly("1000000", "1000000", "500000500000", "5000005000.00");
        assertThat(rows(engine, "SELECT count(*) FROM baton_ingest.loads").get(0)).containsExactly("1");
        assertNoConnectionIsLeftOpen();
    }
}
