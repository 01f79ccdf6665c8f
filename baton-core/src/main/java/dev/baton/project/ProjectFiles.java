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

    /** Every file under each folder, walked once per folder and load. */
    private static final ThreadLocal<java.util.Map<String, List<String>>> LISTINGS = new ThreadLocal<>();

    static List<String> find(Path root, List<String> folders, String... extensions) {
        List<String> result = new ArrayList<>();
        for (String folder : folders) {
            for (String path : listing(root, folder)) {
                if (hasExtension(path, extensions)) {
                    result.add(path);
                }
            }
        }
        result.sort(Comparator.naturalOrder());
        return result;
    }

    /**
     * Runs {@code loading} with folder listings remembered, so the loader walks each folder once
     * however many kinds of file it looks for there.
     */
    static <T> T withListingCache(java.util.function.Supplier<T> loading) {
        LISTINGS.set(new java.util.concurrent.ConcurrentHashMap<>());
        try {
            return loading.get();
        } finally {
            LISTINGS.remove();
        }
    }

    /**
     * Runs {@code loading} with the listings of folders already walked: absolute folder to the files
     * in it, relative to it. Other folders are walked as usual.
     */
    static <T> T withListings(Path root, java.util.Map<String, ? extends java.util.Collection<String>> listings, java.util.function.Supplier<T> loading) {
        java.util.Map<String, List<String>> cache = new java.util.concurrent.ConcurrentHashMap<>();
        listings.forEach((folder, names) -> {
            Path start = Path.of(folder);
            if (start.startsWith(root)) {
                String base = root.relativize(start).toString().replace('\\', '/');
                List<String> files = new ArrayList<>(names.size());
                names.forEach(name -> files.add(base.isEmpty() ? name : base + "/" + name));
                cache.put(base, files);
            }
        });
        LISTINGS.set(cache);
        try {
            return loading.get();
        } finally {
            LISTINGS.remove();
        }
    }

    private static List<String> listing(Path root, String folder) {
        java.util.Map<String, List<String>> cache = LISTINGS.get();
        if (cache != null) {
            List<String> cached = cache.get(folder);
            if (cached != null) {
                return cached;
            }
        }
        List<String> files = new ArrayList<>();
        Path start = root.resolve(folder);
        java.util.Map<String, ProjectInputs.FileStamp> inside;
        try {
            inside = ProjectInputs.walk(start);
        } catch (IOException | UncheckedIOException e) {
            throw new BatonException(PROJECT_NOT_FOUND, "cannot list " + start + ": " + e.getMessage());
        }
        String base = root.relativize(start).toString().replace('\\', '/');
        for (String path : inside.keySet()) {
            files.add(base.isEmpty() ? path : base + "/" + path);
        }
        ProjectInputs.listed(start, inside);
        if (cache != null) {
            cache.put(folder, files);
        }
        return files;
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
