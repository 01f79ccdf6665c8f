import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * P3: what Baton adds over plain JDBC when building trivial models. 1,000 table models
 * ({@code select i as id}) built by {@code baton build --threads 1} on a fresh warehouse, against
 * the same 1,000 {@code CREATE TABLE ... AS SELECT} statements run by {@link JdbcLoop} on one
 * DuckDB connection to a fresh file. Both are timed as fresh processes, so both pay JVM start-up and
 * DuckDB's native library load; the in-process figures (Baton's own "Finished running" time and the
 * JDBC loop time) separate start-up from per-node overhead.
 *
 * <p>Usage: {@code OverheadBenchmark [--models 1000] [--runs 3] [--out DIR]} from the repository root,
 * after compiling the bench programs to {@code bench/out/classes}; the project goes to
 * {@code DIR/p3_<n>} (default {@code bench/out}).
 */
public final class OverheadBenchmark {
    private static final double GOAL = 1.3;
    private static final Pattern BATON_RUN = Pattern.compile("Finished running .* in .*\\(([0-9.]+)s\\)");
    private static final Pattern JDBC_LOOP = Pattern.compile("loop ([0-9.]+) s");

    private OverheadBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of("").toAbsolutePath();
        int models = Integer.parseInt(Subprocess.option(args, "models", "1000"));
        int runs = Integer.parseInt(Subprocess.option(args, "runs", "3"));
        Path out = root.resolve(Subprocess.option(args, "out", "bench/out"));
        Path project = generate(out.resolve("p3_" + models), models);
        Path jdbcFolder = out.resolve("p3_jdbc");
        String classPath = root.resolve("bench/out/classes") + ":" + duckDbJar(root);

        List<Double> baton = new ArrayList<>();
        List<Double> batonRun = new ArrayList<>();
        List<Double> jdbc = new ArrayList<>();
        List<Double> jdbcLoop = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            Subprocess.delete(project.resolve("target"));
            Subprocess.delete(project.resolve(".baton"));
            Subprocess.Result result = Subprocess.run(root, List.of(root.resolve("baton").toString(),
                    "build", "--threads", "1", "--project-dir", project.toString()));
            baton.add(result.seconds());
            batonRun.add(result.secondsFrom(BATON_RUN));

            Subprocess.delete(jdbcFolder);
            Files.createDirectories(jdbcFolder);
            Subprocess.Result plain = Subprocess.run(root, Subprocess.java(classPath, "JdbcLoop",
                    jdbcFolder.resolve("plain.duckdb").toString(), Integer.toString(models)));
            jdbc.add(plain.seconds());
            jdbcLoop.add(plain.secondsFrom(JDBC_LOOP));
        }
        double ratio = Subprocess.median(baton) / Subprocess.median(jdbc);
        System.out.printf("P3 overhead %d table models, 1 thread: baton build %.2f s, plain JDBC %.2f s, ratio %.2fx (goal <= %.1fx: %s) [median of %d]%n",
                models, Subprocess.median(baton), Subprocess.median(jdbc), ratio, GOAL, ratio <= GOAL ? "met" : "MISSED", runs);
        System.out.printf("P3 overhead in-process: baton run %.2f s (%.2f ms/model), JDBC loop %.2f s (%.2f ms/model), ratio %.2fx; start-up and load outside the run: baton %.2f s, JDBC %.2f s%n",
                Subprocess.median(batonRun), 1000 * Subprocess.median(batonRun) / models,
                Subprocess.median(jdbcLoop), 1000 * Subprocess.median(jdbcLoop) / models,
                Subprocess.median(batonRun) / Subprocess.median(jdbcLoop),
                Subprocess.median(baton) - Subprocess.median(batonRun), Subprocess.median(jdbc) - Subprocess.median(jdbcLoop));
    }

    private static String duckDbJar(Path root) throws IOException {
        try (var jars = Files.list(root.resolve("baton-cli/target/lib"))) {
            return jars.filter(jar -> jar.getFileName().toString().startsWith("duckdb_jdbc-"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no duckdb_jdbc jar in baton-cli/target/lib; run ./baton --version first"))
                    .toString();
        }
    }

    private static Path generate(Path project, int models) throws IOException {
        String shape = "models=" + models + " v1\n";
        if (Subprocess.isGenerated(project, shape)) {
            return project;
        }
        Files.createDirectories(project.resolve("models"));
        Files.writeString(project.resolve("baton.yml"), """
                name: bench_p3
                version: "1.0.0"
                model-paths: ["models"]
                target: dev
                targets:
                  dev:
                    type: duckdb
                    path: target/bench.duckdb
                    schema: main
                    threads: 1
                """);
        for (int i = 1; i <= models; i++) {
            Files.writeString(project.resolve("models/m_" + i + ".sql"), "{{ config(materialized='table') }}\nselect " + i + " as id\n");
        }
        Subprocess.markGenerated(project, shape);
        return project;
    }
}
