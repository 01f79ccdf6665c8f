import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Runs a command as a fresh process and times it from start to exit, output included. Shared by the benchmarks. */
final class Subprocess {
    /** The start-up flags the {@code baton} launcher gives a CLI run; the plain-Java alternatives get the same. */
    static final List<String> CLI_JVM_FLAGS = List.of("-Xshare:auto", "-XX:+UseParallelGC", "-XX:InitialRAMPercentage=6",
            "-XX:NewRatio=1", "-XX:TieredStopAtLevel=1");

    private Subprocess() {}

    /** One finished run: wall time in seconds and everything it printed (stdout and stderr together). */
    record Result(double seconds, String output) {
        Result {
            Objects.requireNonNull(output, "output is null");
        }

        /** The first group of {@code pattern} in the output, as a number of seconds; fails when absent. */
        double secondsFrom(Pattern pattern) {
            Matcher matcher = pattern.matcher(output);
            if (!matcher.find()) {
                throw new IllegalStateException("no match for " + pattern + " in:\n" + output);
            }
            return Double.parseDouble(matcher.group(1));
        }
    }

    /** Runs {@code command} in {@code directory} and fails with its output when it exits non-zero. */
    static Result run(Path directory, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        long start = System.nanoTime();
        try {
            Process process = builder.start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int exit = process.waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exit + ":\n" + output);
            }
            return new Result(seconds, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A {@code java} command running {@code mainClass} with the CLI start-up flags. */
    static List<String> java(String classPath, String mainClass, String... args) {
        List<String> command = java();
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /**
     * A {@code java} command running {@code mainClass} from {@code classes} after Baton's own
     * distribution on the class path, as the launcher starts Baton: the CLI start-up flags, the
     * launcher's heap settings and its class-data archive (which still applies, since the
     * distribution comes first on the class path).
     */
    static List<String> javaAfterBaton(Path root, String classes, String mainClass, String... args) {
        Path target = root.resolve("baton-cli/target");
        List<String> command = java();
        // The launcher's heap settings where the machine has 8 GB or more (see cli_flags in ./baton).
        long memoryMb = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / (1024 * 1024);
        if (memoryMb >= 8 * 1024) {
            command.addAll(List.of("-XX:MaxNewSize=512m", "-Xms" + Math.min(memoryMb * 15 / 100, 4096) + "m", "-XX:MaxTenuringThreshold=1"));
        }
        Path archive = target.resolve("launcher/classes.jsa");
        if (Files.isRegularFile(archive)) {
            command.add("-XX:SharedArchiveFile=" + archive);
            command.add("-Xlog:cds=off");
        }
        command.add("-cp");
        command.add(batonClassPath(root) + ":" + classes);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /** The class path the launcher runs Baton with: the CLI jar, then every jar of the distribution. */
    static String batonClassPath(Path root) {
        Path target = root.resolve("baton-cli/target");
        try (Stream<Path> files = Files.list(target)) {
            String jar = files.map(Path::toString)
                    .filter(name -> name.matches(".*/baton-cli-[^/]*\\.jar") && !name.matches(".*-(sources|javadoc|tests)\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no baton-cli jar in " + target + "; run ./baton --version first"));
            return jar + ":" + target.resolve("lib") + "/*";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code java} of the running JDK with the CLI start-up flags, to add arguments to. */
    static List<String> java() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(CLI_JVM_FLAGS);
        return command;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** Deletes a file or folder tree if it exists. */
    /**
     * Whether {@code project} was generated complete with this {@code shape} (its {@code .generated}
     * marker says so); if not, deletes what is there so the caller generates it afresh.
     */
    static boolean isGenerated(Path project, String shape) throws java.io.IOException {
        Path marker = project.resolve(".generated");
        if (java.nio.file.Files.isRegularFile(marker) && java.nio.file.Files.readString(marker).equals(shape)) {
            return true;
        }
        delete(project);
        return false;
    }

    /** Marks {@code project} as generated complete with this {@code shape}; write it last. */
    static void markGenerated(Path project, String shape) throws java.io.IOException {
        java.nio.file.Files.writeString(project.resolve(".generated"), shape);
    }

    static void delete(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value after {@code --name} in {@code args}, or {@code fallback}. */
    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--" + name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
