package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
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
 * the run that took them.
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

    private Path project(String snapshotConfig) {
        return Cli.project(temp.resolve("p"),
                "baton.yml", "name: p\n",
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
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + root.resolve("target/p.duckdb"));
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
}
