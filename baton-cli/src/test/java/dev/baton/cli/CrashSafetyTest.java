package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.event.RunStatus;
import dev.baton.state.RunRecord;
import dev.baton.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a build process ({@code kill -9}) at random moments, again and again, each time on new
 * input, and checks after every kill that each live relation is its previous or its next version
 * (row count and checksum), then that {@code baton retry} leaves the state store with no run
 * still running and the warehouse exactly as an uninterrupted build of the same input leaves a
 * twin project. The project (tables, an incremental merge model, snapshots) is small so that the 50 kills stay within a few minutes.
 */
class CrashSafetyTest {
    /** Kills per test run; -Dbaton.crash.kills=N changes it. */
    private static final int KILLS = Integer.getInteger("baton.crash.kills", 50);

    /** The project, one file per entry: a new kind of node is one more line. */
    private static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put("baton.yml", "name: p\n");
        FILES.put("models/orders.sql", "{{ config(materialized='table') }}\nselect * from {{ ref('raw_orders') }}\n");
        FILES.put("models/customer_totals.sql", "{{ config(materialized='table') }}\nselect customer, count(*) as orders, sum(amount) as amount"
                + " from {{ ref('orders') }} group by customer\n");
        FILES.put("models/order_lines.sql", "{{ config(materialized='table') }}\nselect o.id, o.amount, l.range as line"
                + " from {{ ref('orders') }} o, range(2000) l\n");
        FILES.put("models/order_state.sql", "{{ config(materialized='incremental', incremental_strategy='merge', unique_key='id') }}\n"
                + "select id, customer, amount, updated_at from {{ ref('raw_orders') }}\n"
                + "{% if is_incremental() %}where updated_at >= (select max(updated_at) from {{ this }}){% endif %}\n");
        // Placed on fixed days of 2026, read month by month: each build redoes the latest month and the one before it.
        FILES.put("models/orders_dated.sql", "{{ config(materialized='table', event_time='placed_at') }}\nselect id, customer, amount,"
                + " cast(date '2026-01-01' + cast((id * 37) % 365 as integer) as timestamp) as placed_at from {{ ref('raw_orders') }}\n");
        FILES.put("models/monthly_orders.sql", "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='placed_at',"
                + " batch_size='month', begin='2026-01-01', lookback=1) }}\nselect id, customer, amount, placed_at from {{ ref('orders_dated') }}\n");
        FILES.put("models/open_history.sql", "{{ config(materialized='table') }}\nselect id, amount, dbt_valid_from"
                + " from {{ ref('orders_history') }} where dbt_valid_to is null\n");
        FILES.put("snapshots/orders_history.sql", "{% snapshot orders_history %}\n{{ config(target_schema='history', unique_key='id',"
                + " strategy='timestamp', updated_at='updated_at') }}\nselect * from {{ ref('raw_orders') }}\n{% endsnapshot %}\n");
        FILES.put("snapshots/customer_history.sql", "{% snapshot customer_history %}\n{{ config(target_schema='history', unique_key=['customer'],"
                + " strategy='check', check_cols=['orders', 'amount'], updated_at='last_change') }}\n"
                + "select t.*, (select max(updated_at) from {{ ref('raw_orders') }} r where r.customer = t.customer) as last_change"
                + " from {{ ref('customer_totals') }} t\n{% endsnapshot %}\n");
    }

    @TempDir
    Path temp;

    /** Input of round {@code round}: orders come and go, and change now and then, with a newer updated_at each time. */
    private static String orders(int round) {
        StringBuilder csv = new StringBuilder("id,customer,amount,updated_at\n");
        for (int id = 1; id <= 20 + round; id++) {
            if ((id + round) % 7 == 0) {
                continue;
            }
            int version = round / (1 + id % 4);
            csv.append(id).append(',').append(id % 5).append(',').append(id * 10 + version).append(',')
                    .append(java.time.LocalDate.of(2024, 1, 1).plusDays(version)).append('\n');
        }
        return csv.toString();
    }

    private static Path write(Path root, int round) throws Exception {
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            Path path = root.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        Files.createDirectories(root.resolve("seeds"));
        Files.writeString(root.resolve("seeds/raw_orders.csv"), orders(round));
        return root;
    }

    private static final String MICROBATCH = "\"main\".\"monthly_orders\"";

    /** The batches the state store holds as done for the microbatch model: month, outcome and rows written. */
    private static List<String> intervals(Path root) throws Exception {
        List<String> intervals = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + root.resolve(".baton/state.db"));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select interval_start, interval_end, succeeded, rows_written from baton_intervals"
                        + " where node_id = 'model.p.monthly_orders' order by interval_start")) {
            while (rows.next()) {
                intervals.add(rows.getString(1) + ".." + rows.getString(2) + " " + (rows.getBoolean(3) ? "done" : "failed") + " " + rows.getLong(4) + " rows");
            }
        }
        return intervals;
    }

    /** Row count and checksum of every table of the warehouse (staging leftovers aside). */
    private static Map<String, String> versions(Path root) throws Exception {
        Map<String, String> versions = new TreeMap<>();
        Path file = root.resolve("target/p.duckdb");
        if (!Files.exists(file)) {
            return versions;
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("select schema_name, table_name from duckdb_tables()"
                    + " where schema_name not like 'baton%' and table_name not like '%__baton_%'")) {
                while (rows.next()) {
                    tables.add('"' + rows.getString(1) + "\".\"" + rows.getString(2) + '"');
                }
            }
            for (String table : tables) {
                if (table.equals(MICROBATCH)) {
                    // A microbatch model is published batch by batch: each month is its previous or its next version.
                    try (ResultSet rows = statement.executeQuery("select strftime(placed_at, '%Y-%m'), count(*), sum(hash(t)) from " + table
                            + " t group by 1")) {
                        while (rows.next()) {
                            versions.put(table + " " + rows.getString(1), rows.getLong(2) + " rows, checksum " + rows.getString(3));
                        }
                    }
                    continue;
                }
                try (ResultSet rows = statement.executeQuery("select count(*), coalesce(sum(hash(t)), 0) from " + table + " t")) {
                    rows.next();
                    versions.put(table, rows.getLong(1) + " rows, checksum " + rows.getString(2));
                }
            }
        }
        return versions;
    }

    /** A build in another JVM whose output lines are counted as they come, so a kill can land after any of them. */
    private static final class Build {
        final Process process;
        private final java.util.concurrent.atomic.AtomicInteger lines = new java.util.concurrent.atomic.AtomicInteger();
        private final StringBuffer output = new StringBuffer();

        Build(Path root) throws Exception {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.baton.cli.Main", "build", "--project-dir",
                    root.toString());
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            Thread reader = new Thread(() -> {
                try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        output.append(line).append('\n');
                        lines.incrementAndGet();
                    }
                } catch (java.io.IOException killed) {
                    // The process was killed.
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits until the build printed {@code count} lines or ended; returns whether it is still running. */
        boolean awaitLines(int count) throws InterruptedException {
            while (lines.get() < count && process.isAlive()) {
                Thread.sleep(2);
            }
            return process.isAlive();
        }

        int lines() {
            return lines.get();
        }
    }

    private static List<RunRecord> runs(Path root) {
        try (StateStore store = StateStore.open(root, Optional.empty())) {
            return store.recentRuns(1000);
        }
    }

    @Test
    void aKilledBuildLeavesEveryRelationWholeAndRetryFinishesItsWork() throws Exception {
        Path work = write(temp.resolve("work"), 0);
        Path twin = write(temp.resolve("twin"), 0);
        Cli.Result first = Cli.run("build", "--project-dir", work.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(Cli.run("build", "--project-dir", twin.toString()).exitCode()).isZero();
        assertThat(versions(work)).isEqualTo(versions(twin)).containsKeys("\"history\".\"orders_history\"", "\"main\".\"order_lines\"",
                "\"main\".\"order_state\"", MICROBATCH + " 2026-01");
        assertThat(intervals(work)).isEqualTo(intervals(twin)).hasSizeGreaterThan(1);

        // How many lines a whole build prints: a kill lands after a random one of them (or before the first).
        Build whole = new Build(work);
        assertThat(whole.process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        whole.awaitLines(Integer.MAX_VALUE);
        int buildLines = whole.lines();

        Random random = new Random(4);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int round = 1; round <= KILLS; round++) {
            Map<String, String> previous = versions(work);
            write(work, round);
            write(twin, round);
            Cli.Result reference = Cli.run("build", "--project-dir", twin.toString());
            assertThat(reference.exitCode()).as(reference.toString()).isZero();
            Map<String, String> next = versions(twin);
            int runsBefore = runs(work).size();

            Build build = new Build(work);
            int afterLine = random.nextInt(buildLines + 1);
            long delay = random.nextInt(afterLine == 0 ? 1500 : 40);
            boolean finishedAlone = !build.awaitLines(afterLine) || build.process.waitFor(delay, TimeUnit.MILLISECONDS);
            build.process.destroyForcibly();
            assertThat(build.process.waitFor(60, TimeUnit.SECONDS)).isTrue();

            Map<String, String> afterKill = versions(work);
            for (String relation : new TreeSet<>(union(previous.keySet(), next.keySet()))) {
                assertThat(afterKill.get(relation)).as("round %d, killed %d ms after line %d: %s is its previous or its next version", round, delay, afterLine, relation)
                        .isIn(previous.get(relation), next.get(relation));
            }
            assertThat(afterKill.keySet()).as("round %d: no other relation is live", round).isSubsetOf(union(previous.keySet(), next.keySet()));

            boolean recorded = runs(work).size() > runsBefore;
            Cli.Result finish = recorded ? Cli.run("retry", "--project-dir", work.toString()) : Cli.run("build", "--project-dir", work.toString());
            assertThat(finish.exitCode()).as("round %d: %s", round, finish).isZero();
            outcomes.merge(finishedAlone ? "finished before the kill" : recorded ? "killed during the run, then retried"
                    : "killed before the run was recorded, then built", 1, Integer::sum);

            assertThat(runs(work)).as("round %d: no run is left running", round).noneMatch(run -> run.status() == RunStatus.RUNNING);
            assertThat(versions(work)).as("round %d: retry leaves what an uninterrupted build leaves\n%s\n%s", round, build.output, finish)
                    .isEqualTo(next);
            assertThat(intervals(work)).as("round %d: the same batches are done, none twice or missing", round).isEqualTo(intervals(twin));
        }
        System.out.println("CrashSafetyTest: " + KILLS + " kills over a build of " + buildLines + " output lines: " + outcomes);
        assertThat(outcomes.getOrDefault("killed during the run, then retried", 0)).as("most kills land inside a run").isGreaterThan(KILLS / 4);
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
