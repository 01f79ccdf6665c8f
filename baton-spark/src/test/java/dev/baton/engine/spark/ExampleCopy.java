package dev.baton.engine.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of the repository's example projects, so that a test can add targets and build them without touching the originals. */
final class ExampleCopy {
    private ExampleCopy() {}

    /** Copies {@code examples/<name>} (without its {@code target/}) to {@code copy} and returns {@code copy}. */
    static Path of(String name, Path copy) throws IOException {
        Path source = Path.of("..", "examples", name).toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(path -> !source.relativize(path).startsWith("target")).toList()) {
                Path target = copy.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }
}
