package dev.baton.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the CLI in-process with captured streams, as a user would from a shell. */
final class Cli {
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    private Cli() {}

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    static Result run(Map<String, String> extraEnv, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(extraEnv);
        int code = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code baton build} in another JVM, as a second user would, and returns once it has
     * started building {@code model}.
     */
    static Process startBuild(Path root, String model, String... extraArgs) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.baton.cli.Main", "build", "--project-dir", root.toString()));
        command.addAll(List.of(extraArgs));
        Process build = new ProcessBuilder(command).redirectErrorStream(true).start();
        // A test that fails before it stops the process must not leave it running.
        Runtime.getRuntime().addShutdownHook(new Thread(build::destroyForcibly));
        java.io.BufferedReader output = new java.io.BufferedReader(new java.io.InputStreamReader(build.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
            line = output.readLine();
        } while (line != null && !line.contains("START table model " + model));
        if (line == null) {
            throw new IllegalStateException("the build process ended before it started building " + model);
        }
        return build;
    }

    /** The fixture projects kept with baton-core's tests. */
    static Path fixture(String name) {
        Path path = Path.of("..", "baton-core", "src", "test", "resources", "projects", name).toAbsolutePath().normalize();
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("no fixture project at " + path);
        }
        return path;
    }

    static Path example(String name) {
        return Path.of("..", "examples", name).toAbsolutePath().normalize();
    }

    /** Copies a project to a fresh folder so a test never writes into the source tree. */
    static Path copy(Path source, Path into) {
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    String name = dir.getFileName().toString();
                    if (!dir.equals(source) && (name.equals("target") || name.equals(".baton"))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(into.resolve(source.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, into.resolve(source.relativize(file).toString()));
                    return FileVisitResult.CONTINUE;
                }
            });
            return into;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a project as {@link #copy} does, with every file dated a minute back (see {@link #age}). */
    static Path agedCopy(Path source, Path into) {
        copy(source, into);
        age(into);
        return into;
    }

    /**
     * Dates every project file (outside target/) a minute back, as files are that were not saved
     * while a compile ran: a compile checks again a file changed less than two seconds before it began.
     */
    static void age(Path root) {
        java.nio.file.attribute.FileTime past = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(60));
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).filter(file -> !file.toString().contains("target")).toList()) {
                Files.setLastModifiedTime(file, past);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes files of a small project: path relative to the root, then content. */
    static Path project(Path root, String... pathsAndContents) {
        try {
            for (int i = 0; i < pathsAndContents.length; i += 2) {
                Path file = root.resolve(pathsAndContents[i]);
                Files.createDirectories(file.getParent());
                Files.writeString(file, pathsAndContents[i + 1]);
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
