import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cold build: {@code baton build} of a fresh copy of {@code examples/shop} (no target/ or .baton/),
 * then again on the same copy (the rebuild), each a whole process with the launcher already built.
 * The floor is {@code baton --version} (launcher, JVM start-up and CLI parsing) and a bare
 * {@code java -version} with the CLI's start-up flags.
 *
 * <p>Usage: {@code ColdBuildBenchmark [--runs 3]} from the repository root; the copy goes to
 * {@code bench/out/cold/shop}.
 */
public final class ColdBuildBenchmark {
    private static final double GOAL = 1.5;

    private ColdBuildBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        int runs = Integer.parseInt(Subprocess.option(args, "runs", "3"));
        Path copy = root.resolve("bench/out/cold/shop");
        String baton = root.resolve("baton").toString();
        List<Double> fresh = new ArrayList<>();
        List<Double> rebuild = new ArrayList<>();
        List<Double> version = new ArrayList<>();
        List<Double> jvm = new ArrayList<>();
        int nodes = 0;
        for (int run = 0; run < runs; run++) {
            Subprocess.delete(copy);
            copyTree(root.resolve("examples/shop"), copy);
            Subprocess.Result first = Subprocess.run(root, List.of(baton, "build", "--project-dir", copy.toString()));
            fresh.add(first.seconds());
            nodes = Math.toIntExact(first.output().lines().filter(line -> line.contains(" START ")).count());
            rebuild.add(Subprocess.run(root, List.of(baton, "build", "--project-dir", copy.toString())).seconds());
            version.add(Subprocess.run(root, List.of(baton, "--version")).seconds());
            List<String> bareJvm = Subprocess.java();
            bareJvm.add("-version");
            jvm.add(Subprocess.run(root, bareJvm).seconds());
        }
        double median = Subprocess.median(fresh);
        System.out.printf("Cold build examples/shop (%d nodes): fresh %.2f s, rebuild %.2f s (goal <= %.1f s: %s); floor: baton --version %.2f s, bare JVM %.2f s [median of %d]%n",
                nodes, median, Subprocess.median(rebuild), GOAL, median <= GOAL && Subprocess.median(rebuild) <= GOAL ? "met" : "MISSED",
                Subprocess.median(version), Subprocess.median(jvm), runs);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                String relative = from.relativize(path).toString();
                if (relative.equals("target") || relative.startsWith("target/") || relative.equals(".baton") || relative.startsWith(".baton/")) {
                    continue;
                }
                Path destination = to.resolve(relative);
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path, destination);
                }
            }
        }
    }
}
