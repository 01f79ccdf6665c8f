package dev.baton.materialization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunStatus;
import dev.baton.materialization.IncrementalOptions.EventTimeRange;
import dev.baton.materialization.IntervalLedger.BatchRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Microbatch models on DuckDB; {@link PostgresMicrobatchTest} runs the same cases on PostgreSQL. */
class MicrobatchTest {
    @TempDir
    Path root;

    IncrementalFixture fixture;

    /** The fixture of one test: a project folder and an empty warehouse with a function {@code error(text)} that fails the query. */
    IncrementalFixture openFixture(Path root) {
        return new IncrementalFixture(root);
    }

    /** The engine's name of a type, as schema-change messages give it, from DuckDB's. */
    String type(String duckDbType) {
        return duckDbType;
    }

    @BeforeEach
    void open() {
        fixture = openFixture(root);
        fixture.sql("create schema raw", "create table raw.events (id integer, ts timestamp, v integer)", "create table raw.broken (day date)",
                "insert into raw.events values (0, '2023-12-31 10:00', 0), (1, '2024-01-01 10:00', 1), (2, '2024-01-02 10:00', 2), "
                        + "(3, '2024-01-03 10:00', 3), (4, '2024-01-04 10:00', 4), (5, '2024-01-05 10:00', 5)");
        fixture.write("models/raw_events.sql", "{{ config(event_time='ts') }}\nselect * from raw.events");
        model("");
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    void model(String config) {
        fixture.write("models/events.sql", "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', "
                + "begin='2024-01-01', lookback=1" + config + ") }}\n"
                + "select id, ts, case when (select count(*) from raw.broken where day = cast(ts as date)) > 0 then error('boom') else v end as v\n"
                + "from {{ ref('raw_events') }}\n");
    }

    static IncrementalOptions at(IntervalLedger ledger, String now) {
        return new IncrementalOptions(false, Optional.empty(), false, ledger, Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
    }

    NodeResult events() {
        return fixture.last.results().get("model.p.events");
    }

    List<String> table() {
        return fixture.rows("select id, v from main.events order by id");
    }

    @Test
    void theFirstBuildRunsEveryBatchFromBeginToNow() {
        fixture.build(at(fixture.store, "2024-01-04T12:00:00Z"));
        assertThat(events().message()).isEqualTo("created incremental model main.events from 4 batches (2024-01-01 to 2024-01-04): 4 rows");
        assertThat(table()).containsExactly("1|1", "2|2", "3|3", "4|4");
        List<BatchRecord> batches = fixture.store.batches("model.p.events");
        assertThat(batches).extracting(batch -> batch.start().toLocalDate() + " " + batch.complete() + " " + batch.rows())
                .containsExactly("2024-01-01 true 1", "2024-01-02 true 1", "2024-01-03 true 1", "2024-01-04 false 1");
    }

    @Test
    void lateRowsInsideTheLookbackAreCaughtAndABackfillCatchesTheRest() {
        fixture.build(at(fixture.store, "2024-01-04T12:00:00Z"));
        fixture.sql("insert into raw.events values (32, '2024-01-03 20:00', 32), (22, '2024-01-02 20:00', 22)", "update raw.events set v = 40 where id = 4");
        fixture.build(at(fixture.store, "2024-01-04T13:00:00Z"));
        assertThat(events().message()).isEqualTo("built 2 batches of incremental model main.events (2024-01-03 to 2024-01-04): 3 rows");
        assertThat(table()).containsExactly("1|1", "2|2", "3|3", "4|40", "32|32");

        IncrementalOptions backfill = new IncrementalOptions(false, Optional.of(new EventTimeRange(LocalDateTime.parse("2024-01-02T00:00"),
                LocalDateTime.parse("2024-01-03T00:00"))), false, fixture.store, Clock.fixed(Instant.parse("2024-01-04T14:00:00Z"), ZoneOffset.UTC));
        fixture.build(backfill);
        assertThat(events().message()).isEqualTo("built 1 batch of incremental model main.events (2024-01-02): 2 rows");
        fixture.build(backfill);
        assertThat(table()).containsExactly("1|1", "2|2", "3|3", "4|40", "22|22", "32|32");
    }

    @Test
    void aLaterBuildRunsTheMissingBatchesTheIncompleteOneAndTheLookback() {
        fixture.build(at(fixture.store, "2024-01-04T12:00:00Z"));
        fixture.sql("delete from raw.events where id = 4", "insert into raw.events values (6, '2024-01-06 01:00', 6)");
        fixture.build(at(fixture.store, "2024-01-06T02:00:00Z"));
        assertThat(events().message()).isEqualTo("built 3 batches of incremental model main.events (2024-01-04 to 2024-01-06): 2 rows");
        // The batch of 2024-01-04 ran again: the row deleted at the source left the table with it.
        assertThat(table()).containsExactly("1|1", "2|2", "3|3", "5|5", "6|6");
        fixture.build(at(fixture.store, "2024-01-06T03:00:00Z"));
        assertThat(events().message()).isEqualTo("built 2 batches of incremental model main.events (2024-01-05 to 2024-01-06): 2 rows");
        assertThat(fixture.rows("select count(*) from main.events")).containsExactly("5");
    }

    @Test
    void aFailedBatchLeavesTheOthersPublishedAndARetryRunsItAlone() {
        fixture.build(at(fixture.store, "2024-01-04T12:00:00Z"));
        fixture.sql("insert into raw.broken values ('2024-01-03')", "update raw.events set v = 30 where id = 3", "update raw.events set v = 40 where id = 4");
        fixture.build(at(fixture.store, "2024-01-04T13:00:00Z"));
        assertThat(events().status()).isEqualTo(NodeStatus.ERROR);
        assertThat(events().message()).startsWith("1 of 2 batches of main.events failed (1 published); batch 2024-01-03: ").contains("boom")
                .endsWith("; 'baton retry' runs only the failed batches");
        assertThat(table()).containsExactly("1|1", "2|2", "3|3", "4|40");
        assertThat(fixture.store.batches("model.p.events")).filteredOn(batch -> !batch.succeeded())
                .extracting(batch -> batch.start().toLocalDate().toString()).containsExactly("2024-01-03");

        fixture.sql("delete from raw.broken");
        fixture.build(new IncrementalOptions(false, Optional.empty(), true, fixture.store, Clock.fixed(Instant.parse("2024-01-04T14:00:00Z"), ZoneOffset.UTC)));
        assertThat(events().message()).isEqualTo("built 1 batch of incremental model main.events (2024-01-03): 1 row");
        assertThat(table()).containsExactly("1|1", "2|2", "3|30", "4|40");
        assertThat(fixture.store.batches("model.p.events")).allMatch(BatchRecord::succeeded);
    }

    @Test
    void batchesRunInParallelAndReadOnlyTheirWindowOfEachInput() {
        fixture.sql("insert into raw.events select 100 + g.n, timestamp '2024-01-01 05:00' + interval '1 day' * (g.n % 10), g.n from generate_series(0, 39) as g(n)");
        fixture.write("models/daily.sql", "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', "
                + "begin='2024-01-01', concurrent_batches=true) }}\n"
                + "select min(ts) as ts, count(*) as n from {{ ref('raw_events') }}");
        fixture.build(at(fixture.store, "2024-01-10T12:00:00Z"));
        assertThat(fixture.last.results().get("model.p.daily").message())
                .isEqualTo("created incremental model main.daily from 10 batches (2024-01-01 to 2024-01-10): 10 rows");
        // Each batch counted only its own day's rows of raw_events: the ref was filtered to the window.
        assertThat(fixture.rows("select cast(ts as date), n from main.daily order by ts")).containsExactly("2024-01-01|5", "2024-01-02|5", "2024-01-03|5",
                "2024-01-04|5", "2024-01-05|5", "2024-01-06|4", "2024-01-07|4", "2024-01-08|4", "2024-01-09|4", "2024-01-10|4");
        fixture.build(new IncrementalOptions(false, Optional.of(new EventTimeRange(LocalDateTime.parse("2024-01-01T00:00"),
                LocalDateTime.parse("2024-01-11T00:00"))), false, fixture.store, Clock.fixed(Instant.parse("2024-01-10T13:00:00Z"), ZoneOffset.UTC)));
        assertThat(fixture.last.results().get("model.p.daily").message())
                .isEqualTo("built 10 batches of incremental model main.daily (2024-01-01 to 2024-01-10): 10 rows");
        assertThat(fixture.rows("select count(*), sum(n) from main.daily")).containsExactly("10|45");
    }

    @Test
    void fullRefreshForgetsTheBatchesAndRebuilds() {
        fixture.build(at(fixture.store, "2024-01-04T12:00:00Z"));
        fixture.sql("delete from raw.events where id = 1");
        fixture.build(new IncrementalOptions(true, Optional.empty(), false, fixture.store, Clock.fixed(Instant.parse("2024-01-05T12:00:00Z"), ZoneOffset.UTC)));
        assertThat(events().message()).isEqualTo("rebuilt incremental model main.events (full refresh) from 5 batches (2024-01-01 to 2024-01-05): 4 rows");
        assertThat(table()).containsExactly("2|2", "3|3", "4|4", "5|5");
        assertThat(fixture.store.batches("model.p.events")).hasSize(5);
    }

    @Test
    void aBatchThatFailsItsChecksIsNotPublished() {
        fixture.write("models/schema.yml", """
                version: 2
                models:
                  - name: events
                    columns:
                      - name: v
                        tests: [not_null]
                """);
        fixture.build(at(fixture.store, "2024-01-04T12:00:00Z"));
        assertThat(fixture.lastStatus).isEqualTo(RunStatus.SUCCESS);
        fixture.sql("insert into raw.events values (33, '2024-01-03 23:00', null)", "update raw.events set v = 40 where id = 4");
        fixture.build(at(fixture.store, "2024-01-04T13:00:00Z"));
        assertThat(events().status()).isEqualTo(NodeStatus.FAIL);
        assertThat(events().message()).isEqualTo("1 of 2 batches of main.events failed (1 published); batch 2024-01-03: 1 check failed");
        assertThat(fixture.last.results().get("test.p.not_null_events_v").status()).isEqualTo(NodeStatus.FAIL);
        assertThat(table()).containsExactly("1|1", "2|2", "3|3", "4|40");
    }

    @Test
    void aBatchWithNewColumnsFollowsOnSchemaChange() {
        fixture.build(at(fixture.store, "2024-01-04T12:00:00Z"));
        fixture.write("models/events.sql", "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', "
                + "begin='2024-01-01', lookback=0, on_schema_change='fail') }}\nselect id, ts, v, cast('x' as varchar) as note from {{ ref('raw_events') }}");
        fixture.build(at(fixture.store, "2024-01-04T13:00:00Z"));
        assertThat(events().status()).isEqualTo(NodeStatus.ERROR);
        assertThat(events().message()).isEqualTo("models/events.sql:1: the columns of incremental model main.events changed (new column note " + type("VARCHAR") + ") "
                + "and on_schema_change is 'fail'; set on_schema_change to append_new_columns or sync_all_columns, or rebuild it with --full-refresh");
        assertThat(fixture.lastUserError).isTrue();
        fixture.write("models/events.sql", "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', "
                + "begin='2024-01-01', lookback=0, on_schema_change='append_new_columns') }}\nselect id, ts, v, cast('x' as varchar) as note from {{ ref('raw_events') }}");
        fixture.build(at(fixture.store, "2024-01-04T14:00:00Z"));
        assertThat(events().message()).isEqualTo("built 1 batch of incremental model main.events (2024-01-04): 1 row");
        assertThat(fixture.rows("select id, note from main.events order by id")).containsExactly("1|null", "2|null", "3|null", "4|x");
    }

    @Test
    void windowsFollowTheBatchSize() {
        LocalDateTime from = LocalDateTime.parse("2024-01-31T22:30");
        assertThat(Microbatches.windows(dev.baton.project.IncrementalConfig.BatchSize.HOUR, from, LocalDateTime.parse("2024-02-01T01:00")))
                .extracting(window -> window.start() + "/" + window.end())
                .containsExactly("2024-01-31T22:00/2024-01-31T23:00", "2024-01-31T23:00/2024-02-01T00:00", "2024-02-01T00:00/2024-02-01T01:00");
        assertThat(Microbatches.windows(dev.baton.project.IncrementalConfig.BatchSize.MONTH, from, LocalDateTime.parse("2024-03-01T00:00")))
                .extracting(window -> window.start() + "/" + window.end())
                .containsExactly("2024-01-01T00:00/2024-02-01T00:00", "2024-02-01T00:00/2024-03-01T00:00");
        assertThat(Microbatches.windows(dev.baton.project.IncrementalConfig.BatchSize.YEAR, from, LocalDateTime.parse("2024-01-31T23:00")))
                .extracting(window -> window.start() + "/" + window.end()).containsExactly("2024-01-01T00:00/2025-01-01T00:00");
    }

    @Test
    void thePlanSaysWhichBatchesABuildWillRun() {
        dev.baton.project.Node node = fixture.load().node("model.p.events").orElseThrow();
        assertThat(IncrementalPlans.describe(node, at(fixture.store, "2024-01-04T12:00:00Z")))
                .isEqualTo("microbatch by day: all 4 batches (2024-01-01 to 2024-01-04)");
        fixture.build(at(fixture.store, "2024-01-04T12:00:00Z"));
        assertThat(IncrementalPlans.describe(node, at(fixture.store, "2024-01-06T12:00:00Z")))
                .isEqualTo("microbatch by day: 3 batches (2024-01-04 to 2024-01-06)");
    }
}
