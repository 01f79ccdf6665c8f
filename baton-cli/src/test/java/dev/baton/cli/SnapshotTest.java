package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Snapshots over three runs of changing data, compared with SCD2 tables worked out by hand.
 * Times from the data read as their dates (01-02); times a snapshot takes read as R1, R2, R3,
 * the run that took them. {@link PostgresSnapshotTest} runs the same cases on PostgreSQL.
 */
class SnapshotTest {
    /** Run 1: three rows. */
    private static final String RUN_1 = "id,name,updated_at\n1,alice,2024-01-01\n2,bob,2024-01-01\n3,carol,2024-01-01\n";
    /** Run 2: 1 updated, 2 deleted, 3 unchanged, 4 new. */
    private static final String RUN_2 = "id,name,updated_at\n1,alice2,2024-01-02\n3,carol,2024-01-01\n4,dave,2024-01-02\n";
    /** Run 3: 2 back (newer time), 3 deleted, 4 renamed without a newer time. */
    private static final String RUN_3 = "id,name,updated_at\n1,alice2,2024-01-02\n2,bob,2024-01-03\n4,dave2,2024-01-02\n";

    @TempDir
    Path temp;

    private final List<Instant[]> runs = new ArrayList<>();

    /** The project file: DuckDB's warehouse under target/ by default. */
    String projectFile() {
        return "name: p\n";
    }

    /** A connection to the project's warehouse. */
    Connection connect(Path root) throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + root.resolve("target/p.duckdb"));
    }

    private Path project(String snapshotConfig) {
        return Cli.project(temp.resolve("p"),
                "baton.yml", projectFile(),
                "seeds/raw_customers.csv", RUN_1,
                "snapshots/customers.sql", "-- customers over time\n{% snapshot customers_snapshot %}\n{{ config(" + snapshotConfig + ") }}\n"
                        + "select id, name, updated_at from {{ ref('raw_customers') }}\n{% endsnapshot %}\n",
                "models/current_customers.sql", "select id, name from {{ ref('customers_snapshot') }} where dbt_valid_to is null");
    }

    private void build(Path root, String data) throws Exception {
        Files.writeString(root.resolve("seeds/raw_customers.csv"), data);
        Instant before = Instant.now();
        Cli.Result result = Cli.run("build", "--project-dir", root.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        runs.add(new Instant[] {before, Instant.now()});
    }

    private String label(Object value) {
        if (value == null) {
            return "null";
        }
        LocalDateTime time = (LocalDateTime) value;
        if (time.getYear() == 2024) {
            return String.format("%02d-%02d", time.getMonthValue(), time.getDayOfMonth());
        }
        Instant instant = time.toInstant(ZoneOffset.UTC);
        for (int i = 0; i < runs.size(); i++) {
            if (!instant.isBefore(runs.get(i)[0]) && !instant.isAfter(runs.get(i)[1])) {
                return "R" + (i + 1);
            }
        }
        return "?" + time;
    }

    private List<String> table(Path root, String relation, boolean deletions) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = connect(root);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select id, name, cast(dbt_valid_from as timestamp), cast(dbt_valid_to as timestamp)" + (deletions ? ", dbt_is_deleted" : "")
                        + ", dbt_updated_at = dbt_valid_from, length(dbt_scd_id) from " + relation)) {
            while (result.next()) {
                assertThat(result.getBoolean(deletions ? 6 : 5)).as("dbt_updated_at is dbt_valid_from").isTrue();
                assertThat(result.getInt(deletions ? 7 : 6)).as("dbt_scd_id is an md5").isEqualTo(32);
                rows.add(result.getInt(1) + " " + result.getString(2) + " " + label(result.getObject(3, LocalDateTime.class)) + " " + label(result.getObject(4, LocalDateTime.class))
                        + (deletions ? " " + result.getString(5) : ""));
            }
        }
        rows.sort(null);
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "strategy='timestamp', updated_at='updated_at' | 1 alice 01-01 01-02; 1 alice2 01-02 null; 2 bob 01-01 01-03; 2 bob 01-03 null;"
                    + " 3 carol 01-01 null; 4 dave 01-02 null",
            "strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate' | 1 alice 01-01 01-02; 1 alice2 01-02 null; 2 bob 01-01 R2;"
                    + " 2 bob 01-03 null; 3 carol 01-01 R3; 4 dave 01-02 null",
            "strategy='timestamp', updated_at='updated_at', invalidate_hard_deletes=true | 1 alice 01-01 01-02; 1 alice2 01-02 null; 2 bob 01-01 R2;"
                    + " 2 bob 01-03 null; 3 carol 01-01 R3; 4 dave 01-02 null",
            "strategy='check', check_cols=['name'] | 1 alice R1 R2; 1 alice2 R2 null; 2 bob R1 null; 3 carol R1 null; 4 dave R2 R3; 4 dave2 R3 null",
            "strategy='check', check_cols='all', hard_deletes='invalidate' | 1 alice R1 R2; 1 alice2 R2 null; 2 bob R1 R2; 2 bob R3 null;"
                    + " 3 carol R1 R3; 4 dave R2 R3; 4 dave2 R3 null",
    })
    void keepsHistoryAsDbtDoes(String config, String expected) throws Exception {
        Path root = project("unique_key='id', " + config);
        build(root, RUN_1);
        build(root, RUN_2);
        build(root, RUN_3);
        assertThat(table(root, "main.customers_snapshot", false)).containsExactly(expected.split("; "));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "strategy='timestamp', updated_at='updated_at' | 1 alice 01-01 01-02 False; 1 alice2 01-02 null False; 2 bob 01-01 R2 False;"
                    + " 2 bob 01-03 null False; 2 bob R2 01-03 True; 3 carol 01-01 R3 False; 3 carol R3 null True; 4 dave 01-02 null False",
            "strategy='check', check_cols=['name'] | 1 alice R1 R2 False; 1 alice2 R2 null False; 2 bob R1 R2 False; 2 bob R2 R3 True;"
                    + " 2 bob R3 null False; 3 carol R1 R3 False; 3 carol R3 null True; 4 dave R2 R3 False; 4 dave2 R3 null False",
    })
    void recordsDeletionsAsNewRecords(String config, String expected) throws Exception {
        Path root = project("unique_key='id', hard_deletes='new_record', " + config);
        build(root, RUN_1);
        build(root, RUN_2);
        build(root, RUN_3);
        assertThat(table(root, "main.customers_snapshot", true)).containsExactly(expected.split("; "));
    }

    @Test
    void aYamlSnapshotWithACompositeKeyRunsAloneWithBatonSnapshot() throws Exception {
        Path root = Cli.project(temp.resolve("p"),
                "baton.yml", projectFile(),
                "seeds/raw_stock.csv", "shop,item,qty\n1,1,5\n1,2,7\n2,1,5\n",
                "snapshots/stock.yml", "snapshots:\n  - name: stock_history\n    relation: ref('raw_stock')\n"
                        + "    config:\n      unique_key: [shop, item]\n      strategy: check\n      check_cols: [qty]\n      target_schema: history\n",
                "models/big.sql", "select * from {{ ref('raw_stock') }} where qty > 5");
        String dir = root.toString();
        assertThat(Cli.run("ls", "--project-dir", dir, "-s", "resource_type:snapshot").out().lines()).containsExactly("p.stock_history");
        Cli.Result seed = Cli.run("seed", "--project-dir", dir);
        assertThat(seed.exitCode()).as(seed.toString()).isZero();
        Instant before = Instant.now();
        Cli.Result first = Cli.run("snapshot", "--project-dir", dir);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("OK created snapshot history.stock_history").doesNotContain("main.big");
        runs.add(new Instant[] {before, Instant.now()});

        Files.writeString(root.resolve("seeds/raw_stock.csv"), "shop,item,qty\n1,1,5\n1,2,8\n2,1,5\n2,2,1\n");
        assertThat(Cli.run("seed", "--project-dir", dir).exitCode()).isZero();
        before = Instant.now();
        Cli.Result second = Cli.run("snapshot", "--project-dir", dir, "-s", "stock_history");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("OK snapshotted history.stock_history");
        runs.add(new Instant[] {before, Instant.now()});

        List<String> rows = new ArrayList<>();
        try (Connection connection = connect(root);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select shop, item, qty, dbt_valid_from, dbt_valid_to from history.stock_history")) {
            while (result.next()) {
                rows.add(result.getInt(1) + "/" + result.getInt(2) + " " + result.getInt(3) + " " + label(result.getObject(4, LocalDateTime.class))
                        + " " + label(result.getObject(5, LocalDateTime.class)));
            }
        }
        rows.sort(null);
        assertThat(rows).containsExactly("1/1 5 R1 null", "1/2 7 R1 R2", "1/2 8 R2 null", "2/1 5 R1 null", "2/2 1 R2 null");
    }

    @Test
    void aColumnTheQueryGainsIsAddedWithNullInEarlierVersions() throws Exception {
        Path root = project("unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='new_record'");
        build(root, RUN_1);
        Files.writeString(root.resolve("snapshots/customers.sql"), "{% snapshot customers_snapshot %}\n{{ config(unique_key='id', strategy='timestamp',"
                + " updated_at='updated_at', hard_deletes='new_record') }}\nselect id, name, updated_at, length(name) as size from {{ ref('raw_customers') }}\n"
                + "{% endsnapshot %}\n");
        build(root, RUN_2);
        List<String> rows = new ArrayList<>();
        try (Connection connection = connect(root);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select id, name, size, dbt_valid_to is null, dbt_is_deleted from main.customers_snapshot")) {
            while (result.next()) {
                rows.add(result.getInt(1) + " " + result.getString(2) + " " + result.getString(3) + " " + result.getBoolean(4) + " " + result.getString(5));
            }
        }
        rows.sort(null);
        assertThat(rows).containsExactly("1 alice null false False", "1 alice2 6 true False", "2 bob null false False", "2 bob null true True",
                "3 carol null true False", "4 dave 4 true False");
    }

    private static void assertUserError(Cli.Result result, String message) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo("error: " + message);
    }

    @Test
    void aSnapshotWithoutUniqueKeyOrUpdatedAtIsRefusedWithItsLine() {
        Path root = Cli.project(temp.resolve("p"),
                "baton.yml", projectFile(),
                "snapshots/orders.sql", "\n{% snapshot orders_snapshot %}\n{{ config(strategy='timestamp', updated_at='updated_at') }}\n"
                        + "select 1 as id, now() as updated_at\n{% endsnapshot %}\n");
        assertUserError(Cli.run("build", "--project-dir", root.toString()), "snapshots/orders.sql:3: snapshot 'orders_snapshot' has no unique_key;"
                + " name the column that identifies a row, such as unique_key='id', or a list of columns");

        Cli.project(root, "snapshots/orders.sql", "{% snapshot orders_snapshot %}\nselect 1 as id\n{% endsnapshot %}\n",
                "snapshots/orders.yml", "snapshots:\n  - name: orders_snapshot\n    config:\n      unique_key: id\n      strategy: timestamp\n");
        assertUserError(Cli.run("snapshot", "--project-dir", root.toString()), "snapshots/orders.yml:2:5: snapshot 'orders_snapshot' uses the timestamp"
                + " strategy but has no updated_at; name the column that changes with every update, such as updated_at='updated_at'");

        Cli.project(root, "snapshots/orders.yml", "snapshots:\n  - name: orders_snapshot\n    config:\n      unique_key: id\n      strategy: timestmp\n");
        assertUserError(Cli.run("snapshot", "--project-dir", root.toString()),
                "snapshots/orders.yml:2:5: unknown snapshot strategy 'timestmp' in snapshot 'orders_snapshot'; did you mean 'timestamp'?");

        Cli.project(root, "snapshots/orders.yml", "snapshots: []\n", "snapshots/orders.sql", "{% snapshot orders_snapshot %}\nselect 1 as id\n");
        assertUserError(Cli.run("snapshot", "--project-dir", root.toString()), "snapshots/orders.sql:1: {% snapshot orders_snapshot %} is never closed;"
                + " add {% endsnapshot %} where the snapshot's query ends");
    }
}
