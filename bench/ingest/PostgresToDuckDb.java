import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.ingest.LoadObserver;
import dev.baton.ingest.SourceLoad;
import dev.baton.project.LoadOptions;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.state.LoadRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

/**
 * Benchmark P5a: a 2,000,000-row PostgreSQL table of twelve mixed-type columns into DuckDB with
 * the postgres connector, against psql's \copy of the same table to /dev/null in the same run.
 * Prints one line per scenario; runs alternate and the best of three counts. The connector's fast
 * path reads a binary COPY per stream and hands the rows to DuckDB as Arrow batches; the plain JDBC
 * path writes CSV that DuckDB parses. The last line is not a competitor but a reference: DuckDB alone
 * reading the same rows, already in a CSV file, into a new database file (the parse the fast path no
 * longer needs).
 */
public final class PostgresToDuckDb {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final int ROWS = Integer.parseInt(System.getProperty("rows", "2000000"));

    public static void main(String[] args) throws Exception {
        prepare();
        Path root = Files.createTempDirectory("baton-bench-p5a");
        Node copyNode = project(root.resolve("copy"), "fast_path: true, parallel: 2");
        Node singleNode = project(root.resolve("single"), "fast_path: true, parallel: 1");
        Node jdbcNode = project(root.resolve("jdbc"), "fast_path: false");
        Path csv = root.resolve("t.csv");
        dumpCsv(csv);
        // Interleaved, so that a busy machine weighs on all alike; the best of three counts.
        double psql = Double.MAX_VALUE;
        double copy = Double.MAX_VALUE;
        double jdbc = Double.MAX_VALUE;
        double single = Double.MAX_VALUE;
        double parseAlone = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            psql = Math.min(psql, time(PostgresToDuckDb::psqlCopy));
            copy = Math.min(copy, time(() -> batonLoad(root.resolve("copy"), copyNode)));
            single = Math.min(single, time(() -> batonLoad(root.resolve("single"), singleNode)));
            jdbc = Math.min(jdbc, time(() -> batonLoad(root.resolve("jdbc"), jdbcNode)));
            parseAlone = Math.min(parseAlone, time(() -> duckDbReadCsv(root, csv)));
        }
        report("psql_copy_to_dev_null", psql, psql);
        report("baton_ingest_copy_2_streams", copy, psql);
        report("baton_ingest_copy_1_stream", single, psql);
        report("baton_ingest_jdbc_result_set", jdbc, psql);
        // Not a competitor: the warehouse's share of the work alone, for the bound it sets.
        report("duckdb_read_csv_file_alone", parseAlone, psql);
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** The table as the connector's COPY writes it, to a file, outside the timings. */
    static void dumpCsv(Path csv) throws Exception {
        Process process = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-c",
                "\\copy bench_p5a.t TO '" + csv + "' WITH (FORMAT csv)").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0 || !output.contains("COPY " + ROWS)) {
            throw new IllegalStateException("psql failed: " + output);
        }
    }

    /**
     * DuckDB's read_csv of that file into a table of a new database file, with the connector's
     * options, types and settings: what the warehouse side of a load costs with no source to wait for.
     */
    static void duckDbReadCsv(Path root, Path csv) throws Exception {
        Path warehouse = root.resolve("alone/bench.duckdb");
        Files.deleteIfExists(warehouse);
        Files.deleteIfExists(root.resolve("alone/bench.duckdb.wal"));
        try (Engine engine = DuckDbEngines.open(warehouse, "main", 0); EngineSession session = engine.openSession()) {
            session.execute("SET SESSION preserve_insertion_order = false");
            session.execute("CREATE TABLE t AS SELECT * FROM read_csv('" + csv + "', columns = {'id': 'BIGINT', 'quantity': 'INTEGER',"
                    + " 'total': 'BIGINT', 'price': 'DECIMAL(12,2)', 'ratio': 'DOUBLE', 'active': 'BOOLEAN', 'day': 'DATE', 'created': 'TIMESTAMP',"
                    + " 'updated': 'TIMESTAMPTZ', 'name': 'VARCHAR', 'code': 'VARCHAR', 'uid': 'UUID'}, header = false, auto_detect = false,"
                    + " delim = ',', quote = '\"', escape = '\"', nullstr = '', allow_quoted_nulls = false, buffer_size = 8388608)");
        }
    }

    interface Scenario {
        void run() throws Exception;
    }

    static double time(Scenario scenario) throws Exception {
        long start = System.nanoTime();
        scenario.run();
        return (System.nanoTime() - start) / 1e9;
    }

    static void report(String scenario, double seconds, double psqlSeconds) {
        System.out.printf("P5a %-30s rows=%d seconds=%.3f rows_per_s=%.0f throughput_vs_psql=%.2fx%n", scenario, ROWS, seconds, ROWS / seconds,
                psqlSeconds / seconds);
    }

    static void prepare() throws Exception {
        try (Connection connection = DriverManager.getConnection(URL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS bench_p5a");
            boolean ready = false;
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'bench_p5a'"
                    + " AND table_name = 't'")) {
                rows.next();
                if (rows.getInt(1) == 1) {
                    try (Statement count = connection.createStatement(); ResultSet total = count.executeQuery("SELECT count(*) FROM bench_p5a.t")) {
                        total.next();
                        ready = total.getLong(1) == ROWS;
                    }
                }
            }
            if (!ready) {
                statement.execute("DROP TABLE IF EXISTS bench_p5a.t");
                statement.execute("CREATE TABLE bench_p5a.t (id bigint PRIMARY KEY, quantity int, total bigint, price numeric(12,2), ratio double precision,"
                        + " active boolean, day date, created timestamp, updated timestamptz, name text, code varchar(40), uid uuid)");
                statement.execute("INSERT INTO bench_p5a.t SELECT g, g % 1000, g * 31, (g % 100000) / 100.0, g / 7.0, g % 2 = 0,"
                        + " date '2020-01-01' + (g % 2000), timestamp '2020-01-01' + g * interval '1 second', timestamptz '2020-01-01 00:00:00+00'"
                        + " + g * interval '1 minute', 'customer ' || g, 'C-' || (g % 5000), md5(g::text)::uuid FROM generate_series(1, " + ROWS + ") g");
                statement.execute("VACUUM ANALYZE bench_p5a.t");
            }
        }
    }

    static void psqlCopy() throws Exception {
        Process process = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-c", "\\copy bench_p5a.t TO '/dev/null'")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0 || !output.contains("COPY " + ROWS)) {
            throw new IllegalStateException("psql failed: " + output);
        }
    }

    /** The project is loaded once, outside the timings: every command loads it anyway. */
    static Node project(Path root, String options) throws Exception {
        Files.createDirectories(root.resolve("models"));
        Files.writeString(root.resolve("baton.yml"), "name: bench\n");
        Files.writeString(root.resolve("models/sources.yml"), """
                version: 2
                sources:
                  - name: pg
                    schema: raw
                    connector: {type: postgres, database: test, user: postgres, schema: bench_p5a, %s}
                    tables:
                      - name: t
                """.formatted(options));
        Project project = ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
        return project.node("source.bench.pg.t").orElseThrow();
    }

    static void batonLoad(Path root, Node node) throws Exception {
        Path warehouse = root.resolve("target/bench.duckdb");
        Files.deleteIfExists(warehouse);
        Files.deleteIfExists(root.resolve("target/bench.duckdb.wal"));
        try (Engine engine = DuckDbEngines.open(warehouse, "main", 0); EngineSession session = engine.openSession()) {
            session.createSchemaIfMissing("raw");
            LoadRecord load = new SourceLoad(engine, session, root, node, "bench", Map.of(), LoadObserver.NONE).run();
            if (load.rowsLoaded() != ROWS) {
                throw new IllegalStateException("loaded " + load.rowsLoaded() + " rows");
            }
        }
    }
}
