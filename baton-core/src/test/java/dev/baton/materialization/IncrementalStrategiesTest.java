package dev.baton.materialization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.BatonException;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incremental strategies on DuckDB; {@link PostgresIncrementalStrategiesTest} runs the same cases on PostgreSQL. */
class IncrementalStrategiesTest {
    @TempDir
    Path root;

    IncrementalFixture fixture;

    /** The fixture of one test: a project folder and an empty warehouse. */
    IncrementalFixture openFixture(Path root) {
        return new IncrementalFixture(root);
    }

    /** The engine's name of a type, as information_schema and schema-change messages give it, from DuckDB's. */
    String type(String duckDbType) {
        return duckDbType;
    }

    @BeforeEach
    void open() {
        fixture = openFixture(root);
        fixture.sql("create schema raw", "create table raw.orders (id integer, status varchar, updated_at integer)",
                "insert into raw.orders values (1, 'placed', 1), (2, 'placed', 1), (3, 'placed', 1)");
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    /** A model that reads the rows changed since the newest one it has. */
    void model(String config) {
        fixture.write("models/orders.sql", "{{ config(materialized='incremental'" + config + ") }}\n"
                + "select id, status, updated_at from raw.orders\n"
                + "{% if is_incremental() %}where updated_at > (select max(updated_at) from {{ this }}){% endif %}\n");
    }

    NodeResult orders() {
        return fixture.last.results().get("model.p.orders");
    }

    @Test
    void appendAddsOnlyTheNewRows() {
        model("");
        fixture.build();
        assertThat(orders().message()).isEqualTo("created incremental model main.orders");
        fixture.sql("insert into raw.orders values (4, 'placed', 2), (2, 'shipped', 2)");
        fixture.build();
        assertThat(orders().message()).isEqualTo("added 2 rows to incremental model main.orders (append)");
        assertThat(fixture.rows("select id, status from main.orders order by id, status"))
                .containsExactly("1|placed", "2|placed", "2|shipped", "3|placed", "4|placed");
        fixture.build();
        assertThat(orders().message()).isEqualTo("added 0 rows to incremental model main.orders (append)");
        assertThat(fixture.rows("select count(*) from main.orders")).containsExactly("5");
    }

    @Test
    void mergeUpdatesMatchedRowsAndInsertsTheRest() {
        model(", incremental_strategy='merge', unique_key='id'");
        fixture.build();
        fixture.sql("insert into raw.orders values (4, 'placed', 2)", "update raw.orders set status = 'shipped', updated_at = 2 where id = 2",
                "delete from raw.orders where id = 3");
        fixture.build();
        assertThat(orders().message()).isEqualTo("added 2 rows to incremental model main.orders (merge)");
        // A row deleted at the source stays: an increment only sees rows that exist (as in dbt).
        assertThat(fixture.rows("select id, status, updated_at from main.orders order by id"))
                .containsExactly("1|placed|1", "2|shipped|2", "3|placed|1", "4|placed|2");
    }

    @Test
    void mergeOnSeveralColumns() {
        fixture.sql("create table raw.lines (order_id integer, line integer, qty integer, updated_at integer)",
                "insert into raw.lines values (1, 1, 5, 1), (1, 2, 6, 1), (2, 1, 7, 1)");
        fixture.write("models/lines.sql", "{{ config(materialized='incremental', incremental_strategy='merge', unique_key=['order_id', 'line']) }}\n"
                + "select * from raw.lines {% if is_incremental() %}where updated_at > (select max(updated_at) from {{ this }}){% endif %}");
        fixture.build();
        fixture.sql("update raw.lines set qty = 50, updated_at = 2 where order_id = 1 and line = 1", "insert into raw.lines values (2, 2, 8, 2)");
        fixture.build();
        assertThat(fixture.rows("select order_id, line, qty from main.lines order by 1, 2")).containsExactly("1|1|50", "1|2|6", "2|1|7", "2|2|8");
    }

    @Test
    void deleteInsertReplacesTheRowsOfEachKey() {
        model(", incremental_strategy='delete+insert', unique_key='id'");
        fixture.build();
        fixture.sql("insert into raw.orders values (4, 'placed', 2)", "update raw.orders set status = 'shipped', updated_at = 2 where id = 1",
                "delete from raw.orders where id = 3");
        fixture.build();
        assertThat(orders().message()).isEqualTo("added 2 rows to incremental model main.orders (delete+insert)");
        assertThat(fixture.rows("select id, status from main.orders order by id")).containsExactly("1|shipped", "2|placed", "3|placed", "4|placed");
    }

    @Test
    void uniqueKeyDefaultsToDeleteInsert() {
        model(", unique_key='id'");
        fixture.build();
        fixture.sql("update raw.orders set status = 'shipped', updated_at = 2 where id = 1");
        fixture.build();
        assertThat(orders().message()).isEqualTo("added 1 row to incremental model main.orders (delete+insert)");
        assertThat(fixture.rows("select count(*) from main.orders")).containsExactly("3");
    }

    @Test
    void insertOverwriteReplacesEveryPartitionTheNewRowsHold() {
        fixture.sql("create table raw.sales (day date, shop integer, amount integer)",
                "insert into raw.sales values ('2024-01-01', 1, 10), ('2024-01-01', 2, 20), ('2024-01-02', 1, 30), (null, 9, 90)");
        fixture.write("models/sales.sql", "{{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by=['day']) }}\n"
                + "select day, shop, amount from raw.sales\n"
                + "{% if is_incremental() %}where day >= (select max(day) from {{ this }}) or day is null{% endif %}\n");
        fixture.build();
        assertThat(fixture.last.results().get("model.p.sales").message()).isEqualTo("created incremental model main.sales");
        // 2024-01-02 is restated (shop 1 left it, shop 2 joined), 2024-01-03 is new, the NULL partition changed.
        fixture.sql("delete from raw.sales where day = '2024-01-02' or day is null",
                "insert into raw.sales values ('2024-01-02', 2, 31), ('2024-01-03', 1, 40), (null, 8, 80)");
        fixture.build();
        assertThat(fixture.last.results().get("model.p.sales").message()).isEqualTo("added 3 rows to incremental model main.sales (insert_overwrite)");
        assertThat(fixture.rows("select day, shop, amount from main.sales order by day, shop"))
                .containsExactly("2024-01-01|1|10", "2024-01-01|2|20", "2024-01-02|2|31", "2024-01-03|1|40", "null|8|80");
        assertThat(IncrementalPlans.describe(fixture.load().node("model.p.sales").orElseThrow(), IncrementalOptions.of(fixture.store)))
                .isEqualTo("insert_overwrite on (day)");
    }

    @Test
    void insertOverwriteWithoutPartitionByOrWithAMissingColumnIsRefused() {
        fixture.write("models/orders.sql", "{{ config(materialized='incremental', incremental_strategy='insert_overwrite') }}\nselect 1 as id");
        Assertions.assertThatThrownBy(fixture::load).isInstanceOf(BatonException.class)
                .hasMessage("models/orders.sql:1: incremental_strategy 'insert_overwrite' needs partition_by, the column or columns whose values the new "
                        + "rows replace; add partition_by='<column>'");
        model(", incremental_strategy='insert_overwrite', partition_by='updatd_at'");
        fixture.build();
        assertThat(orders().status()).isEqualTo(NodeStatus.ERROR);
        assertThat(orders().message()).isEqualTo("models/orders.sql:1: partition_by 'updatd_at' is not a column of incremental model main.orders "
                + "(its columns: id, status, updated_at); did you mean 'updated_at'?");
        assertThat(fixture.lastUserError).isTrue();
    }

    @Test
    void fullRefreshRebuildsFromTheWholeQuery() {
        model(", incremental_strategy='merge', unique_key='id'");
        fixture.build();
        fixture.sql("delete from raw.orders where id = 3");
        fixture.build(new IncrementalOptions(true, Optional.empty(), false, fixture.store, Clock.systemUTC()));
        assertThat(orders().message()).isEqualTo("rebuilt incremental model main.orders (full refresh)");
        assertThat(fixture.rows("select id from main.orders order by id")).containsExactly("1", "2");
    }

    @Test
    void uniqueKeyNamingAMissingColumnFailsNamingTheConfig() {
        model(", incremental_strategy='merge', unique_key='ids'");
        fixture.build();
        assertThat(orders().status()).isEqualTo(NodeStatus.ERROR);
        assertThat(orders().message()).isEqualTo("models/orders.sql:1: unique_key 'ids' is not a column of incremental model main.orders "
                + "(its columns: id, status, updated_at); did you mean 'id'?");
        assertThat(fixture.lastUserError).isTrue();
        assertThat(fixture.rows("select count(*) from information_schema.tables where table_schema = 'main' and table_name like 'orders%'")).containsExactly("0");
    }

    @Test
    void onSchemaChangeIgnoreKeepsTheTablesColumns() {
        fixture.write("models/orders.sql", "{{ config(materialized='incremental', unique_key='id') }}\n"
                + "select * from raw.orders {% if is_incremental() %}where updated_at > (select max(updated_at) from {{ this }}){% endif %}");
        fixture.build();
        fixture.sql("alter table raw.orders add column note varchar", "insert into raw.orders values (4, 'placed', 2, 'gift')");
        fixture.build();
        assertThat(orders().message()).isEqualTo("added 1 row to incremental model main.orders (delete+insert); schema change (ignore): new column note " + type("VARCHAR"));
        assertThat(fixture.rows("select column_name from information_schema.columns where table_schema = 'main' and table_name = 'orders' "
                + "order by ordinal_position")).containsExactly("id", "status", "updated_at");
        assertThat(fixture.rows("select count(*) from main.orders")).containsExactly("4");
    }

    @Test
    void onSchemaChangeFailRefusesANewColumn() {
        fixture.write("models/orders.sql", "{{ config(materialized='incremental', on_schema_change='fail') }}\n"
                + "select * from raw.orders {% if is_incremental() %}where updated_at > (select max(updated_at) from {{ this }}){% endif %}");
        fixture.build();
        fixture.sql("alter table raw.orders add column note varchar", "insert into raw.orders values (4, 'placed', 2, 'gift')");
        fixture.build();
        assertThat(orders().status()).isEqualTo(NodeStatus.ERROR);
        assertThat(orders().message()).isEqualTo("models/orders.sql:1: the columns of incremental model main.orders changed (new column note " + type("VARCHAR") + ") "
                + "and on_schema_change is 'fail'; set on_schema_change to append_new_columns or sync_all_columns, or rebuild it with --full-refresh");
        assertThat(fixture.lastUserError).isTrue();
        assertThat(fixture.rows("select count(*) from main.orders")).containsExactly("3");
    }

    @Test
    void appendNewColumnsAddsThemAndLeavesOldRowsNull() {
        fixture.write("models/orders.sql", "{{ config(materialized='incremental', on_schema_change='append_new_columns') }}\n"
                + "select * from raw.orders {% if is_incremental() %}where updated_at > (select max(updated_at) from {{ this }}){% endif %}");
        fixture.build();
        fixture.sql("alter table raw.orders add column note varchar", "insert into raw.orders values (4, 'placed', 2, 'gift')");
        fixture.build();
        assertThat(orders().message()).isEqualTo("added 1 row to incremental model main.orders (append); schema change (append_new_columns): "
                + "new column note " + type("VARCHAR"));
        assertThat(fixture.rows("select id, note from main.orders order by id")).containsExactly("1|null", "2|null", "3|null", "4|gift");
    }

    @Test
    void syncAllColumnsAddsDropsAndRetypes() {
        fixture.write("models/orders.sql", "{{ config(materialized='incremental', on_schema_change='sync_all_columns', unique_key='id', "
                + "incremental_strategy='merge') }}\n"
                + "select id, {% if is_incremental() %}cast(updated_at as " + type("DOUBLE") + ") as updated_at, cast('n' as varchar) as note from raw.orders "
                + "where updated_at > (select max(updated_at) from {{ this }}){% else %}status, updated_at from raw.orders{% endif %}");
        fixture.build();
        fixture.sql("insert into raw.orders values (4, 'placed', 2)");
        fixture.build();
        assertThat(orders().message()).isEqualTo("added 1 row to incremental model main.orders (merge); schema change (sync_all_columns): "
                + "new column note " + type("VARCHAR") + "; missing column status; column updated_at " + type("INTEGER") + " -> " + type("DOUBLE"));
        assertThat(fixture.rows("select column_name || ' ' || data_type from information_schema.columns where table_schema = 'main' and table_name = 'orders' order by ordinal_position"))
                .containsExactly("id " + type("INTEGER"), "updated_at " + type("DOUBLE"), "note " + type("VARCHAR"));
        assertThat(fixture.rows("select id, updated_at + 0.5, note from main.orders order by id")).containsExactly("1|1.5|null", "2|1.5|null", "3|1.5|null", "4|2.5|n");
    }

    @Test
    void checksAuditTheTableAsItWouldBeBeforeTheIncrementIsApplied() {
        model("");
        fixture.write("models/schema.yml", """
                version: 2
                models:
                  - name: orders
                    columns:
                      - name: id
                        tests: [unique, not_null]
                """);
        fixture.build();
        assertThat(fixture.lastStatus).isEqualTo(RunStatus.SUCCESS);
        // Each new row is fine on its own; id 2 clashes with a row already in the table.
        fixture.sql("insert into raw.orders values (2, 'shipped', 2), (5, 'placed', 2)");
        fixture.build();
        assertThat(orders().status()).isEqualTo(NodeStatus.FAIL);
        assertThat(orders().message()).isEqualTo("kept previous version of main.orders; the 2 new rows were not applied; 1 check failed");
        assertThat(fixture.last.results().get("test.p.unique_orders_id").status()).isEqualTo(NodeStatus.FAIL);
        assertThat(fixture.last.results().get("test.p.not_null_orders_id").status()).isEqualTo(NodeStatus.PASS);
        assertThat(fixture.rows("select count(*) from main.orders")).containsExactly("3");
        assertThat(fixture.rows("select count(*) from information_schema.tables where table_name like '%baton_staging'")).containsExactly("0");
    }

    @Test
    void badConfigIsRefusedWhenTheProjectLoads() {
        fixture.write("models/orders.sql", "{{ config(materialized='incremental', incremental_strategy='merg', unique_key='id') }}\nselect 1 as id");
        Assertions.assertThatThrownBy(fixture::load).isInstanceOf(BatonException.class)
                .hasMessage("models/orders.sql:1: unknown incremental_strategy 'merg'; did you mean 'merge'?");
        fixture.write("models/orders.sql", "{{ config(materialized='incremental', incremental_strategy='microbatch', batch_size='day', begin='2024-01-01') }}\n"
                + "select 1 as id");
        Assertions.assertThatThrownBy(fixture::load).isInstanceOf(BatonException.class)
                .hasMessage("models/orders.sql:1: incremental_strategy 'microbatch' needs event_time, the column that places each row in a batch; "
                        + "add event_time='<column>' to the model's config");
        fixture.write("models/orders.sql", "{{ config(materialized='incremental', incremental_strategy='delete+insert') }}\nselect 1 as id");
        Assertions.assertThatThrownBy(fixture::load).isInstanceOf(BatonException.class)
                .hasMessage("models/orders.sql:1: incremental_strategy 'delete+insert' needs unique_key, the column or columns whose rows the new rows "
                        + "replace; add unique_key='<column>' or use 'append'");
        fixture.write("models/orders.sql", "{{ config(materialized='incremental', on_schema_change='append_new_column') }}\nselect 1 as id");
        Assertions.assertThatThrownBy(fixture::load).isInstanceOf(BatonException.class)
                .hasMessage("models/orders.sql:1: unknown on_schema_change 'append_new_column'; did you mean 'append_new_columns'?");
    }

    @Test
    void aViewInTheWayIsReplacedByTheTable() {
        fixture.sql("create view main.orders as select 1 as id");
        model("");
        Map<String, NodeResult> results = fixture.build();
        assertThat(results.get("model.p.orders").message()).isEqualTo("rebuilt incremental model main.orders (full refresh)");
        assertThat(fixture.rows("select count(*) from main.orders")).containsExactly("3");
    }
}
