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
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Benchmark P5b: a 10,000,000-row CSV file through the files connector into DuckDB, against
 * DuckDB's own read_csv of the same file into a table, in the same run. Prints one line per
 * scenario; runs alternate and the best of three counts.
 */
public final class CsvFileToDuckDb {
    static final long ROWS = Long.parseLong(System.getProperty("rows", "10000000"));

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "baton-bench-p5b");
        Path csv = root.resolve("data/events.csv");
        generate(csv);
        Node node = project(root);
        // Interleaved, so that a busy machine weighs on both alike; the best of three counts.
        double duckdb = Double.MAX_VALUE;
        double baton = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            duckdb = Math.min(duckdb, time(() -> duckdbReadCsv(root, csv)));
            baton = Math.min(baton, time(() -> batonLoad(root, node)));
        }
        report("duckdb_read_csv", duckdb, duckdb);
        report("baton_ingest_files", baton, duckdb);
    }

    interface Scenario {
        void run() throws Exception;
    }

    static double time(Scenario scenario) throws Exception {
        long start = System.nanoTime();
        scenario.run();
        return (System.nanoTime() - start) / 1e9;
    }

    static void report(String scenario, double seconds, double duckdbSeconds) {
        System.out.printf("P5b %-20s rows=%d seconds=%.3f rows_per_s=%.0f time_vs_read_csv=%.2fx%n", scenario, ROWS, seconds, ROWS / seconds,
                seconds / duckdbSeconds);
    }

    static void generate(Path csv) throws Exception {
        if (Files.exists(csv) && Files.readString(csv.resolveSibling("rows.txt")).equals(Long.toString(ROWS))) {
            return;
        }
        Files.createDirectories(csv.getParent());
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            out.write("id,customer_id,amount,ratio,day,created,status,active,note\n");
            StringBuilder line = new StringBuilder(128);
            for (long i = 1; i <= ROWS; i++) {
                line.setLength(0);
                line.append(i).append(',').append(i % 100_000).append(',').append(i % 100_000 / 100).append('.').append(i % 100).append(',')
                        .append(i / 7.0).append(',').append("2024-").append(String.format("%02d", 1 + i % 12)).append("-").append(String.format("%02d", 1 + i % 28))
                        .append(',').append("2024-01-01 ").append(String.format("%02d:%02d:%02d", i % 24, i % 60, i % 59)).append(',')
                        .append(i % 3 == 0 ? "shipped" : "placed").append(',').append(i % 2 == 0).append(",\"note ").append(i).append(", ok\"\n");
                out.append(line);
            }
        }
        Files.writeString(csv.resolveSibling("rows.txt"), Long.toString(ROWS));
    }

    static void duckdbReadCsv(Path root, Path csv) throws Exception {
        Path warehouse = fresh(root.resolve("target/plain.duckdb"));
        try (Engine engine = DuckDbEngines.open(warehouse, "main", 0); EngineSession session = engine.openSession()) {
            session.execute("CREATE TABLE events AS SELECT * FROM read_csv('" + csv + "')");
        }
    }

    /** The project is loaded once, outside the timings: every command loads it anyway. */
    static Node project(Path root) throws Exception {
        Files.createDirectories(root.resolve("models"));
        Files.writeString(root.resolve("baton.yml"), "name: bench\n");
        Files.writeString(root.resolve("models/sources.yml"), """
                version: 2
                sources:
                  - name: landing
                    schema: raw
                    tables:
                      - name: events
                        connector: {type: files, path: data/events.csv}
                """);
        Project project = ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
        return project.node("source.bench.landing.events").orElseThrow();
    }

    static void batonLoad(Path root, Node node) throws Exception {
        Path warehouse = fresh(root.resolve("target/baton.duckdb"));
        try (Engine engine = DuckDbEngines.open(warehouse, "main", 0); EngineSession session = engine.openSession()) {
            session.createSchemaIfMissing("raw");
            LoadRecord load = new SourceLoad(engine, session, root, node, "bench", Map.of(), LoadObserver.NONE).run();
            if (load.rowsLoaded() != ROWS) {
                throw new IllegalStateException("loaded " + load.rowsLoaded() + " rows");
            }
        }
    }

    static Path fresh(Path warehouse) throws Exception {
        Files.createDirectories(warehouse.getParent());
        Files.deleteIfExists(warehouse);
        Files.deleteIfExists(warehouse.resolveSibling(warehouse.getFileName() + ".wal"));
        return warehouse;
    }
}
