import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * P1: {@code baton compile} of generated projects of 10,000 and 100,000 models, timed as a whole
 * process (launcher, JVM start-up and all), against the floor of a fresh JVM that only reads the
 * project's files and, for a first compile into an empty {@code target/}, against {@link PartsFloor}:
 * the least such a compile can do with the parts Baton stands on.
 *
 * <p>Each model refs one to three lower-numbered models, calls the {@code cents_to_dollars} macro and
 * sets {@code config(materialized='view', tags=[...])}; each has a properties entry with a
 * {@code unique} and a {@code not_null} test on {@code id}. Models sit in folders of 100 with one
 * properties file per folder ({@code --yaml per-model} writes one per model instead).
 *
 * <p>Usage: {@code CompileBenchmark [--sizes 10000,100000] [--runs 3] [--yaml per-folder|per-model]
 * [--out DIR]} from the repository root; projects go to {@code DIR/p1_<size>} (default {@code bench/out}).
 */
public final class CompileBenchmark {
    private static final int FOLDER_SIZE = 100;
    private static final Pattern IN_PROCESS = Pattern.compile("Compiled \\d+ models and \\d+ tests to \\S+ in ([0-9.]+)s");

    private CompileBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of("").toAbsolutePath();
        Path out = root.resolve(Subprocess.option(args, "out", "bench/out"));
        int runs = Integer.parseInt(Subprocess.option(args, "runs", "3"));
        String yaml = Subprocess.option(args, "yaml", "per-folder");
        if (!yaml.equals("per-folder") && !yaml.equals("per-model")) {
            throw new IllegalArgumentException("--yaml must be per-folder or per-model, not " + yaml);
        }
        for (String size : Subprocess.option(args, "sizes", "10000,100000").split(",")) {
            int models = Integer.parseInt(size.trim());
            String name = "p1_" + label(models) + (yaml.equals("per-model") ? "_yaml_per_model" : "");
            Path project = generate(out.resolve(name), models, yaml.equals("per-model"));
            measure(root, project, models, runs, yaml, models <= 10_000 ? 1.0 : 8.0);
        }
    }

    /**
     * Untimed compiles first, so that every timed run finds target/ as a previous compile left it
     * (the everyday case, and deleting hundreds of thousands of files between runs can take minutes);
     * the first is printed when it was the first compile into an empty target/.
     */
    private static void measure(Path root, Path project, int models, int runs, String yaml, double goal) {
        String classes = root.resolve("bench/out/classes").toString();
        List<String> compile = List.of(root.resolve("baton").toString(), "compile", "--project-dir", project.toString());
        boolean fresh = !Files.exists(project.resolve("target"));
        if (fresh) {
            Path floorOutput = project.resolveSibling(project.getFileName() + "_parts_floor");
            Subprocess.delete(floorOutput);
            Subprocess.Result partsFloor = Subprocess.run(root, Subprocess.javaAfterBaton(root, classes, "PartsFloor", project.toString(), floorOutput.toString()));
            Subprocess.delete(floorOutput);
            Subprocess.Result warmUp = Subprocess.run(root, compile);
            System.out.printf("P1 first compile %d models into an empty target/: baton %.2f s (in-process %.2f s), parts floor %.2f s (goal <= %.1f s: %s) [1 run]%n",
                    models, warmUp.seconds(), warmUp.secondsFrom(IN_PROCESS), partsFloor.seconds(), goal, warmUp.seconds() <= goal ? "met" : "MISSED");
            System.out.printf("P1 parts floor %d models, in ms from its main(): %s%n", models, partsFloor.output().strip());
        }
        // The floors first: rewriting the outputs changes their modification times, which the next
        // compile rightly takes for a change.
        List<Double> readFloor = new ArrayList<>();
        List<Double> ioFloor = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            readFloor.add(Subprocess.run(root, Subprocess.java(classes, "ReadFiles", project.toString())).seconds());
            ioFloor.add(Subprocess.run(root, Subprocess.java(classes, "ReadFiles", project.toString(),
                    "--rewrite", project.resolve("target").toString())).seconds());
        }
        // Compiles again after the rewrite; files written less than two seconds before a compile are
        // checked again by the next one, hence two.
        Subprocess.run(root, compile);
        Subprocess.run(root, compile);
        List<Double> baton = new ArrayList<>();
        List<Double> inProcess = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            Subprocess.Result result = Subprocess.run(root, compile);
            baton.add(result.seconds());
            inProcess.add(result.secondsFrom(IN_PROCESS));
        }
        double median = Subprocess.median(baton);
        System.out.printf("P1 compile %d models (%s YAML), nothing changed: baton %.2f s (in-process %.2f s), read-files floor %.2f s, "
                        + "read + rewrite-outputs floor %.2f s (goal <= %.1f s: %s) [median of %d; baton runs %s]%n",
                models, yaml, median, Subprocess.median(inProcess), Subprocess.median(readFloor), Subprocess.median(ioFloor),
                goal, median <= goal ? "met" : "MISSED", runs, format(baton));
        measureEdited(root, project, models, runs, compile, goal);
    }

    /** A compile after one model file changed: that model is rendered again and the outputs of the last compile are patched. */
    private static void measureEdited(Path root, Path project, int models, int runs, List<String> compile, double goal) {
        Path model = project.resolve("models/g0000/m_1.sql");
        List<Double> edited = new ArrayList<>();
        List<Double> inProcess = new ArrayList<>();
        try {
            String original = Files.readString(model);
            try {
                for (int run = 0; run < runs; run++) {
                    Files.writeString(model, original + "-- edit " + run + "\n");
                    Subprocess.Result result = Subprocess.run(root, compile);
                    edited.add(result.seconds());
                    inProcess.add(result.secondsFrom(IN_PROCESS));
                }
            } finally {
                Files.writeString(model, original);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        double median = Subprocess.median(edited);
        System.out.printf("P1 compile %d models after editing one model: baton %.2f s (in-process %.2f s) (goal <= %.1f s: %s) [median of %d; baton runs %s]%n",
                models, median, Subprocess.median(inProcess), goal, median <= goal ? "met" : "MISSED", runs, format(edited));
    }

    private static String format(List<Double> values) {
        List<String> parts = new ArrayList<>();
        for (double value : values) {
            parts.add(String.format("%.2f", value));
        }
        return String.join(", ", parts);
    }

    private static String label(int models) {
        return models % 1000 == 0 ? models / 1000 + "k" : Integer.toString(models);
    }

    /** Writes the project unless a complete one with the same shape is already there. */
    static Path generate(Path project, int models, boolean yamlPerModel) throws IOException {
        String shape = "models=" + models + " yaml=" + (yamlPerModel ? "per-model" : "per-folder") + " v1\n";
        if (Subprocess.isGenerated(project, shape)) {
            return project;
        }
        Files.createDirectories(project.resolve("macros"));
        Files.writeString(project.resolve("baton.yml"), """
                name: bench_p1
                version: "1.0.0"
                model-paths: ["models"]
                macro-paths: ["macros"]
                target: dev
                targets:
                  dev:
                    type: duckdb
                    path: target/bench.duckdb
                    schema: main
                """);
        Files.writeString(project.resolve("macros/cents_to_dollars.sql"), """
                {% macro cents_to_dollars(column_name, scale=2) -%}
                    cast({{ column_name }} / 100 as decimal(16, {{ scale }}))
                {%- endmacro %}
                """);
        Random random = new Random(42);
        StringBuilder properties = new StringBuilder();
        for (int i = 1; i <= models; i++) {
            Path folder = project.resolve("models").resolve(String.format("g%04d", (i - 1) / FOLDER_SIZE));
            if ((i - 1) % FOLDER_SIZE == 0) {
                Files.createDirectories(folder);
            }
            Files.writeString(folder.resolve("m_" + i + ".sql"), modelSql(i, random));
            if (yamlPerModel) {
                Files.writeString(folder.resolve("m_" + i + ".yml"), "version: 2\n\nmodels:\n" + propertiesEntry(i));
            } else {
                properties.append(propertiesEntry(i));
                if (i % FOLDER_SIZE == 0 || i == models) {
                    Files.writeString(folder.resolve("_models.yml"), "version: 2\n\nmodels:\n" + properties);
                    properties.setLength(0);
                }
            }
        }
        Subprocess.markGenerated(project, shape);
        return project;
    }

    private static String modelSql(int i, Random random) {
        String config = "{{ config(materialized='view', tags=['t' ~ (" + i + " % 10)]) }}\n";
        if (i == 1) {
            return config + "select 1 as id, 100 as amount, {{ cents_to_dollars('100') }} as dollars\n";
        }
        Set<Integer> upstream = new LinkedHashSet<>();
        int wanted = Math.min(i - 1, 1 + random.nextInt(3));
        while (upstream.size() < wanted) {
            upstream.add(1 + random.nextInt(i - 1));
        }
        StringBuilder sql = new StringBuilder(config)
                .append("select\n    u1.id,\n    u1.amount,\n    {{ cents_to_dollars('u1.amount') }} as dollars\n");
        int alias = 1;
        for (int parent : upstream) {
            sql.append(alias == 1 ? "from " : "join ").append("{{ ref('m_").append(parent).append("') }} as u").append(alias);
            sql.append(alias == 1 ? "\n" : " using (id)\n");
            alias++;
        }
        return sql.toString();
    }

    private static String propertiesEntry(int i) {
        return "  - name: m_" + i + "\n"
                + "    description: Model " + i + " of the compile benchmark.\n"
                + "    columns:\n"
                + "      - name: id\n"
                + "        data_tests:\n"
                + "          - unique\n"
                + "          - not_null\n";
    }
}
