package dev.baton.project;

import static dev.baton.api.ErrorCode.PROJECT_NOT_FOUND;

import dev.baton.api.BatonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Finds the files of a project, as paths relative to its root with forward slashes, sorted. */
final class ProjectFiles {
    private ProjectFiles() {}

    static List<String> find(Path root, List<String> folders, String... extensions) {
        List<String> result = new ArrayList<>();
        for (String folder : folders) {
            Path start = root.resolve(folder);
            if (!Files.isDirectory(start)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(start)) {
                paths.filter(Files::isRegularFile)
                        .filter(path -> hasExtension(path.getFileName().toString(), extensions))
                        .forEach(path -> result.add(root.relativize(path).toString().replace('\\', '/')));
            } catch (IOException | UncheckedIOException e) {
                throw new BatonException(PROJECT_NOT_FOUND, "cannot list " + start + ": " + e.getMessage());
            }
        }
        result.sort(Comparator.naturalOrder());
        return result;
    }

    private static boolean hasExtension(String fileName, String... extensions) {
        for (String extension : extensions) {
            if (fileName.endsWith(extension)) {
                return true;
            }
        }
        return false;
    }

    static String read(Path root, String relativePath) {
        return ProjectSettingsReader.readString(root.resolve(relativePath));
    }

    /** The file name without folders and extension. */
    static String baseName(String relativePath) {
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The folders between {@code folder} and the file, for the node's fqn. */
    static List<String> subfolders(String relativePath, String folder) {
        String inside = relativePath.substring(folder.length() + 1);
        List<String> parts = new ArrayList<>(List.of(inside.split("/")));
        parts.remove(parts.size() - 1);
        return parts;
    }
}
