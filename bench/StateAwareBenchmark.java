import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * P6: the no-op path of a state-aware build. A generated project of 1,000 models (each refs a
 * lower-numbered one; every tenth is a table that joins two, the rest are views; a {@code not_null} test on
 * every tenth) is built once in full; then, unchanged, {@code baton build -s state:modified+}
 * selects nothing and must finish fast. Both are timed as whole {@code ./baton} processes (JVM
 * start-up included), alternating, in the same run. The full build is the alternative: it is what
 * a build without state would have to do.
 *
 * <p>Usage: {@code StateAwareBenchmark [--models 1000] [--runs 5] [--out DIR]} from the repository
 * root, after compiling the bench programs to {@code bench/out/classes}.
 */
public final class StateAwareBenchmark {
    private static final double GOAL_SECONDS = 1.0;

    private StateAwareBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of("").toAbsolutePath();
        int models = Integer.parseInt(Subprocess.option(args, "models", "1000"));
        int runs = Integer.parseInt(Subprocess.option(args, "runs", "5"));
        Path out = root.resolve(Subprocess.option(args, "out", "bench/out"));
        Path project = generate(out.resolve("p6_" + models), models);
        String baton = root.resolve("baton").toString();

        List<Double> full = new ArrayList<>();
        List<Double> noop = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            Subprocess.delete(project.resolve("target"));
            Subprocess.delete(project.resolve(".baton"));
            full.add(Subprocess.run(root, List.of(baton, "build", "--project-dir", project.toString())).seconds());
            Subprocess.Result nothing = Subprocess.run(root, List.of(baton, "build", "-s", "state:modified+", "--project-dir", project.toString()));
            if (!nothing.output().contains("Nothing to do")) {
                throw new IllegalStateException("the no-op build selected something:\n" + nothing.output());
            }
            noop.add(nothing.seconds());
        }
        double noopMedian = Subprocess.median(noop);
        System.out.printf("P6 state-aware no-op, %d models: baton build -s state:modified+ %.2f s (best %.2f s), full build %.2f s, %.1fx faster"
                        + " (goal <= %.1f s: %s) [median of %d]%n",
                models, noopMedian, noop.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), Subprocess.median(full),
                Subprocess.median(full) / noopMedian, GOAL_SECONDS, noopMedian <= GOAL_SECONDS ? "met" : "MISSED", runs);
    }

    private static Path generate(Path project, int models) throws IOException {
        String shape = "models=" + models + " v1\n";
        if (Subprocess.isGenerated(project, shape)) {
            return project;
        }
        Files.createDirectories(project.resolve("models"));
        Files.writeString(project.resolve("baton.yml"), """
                name: bench_p6
                version: "1.0.0"
                target: dev
                targets:
                  dev:
                    type: duckdb
                    path: target/bench.duckdb
                    schema: main
                """);
        StringBuilder properties = new StringBuilder("version: 2\nmodels:\n");
        for (int i = 1; i <= models; i++) {
            String body;
            if (i == 1) {
                body = "select range as id, range % 7 as amount from range(100)";
            } else {
                int a = 1 + (i * 7919) % (i - 1);
                int b = 1 + (i * 104729) % (i - 1);
                body = "select a.id, a.amount + " + (i % 5) + " as amount from {{ ref('m_" + a + "') }} a"
                        + (a == b || i % 10 != 0 ? "" : " join {{ ref('m_" + b + "') }} b using (id)");
            }
            String config = i % 10 == 0 ? "{{ config(materialized='table') }}\n" : "";
            Files.writeString(project.resolve("models/m_" + i + ".sql"), config + body + "\n");
            if (i % 10 == 0) {
                properties.append("  - name: m_").append(i).append("\n    columns:\n      - name: id\n        tests: [not_null]\n");
            }
        }
        Files.writeString(project.resolve("models/_models.yml"), properties.toString());
        Subprocess.markGenerated(project, shape);
        return project;
    }
}
