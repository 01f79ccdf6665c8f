package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.engine.duckdb.DuckDbEngines;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Incremental models through the command line: flags, exit codes, messages, plan output and retry. */
class IncrementalCommandsTest {
    @TempDir
    Path temp;

    private Path project(String... files) {
        String[] all = new String[files.length + 2];
        all[0] = "baton.yml";
        all[1] = "name: p\n";
        System.arraycopy(files, 0, all, 2, files.length);
        return Cli.project(temp.resolve("p"), all);
    }

    private static void assertUserError(Cli.Result result, String message) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo("error: " + message);
        assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** Runs statements on the project's warehouse (no build may be running). */
    private static List<String> sql(Path root, String... statements) throws Exception {
        List<String> last = new ArrayList<>();
        try (Engine engine = DuckDbEngines.open(root.resolve("target/p.duckdb"), "main", 1); EngineSession session = engine.openSession()) {
            for (String statement : statements) {
                if (statement.startsWith("select")) {
                    last.clear();
                    session.query(statement, 1000).rows().forEach(row -> last.add(String.join("|", row)));
                } else {
                    session.execute(statement);
                }
            }
        }
        return last;
    }

    @Test
    void unknownStrategySuggestsTheClosest() {
        Path root = project("models/orders.sql", "{{ config(materialized='incremental', incremental_strategy='delete_insert', unique_key='id') }}\n"
                + "select 1 as id\n");
        assertUserError(Cli.run("build", "--project-dir", root.toString()),
                "models/orders.sql:1: unknown incremental_strategy 'delete_insert'; did you mean 'delete+insert'?");
    }

    @Test
    void microbatchWithoutEventTime() {
        Path root = project("models/events.sql", "\n{{ config(materialized='incremental', incremental_strategy='microbatch', batch_size='day', "
                + "begin='2024-01-01') }}\nselect 1 as id\n");
        assertUserError(Cli.run("run", "--project-dir", root.toString()),
                "models/events.sql:2: incremental_strategy 'microbatch' needs event_time, the column that places each row in a batch; "
                        + "add event_time='<column>' to the model's config");
    }

    @Test
    void backfillRangeThatEndsBeforeItStarts() {
        Path root = project("models/a.sql", "select 1 as id\n");
        assertUserError(Cli.run("build", "--project-dir", root.toString(), "--event-time-start", "2024-01-05", "--event-time-end", "2024-01-01"),
                "--event-time-end 2024-01-01 is not after --event-time-start 2024-01-05; give a range that ends after it starts");
        assertUserError(Cli.run("build", "--project-dir", root.toString(), "--event-time-start", "2024-02-30"),
                "--event-time-start '2024-02-30' is not a date or timestamp; write it as 2024-01-01 or 2024-01-01T06:00:00 (UTC)");
    }

    @Test
    void uniqueKeyNamingAMissingColumnExitsTwo() {
        Path root = project("models/orders.sql", "{{ config(materialized='incremental', unique_key=['id', 'lines']) }}\nselect 1 as id, 2 as line\n");
        Cli.Result build = Cli.run("build", "--project-dir", root.toString());
        assertThat(build.exitCode()).as(build.toString()).isEqualTo(2);
        assertThat(build.out()).contains("models/orders.sql:1: unique_key 'lines' is not a column of incremental model main.orders (its columns: id, line); "
                + "did you mean 'line'?");
    }

    @Test
    void onSchemaChangeFailExitsTwoAndKeepsTheTable() throws Exception {
        Path root = project("models/orders.sql", "{{ config(materialized='incremental', on_schema_change='fail') }}\n"
                + "select 1 as id{% if var('note', false) %}, 'x' as note{% endif %}\n");
        assertThat(Cli.run("build", "--project-dir", root.toString()).exitCode()).isZero();
        Cli.Result build = Cli.run("build", "--project-dir", root.toString(), "--vars", "{note: true}");
        assertThat(build.exitCode()).as(build.toString()).isEqualTo(2);
        assertThat(build.out()).contains("models/orders.sql:1: the columns of incremental model main.orders changed (new column note VARCHAR) and "
                + "on_schema_change is 'fail'; set on_schema_change to append_new_columns or sync_all_columns, or rebuild it with --full-refresh");
        Cli.Result refresh = Cli.run("build", "--project-dir", root.toString(), "--vars", "{note: true}", "--full-refresh");
        assertThat(refresh.exitCode()).as(refresh.toString()).isZero();
        assertThat(refresh.out()).contains("rebuilt incremental model main.orders (full refresh)");
        assertThat(sql(root, "select id, note from main.orders")).containsExactly("1|x");
    }

    @Test
    void planShowsWhatEachIncrementalModelWillDo() {
        Path root = project(
                "models/orders.sql", "{{ config(materialized='incremental', incremental_strategy='merge', unique_key='id') }}\nselect 1 as id\n",
                "models/events.sql", "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='month', "
                        + "begin='2024-01-01') }}\nselect timestamp '2024-01-01' as ts\n");
        Cli.Result plan = Cli.run("plan", "--project-dir", root.toString(), "--event-time-start", "2024-02-10", "--event-time-end", "2024-04-01");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("model.p.orders  incremental   new  merge on (id)")
                .contains("model.p.events  incremental   new  microbatch by month: backfill 2 batches (2024-02 to 2024-03)");
        Cli.Result refresh = Cli.run("plan", "--project-dir", root.toString(), "--full-refresh");
        assertThat(refresh.out()).contains("model.p.orders  incremental   new  full refresh");
    }

    @Test
    void retryRunsOnlyTheFailedBatch() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Path root = project("models/events.sql", "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', "
                + "batch_size='day', begin='" + today.minusDays(2) + "', lookback=1) }}\n"
                + "select id, ts, case when (select count(*) from raw.broken where day = cast(ts as date)) > 0 then error('boom') else v end as v\n"
                + "from raw.events\n");
        sql(root, "create schema raw", "create table raw.broken (day date)", "create table raw.events (id integer, ts timestamp, v integer)",
                "insert into raw.events values (1, current_date - 2, 1), (2, current_date - 1, 2), (3, current_date, 3)");
        String dir = root.toString();
        Cli.Result first = Cli.run("build", "--project-dir", dir);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("created incremental model main.events from 3 batches (" + today.minusDays(2) + " to " + today + "): 3 rows");

        sql(root, "insert into raw.broken values (current_date - 1)", "update raw.events set v = v * 10");
        Cli.Result broken = Cli.run("build", "--project-dir", dir);
        assertThat(broken.exitCode()).as(broken.toString()).isEqualTo(1);
        assertThat(broken.out()).contains("1 of 2 batches of main.events failed (1 published); batch " + today.minusDays(1) + ": ");
        assertThat(sql(root, "select id, v from main.events order by id")).containsExactly("1|1", "2|2", "3|30");

        sql(root, "delete from raw.broken");
        Cli.Result retry = Cli.run("retry", "--project-dir", dir);
        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        assertThat(retry.out()).contains("built 1 batch of incremental model main.events (" + today.minusDays(1) + "): 1 row");
        assertThat(sql(root, "select id, v from main.events order by id")).containsExactly("1|1", "2|20", "3|30");
    }
}
