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
 * <p>The launcher records its class-data-sharing archive on the first run after a build, whatever
 * that run is (here {@code baton --version}). For comparison, the benchmark also records an archive
 * from a build of the shop and times the same fresh build with it, launched with the launcher's flags.
 *
 * <p>Usage: {@code ColdBuildBenchmark [--runs 3] [--out DIR]} from the repository root; the copies go
 * to {@code DIR/cold/} (default {@code bench/out}).
 */
public final class ColdBuildBenchmark {
    private static final double GOAL = 1.5;

    private ColdBuildBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        int runs = Integer.parseInt(Subprocess.option(args, "runs", "3"));
        Path cold = root.resolve(Subprocess.option(args, "out", "bench/out")).resolve("cold");
        Path copy = cold.resolve("shop");
        String baton = root.resolve("baton").toString();
        Path archive = cold.resolve("build.jsa");
        Files.deleteIfExists(archive);
        Subprocess.delete(copy);
        copyTree(root.resolve("examples/shop"), copy);
        Subprocess.run(root, batonJava(root, "-XX:ArchiveClassesAtExit=" + archive, "build", "--project-dir", copy.toString()));
        List<Double> withBuildArchive = new ArrayList<>();
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
            Subprocess.delete(copy);
            copyTree(root.resolve("examples/shop"), copy);
            withBuildArchive.add(Subprocess.run(root, batonJava(root, "-XX:SharedArchiveFile=" + archive, "build", "--project-dir", copy.toString())).seconds());
        }
        double median = Subprocess.median(fresh);
        System.out.printf("Cold build examples/shop (%d nodes): fresh %.2f s, rebuild %.2f s (goal <= %.1f s: %s); floor: baton --version %.2f s, bare JVM %.2f s [median of %d]%n",
                nodes, median, Subprocess.median(rebuild), GOAL, median <= GOAL && Subprocess.median(rebuild) <= GOAL ? "met" : "MISSED",
                Subprocess.median(version), Subprocess.median(jvm), runs);
        System.out.printf("Cold build examples/shop, fresh, with a class-data archive recorded from a build instead of the launcher's: %.2f s [median of %d]%n",
                Subprocess.median(withBuildArchive), runs);
    }

    /** The launcher's java command line for a CLI run, with one extra JVM flag. */
    private static List<String> batonJava(Path root, String flag, String... args) {
        List<String> command = Subprocess.java();
        command.addAll(List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off", flag));
        command.addAll(List.of("-cp", Subprocess.batonClassPath(root), "dev.baton.cli.Main"));
        command.addAll(List.of(args));
        return command;
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
