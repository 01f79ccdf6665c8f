import dev.baton.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * One scenario per JVM: builds a project on one target and prints one line with the wall time of
 * the build (Spark's start and stop included) and the peak resident memory of the JVM.
 *
 * usage: SparkVersusDuckDb <shop|aggregation> <duckdb|spark> <work folder> <example folder> <rows>
 */
public final class SparkVersusDuckDb {
    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        String engine = args[1];
        Path work = Path.of(args[2]).toAbsolutePath();
        Path project = scenario.equals("shop") ? copy(Path.of(args[3]), work.resolve("shop-" + engine)) : aggregation(work.resolve("agg-" + engine),
                Long.parseLong(args[4]));
        addSparkTarget(project);
        long started = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Main.execute(new String[] {"build", "--project-dir", project.toString(), "--target", engine.equals("duckdb") ? "dev" : "spark"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8), System.getenv(), false);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (exit != 0) {
            System.err.println(out.toString(StandardCharsets.UTF_8));
        }
        System.out.printf("scenario=%s engine=%s rows=%s wall_ms=%d peak_rss_mb=%d exit=%d%n", scenario, engine,
                scenario.equals("shop") ? "example" : args[4], millis, peakRssMegabytes(), exit);
    }

    private static long peakRssMegabytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    private static void addSparkTarget(Path project) throws IOException {
        Path file = project.resolve("baton.yml");
        String text = Files.readString(file);
        Files.writeString(file, text.replaceFirst("targets:\n", "targets:\n  spark:\n    type: spark\n    master: local[2]\n    schema: bench\n    threads: 2\n"));
    }

    /** A project whose one table model aggregates a generated table of {@code rows} rows. */
    private static Path aggregation(Path root, long rows) throws IOException {
        Files.createDirectories(root.resolve("models"));
        Files.createDirectories(root.resolve("macros"));
        Files.writeString(root.resolve("baton.yml"), "name: bench\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmacro-paths: [\"macros\"]\n"
                + "target: dev\ntargets:\n  dev:\n    type: duckdb\n    path: target/bench.duckdb\n    schema: main\n    threads: 2\n"
                + "models:\n  bench:\n    +materialized: table\n");
        Files.writeString(root.resolve("macros/numbers.sql"), """
                {% macro numbers(count) %}{{ return(adapter.dispatch('numbers')(count)) }}{% endmacro %}
                {% macro default__numbers(count) %}select range as n from range({{ count }}){% endmacro %}
                {% macro spark__numbers(count) %}select id as n from range({{ count }}){% endmacro %}
                """);
        Files.writeString(root.resolve("models/events.sql"), "select n as event_id, n % 1000 as customer_id, (n * 7919) % 10000 / 100.0 as amount\n"
                + "from ({{ numbers(" + rows + ") }}) as numbers\n");
        Files.writeString(root.resolve("models/customer_totals.sql"), "select customer_id, count(*) as events, sum(amount) as total,"
                + " avg(amount) as average, max(event_id) as last_event\nfrom {{ ref('events') }}\ngroup by customer_id\n");
        return root;
    }

    private static Path copy(Path source, Path into) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(path -> !source.relativize(path).startsWith("target")).toList()) {
                Path copy = into.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        return into;
    }

}
