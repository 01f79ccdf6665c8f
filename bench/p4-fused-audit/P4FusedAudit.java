import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.check.AuditReport;
import dev.baton.check.Auditor;
import dev.baton.check.CheckSpec;
import dev.baton.check.Threshold;
import dev.baton.engine.duckdb.DuckDbEngines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Benchmark P4: the checks of one 10,000,000-row table, three ways in one run: Baton's fused audit,
 * the slowest single check alone, and dbt's path (one failing-rows query per check).
 *
 * Usage: bench/p4-fused-audit/run [rows]   (default 10,000,000)
 */
public final class P4FusedAudit {
    private static final String TABLE = "\"main\".\"orders\"";
    private static final String PARENT = "\"main\".\"customers\"";
    private static final int REPEATS = Integer.parseInt(System.getenv().getOrDefault("P4_ROUNDS", "5"));

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path dir = Files.createTempDirectory("baton-p4");
        int threads = Runtime.getRuntime().availableProcessors();
        try (Engine engine = DuckDbEngines.open(dir.resolve("p4.duckdb"), "main", threads); EngineSession session = engine.openSession()) {
            long start = System.nanoTime();
            session.execute("create table " + PARENT + " as select range as customer_id, 'c' || range as name from range(100000)");
            session.execute("create table " + TABLE + " as select range as order_id, 'R' || range as order_ref, range % 100000 as customer_id,"
                    + " (['placed','shipped','completed','returned','return_pending'])[1 + range % 5] as status,"
                    + " (['web','store','phone'])[1 + range % 3] as channel, (['DE','FR','NL','BE'])[1 + range % 4] as country,"
                    + " (range % 997) * 1.25 as amount, 1 + range % 9 as quantity, (range % 30) / 100.0 as discount,"
                    + " timestamp '2024-01-01' + to_seconds(range) as created_at, 'u' || (range % 50000) || '@example.com' as email"
                    + " from range(" + rows + ")");
            System.out.printf("setup: %,d rows generated in %.2fs (DuckDB, %d threads)%n", rows, (System.nanoTime() - start) / 1e9, threads);
            List<CheckSpec> checks = checks();
            Map<String, String> dbtQueries = dbtQueries();
            // Warm the table into memory once, as a build that just wrote it would have it.
            session.query("select count(*), sum(amount) from " + TABLE, 1);

            // Scenarios are interleaved round by round, so load from elsewhere on the machine hits each alike; medians are reported.
            double[][] fusedRuns = new double[1][REPEATS];
            Map<String, double[]> singleRuns = new LinkedHashMap<>();
            dbtQueries.keySet().forEach(name -> singleRuns.put(name, new double[REPEATS]));
            double[] perCheckRuns = new double[REPEATS];
            AuditReport report = null;
            for (int round = 0; round < REPEATS; round++) {
                long t0 = System.nanoTime();
                // As a build audits a staged table: with the engine's capabilities (DuckDB proves integer keys unique by bitmap).
                report = Auditor.run(session, TABLE, TABLE, checks, Optional.empty(), dev.baton.check.MetricHistory.NONE, "",
                        engine.capabilities());
                fusedRuns[0][round] = (System.nanoTime() - t0) / 1e9;
                double loop = 0;
                for (Map.Entry<String, String> check : dbtQueries.entrySet()) {
                    long t1 = System.nanoTime();
                    session.query("select count(*) from (\n" + check.getValue() + "\n) dbt_internal_test", 1);
                    double seconds = (System.nanoTime() - t1) / 1e9;
                    singleRuns.get(check.getKey())[round] = seconds;
                    loop += seconds;
                }
                perCheckRuns[round] = loop;
            }
            if (report.outcomes().size() != 20 || report.errors() != 0) {
                throw new IllegalStateException("expected 20 passing checks, got " + report.outcomes());
            }
            double fused = median(fusedRuns[0]);
            double perCheck = median(perCheckRuns);
            Map<String, Double> single = new LinkedHashMap<>();
            singleRuns.forEach((name, runs) -> single.put(name, median(runs)));
            Map.Entry<String, Double> slowest = single.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
            if (System.getenv("P4_VERBOSE") != null) {
                for (String sql : report.queries()) {
                    long t2 = System.nanoTime();
                    session.query(sql, 1);
                    System.out.printf("  fused query %.3fs  %s%n", (System.nanoTime() - t2) / 1e9, (System.getenv("P4_FULL") != null ? sql : sql.replace("\n", " ").substring(0, Math.min(100, sql.length()))));
                }
                single.forEach((name, seconds) -> System.out.printf("  single %.3fs  %s%n", seconds, name));
                System.out.println("  fused rounds " + Arrays.toString(fusedRuns[0]) + "; one query per check rounds " + Arrays.toString(perCheckRuns));
            }
            System.out.printf("fused audit (Baton):          %7.3fs  %d queries for %d checks, %d metrics%n", fused, report.queries().size(), checks.size(),
                    report.metrics().size());
            System.out.printf("slowest single check alone:   %7.3fs  %s%n", slowest.getValue(), slowest.getKey());
            System.out.printf("one query per check (dbt):    %7.3fs  %d queries%n", perCheck, dbtQueries.size());
            System.out.printf("fused / slowest single = %.2fx (goal <= 1.2x); one-per-check / fused = %.2fx (goal >= 2x)%n", fused / slowest.getValue(),
                    perCheck / fused);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static double median(double[] runs) {
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static CheckSpec check(String kind, String column, Map<String, Object> arguments, Optional<String> parent) {
        String name = kind + "_orders_" + column + (arguments.isEmpty() ? "" : "_" + Math.abs(arguments.hashCode() % 1000));
        return new CheckSpec("test.bench." + name, name, kind, Optional.of(column), arguments, Optional.empty(), OptionalLong.empty(), parent, "", "error",
                Threshold.ANY, Threshold.ANY);
    }

    /** 20 checks: 7 not_null, 3 accepted_values, 3 accepted_range, 4 expression_is_true, unique on 2 columns, 1 relationship. */
    private static List<CheckSpec> checks() {
        List<CheckSpec> checks = new ArrayList<>();
        for (String column : List.of("order_id", "customer_id", "status", "amount", "quantity", "created_at", "country")) {
            checks.add(check("not_null", column, Map.of(), Optional.empty()));
        }
        checks.add(check("accepted_values", "status", Map.of("values", List.of("placed", "shipped", "completed", "returned", "return_pending")), Optional.empty()));
        checks.add(check("accepted_values", "channel", Map.of("values", List.of("web", "store", "phone")), Optional.empty()));
        checks.add(check("accepted_values", "country", Map.of("values", List.of("DE", "FR", "NL", "BE")), Optional.empty()));
        checks.add(check("accepted_range", "amount", Map.of("min_value", 0, "max_value", 2000), Optional.empty()));
        checks.add(check("accepted_range", "quantity", Map.of("min_value", 1, "max_value", 9), Optional.empty()));
        checks.add(check("accepted_range", "discount", Map.of("min_value", 0, "max_value", 0.5), Optional.empty()));
        checks.add(check("expression_is_true", "amount", Map.of("expression", ">= 0"), Optional.empty()));
        checks.add(check("expression_is_true", "discount", Map.of("expression", "< 1"), Optional.empty()));
        checks.add(check("expression_is_true", "email", Map.of("expression", "like '%@%'"), Optional.empty()));
        checks.add(check("expression_is_true", "created_at", Map.of("expression", ">= timestamp '2000-01-01'"), Optional.empty()));
        checks.add(check("unique", "order_id", Map.of(), Optional.empty()));
        checks.add(check("unique", "order_ref", Map.of(), Optional.empty()));
        checks.add(check("relationships", "customer_id", Map.of("to", "ref('customers')", "field", "customer_id"), Optional.of(PARENT)));
        return checks;
    }

    /** The same 20 checks as dbt compiles them: one failing-rows query each. */
    private static Map<String, String> dbtQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (String column : List.of("order_id", "customer_id", "status", "amount", "quantity", "created_at", "country")) {
            queries.put("not_null " + column, "select " + column + " from " + TABLE + " where " + column + " is null");
        }
        queries.put("accepted_values status", acceptedValues("status", "'placed', 'shipped', 'completed', 'returned', 'return_pending'"));
        queries.put("accepted_values channel", acceptedValues("channel", "'web', 'store', 'phone'"));
        queries.put("accepted_values country", acceptedValues("country", "'DE', 'FR', 'NL', 'BE'"));
        queries.put("accepted_range amount", "select * from " + TABLE + " where not (amount >= 0 and amount <= 2000)");
        queries.put("accepted_range quantity", "select * from " + TABLE + " where not (quantity >= 1 and quantity <= 9)");
        queries.put("accepted_range discount", "select * from " + TABLE + " where not (discount >= 0 and discount <= 0.5)");
        queries.put("expression_is_true amount", "select * from " + TABLE + " where not (amount >= 0)");
        queries.put("expression_is_true discount", "select * from " + TABLE + " where not (discount < 1)");
        queries.put("expression_is_true email", "select * from " + TABLE + " where not (email like '%@%')");
        queries.put("expression_is_true created_at", "select * from " + TABLE + " where not (created_at >= timestamp '2000-01-01')");
        for (String column : List.of("order_id", "order_ref")) {
            queries.put("unique " + column, "select " + column + " as unique_field, count(*) as n_records from " + TABLE + " where " + column
                    + " is not null group by " + column + " having count(*) > 1");
        }
        queries.put("relationships customer_id", "with child as (select customer_id as from_field from " + TABLE + " where customer_id is not null),"
                + " parent as (select customer_id as to_field from " + PARENT + ") select from_field from child"
                + " left join parent on child.from_field = parent.to_field where parent.to_field is null");
        return queries;
    }

    private static String acceptedValues(String column, String values) {
        return "with all_values as (select " + column + " as value_field, count(*) as n_records from " + TABLE + " group by " + column
                + ") select * from all_values where value_field not in (" + values + ")";
    }
}
