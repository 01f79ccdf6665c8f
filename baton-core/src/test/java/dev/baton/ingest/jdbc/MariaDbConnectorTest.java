package dev.baton.ingest.jdbc;

import static dev.baton.ingest.IngestFixture.execute;
import static dev.baton.ingest.IngestFixture.load;
import static dev.baton.ingest.IngestFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        execute(mariadb, "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'right-pass-81'", "CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'right-pass-81'",
                "GRANT SELECT ON " + database + ".* TO '" + user + "'@'%'", "GRANT SELECT ON " + database + ".* TO '" + user + "'@'localhost'",
                "CREATE TABLE " + database + ".things (id INT PRIMARY KEY)", "INSERT INTO " + database + ".things VALUES (1), (2)");
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
            execute(mariadb, "DROP USER '" + user + "'@'%'", "DROP USER '" + user + "'@'localhost'");
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
}
