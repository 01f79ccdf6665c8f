package dev.baton.project;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one load of a project read: each file with its size and modification time (or that it was
 * absent), each folder it listed, and the environment variables its templates name. Two loads
 * whose inputs are the same produce the same project, which is what lets {@code baton compile}
 * skip a project that has not changed. A load whose templates read the clock, the run, the
 * warehouse or an environment variable by a computed name is not {@linkplain #reproducible()
 * reproducible}.
 *
 * @param files absolute path to the file's stamp when it was read
 * @param listings absolute folder to the files found under it, relative to the project root
 * @param env environment variable to its value when read ({@code null} values are kept as absent)
 * @param reproducible whether the same inputs are known to give the same project
 */
public record ProjectInputs(Map<String, FileStamp> files, Map<String, Map<String, FileStamp>> listings, Map<String, Optional<String>> env, boolean reproducible) {
    private static final Pattern ENV_VAR = Pattern.compile("env_var\\(\\s*['\"]([^'\"]+)['\"]");
    private static final List<String> VOLATILE = List.of("run_started_at", "invocation_id", "run_query", "modules.", "statement(", "adapter.get_relation",
            "load_result");
    private static volatile Recorder active;

    public ProjectInputs {
        files = Map.copyOf(files);
        listings = Map.copyOf(listings);
        env = Map.copyOf(env);
    }

    /** A file's size and modification time in nanoseconds; {@link #ABSENT} when there was no file. */
    public record FileStamp(long size, long modifiedNanos) {
        public static final FileStamp ABSENT = new FileStamp(-1, -1);

        public static FileStamp of(BasicFileAttributes attributes) {
            long nanos = attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
            return new FileStamp(attributes.size(), nanos);
        }

        public static FileStamp of(Path file) {
            try {
                return of(Files.readAttributes(file, BasicFileAttributes.class));
            } catch (IOException e) {
                return ABSENT;
            }
        }
    }

    /** Whether a template's render may depend on more than the project's files: the environment, the clock, the run or the warehouse. */
    static boolean readsBeyondFiles(String text) {
        return text.contains("env_var") || readsRunOrWarehouse(text);
    }

    /** Whether a template reads the clock, the run or the warehouse: then the same files need not give the same project. */
    private static boolean readsRunOrWarehouse(String text) {
        for (String marker : VOLATILE) {
            if (text.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /** Loads a project and records what the load read. One recording load runs at a time. */
    static synchronized <T> Recorded<T> record(Map<String, String> environment, java.util.function.Supplier<T> load) {
        Recorder recorder = new Recorder(environment);
        active = recorder;
        try {
            T value = load.get();
            return new Recorded<>(value, recorder.inputs());
        } finally {
            active = null;
        }
    }

    record Recorded<T>(T value, ProjectInputs inputs) {
        Recorded {
            requireNonNull(inputs, "inputs is null");
        }
    }

    /** Reads a file, recording it when a recording load is under way; the stamp is taken first, so a later change always shows. */
    static String read(Path file) throws IOException {
        Recorder recorder = active;
        if (recorder == null) {
            return Files.readString(file);
        }
        FileStamp stamp = recorder.listed.get(file.toString());
        if (stamp == null) {
            stamp = FileStamp.of(file);
        }
        String text = Files.readString(file);
        recorder.read(file, stamp, text);
        return text;
    }

    /** Notes that a file the load looked for was not there, so creating it later counts as a change. */
    static void absent(Path file) {
        Recorder recorder = active;
        if (recorder != null) {
            recorder.files.put(file.toAbsolutePath().normalize().toString(), FileStamp.ABSENT);
        }
    }

    static void listed(Path folder, Map<String, FileStamp> files) {
        Recorder recorder = active;
        if (recorder != null) {
            String base = folder.toAbsolutePath().normalize().toString();
            recorder.listings.put(base, Map.copyOf(files));
            // The walk's stamps were taken before any file is read: reading one needs no second look-up.
            files.forEach((path, stamp) -> recorder.listed.put(base + "/" + path, stamp));
        }
    }

    /** A path's attributes, following links; {@code null} when it cannot be read. */
    public static BasicFileAttributes attributes(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Every regular file under {@code folder} (following links, as a load does), relative to it with
     * forward slashes. The subfolders of {@code folder} are walked in parallel: a large project's
     * models sit in many folders, and this walk is most of what an up-to-date check costs.
     */
    public static Map<String, FileStamp> walk(Path folder) throws IOException {
        Map<String, FileStamp> found = new ConcurrentHashMap<>();
        if (!Files.isDirectory(folder)) {
            return found;
        }
        int prefix = folder.toString().length() + 1;
        List<Path> subfolders = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                BasicFileAttributes attributes = attributes(entry);
                if (attributes == null) {
                    continue;
                }
                if (attributes.isDirectory()) {
                    subfolders.add(entry);
                } else if (attributes.isRegularFile()) {
                    found.put(entry.toString().substring(prefix).replace('\\', '/'), FileStamp.of(attributes));
                }
            }
        }
        subfolders.parallelStream().forEach(subfolder -> walkInto(subfolder, prefix, found));
        return found;
    }

    private static void walkInto(Path folder, int prefix, Map<String, FileStamp> found) {
        try {
            Files.walkFileTree(folder, java.util.EnumSet.of(java.nio.file.FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new java.nio.file.SimpleFileVisitor<>() {
                        @Override
                        public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                            if (attributes.isRegularFile()) {
                                found.put(file.toString().substring(prefix).replace('\\', '/'), FileStamp.of(attributes));
                            }
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }

                        @Override
                        public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final class Recorder {
        private final Map<String, String> environment;
        private final Map<String, FileStamp> files = new ConcurrentHashMap<>();
        private final Map<String, FileStamp> listed = new ConcurrentHashMap<>();
        private final Map<String, Map<String, FileStamp>> listings = new ConcurrentHashMap<>();
        private final Map<String, Optional<String>> env = new ConcurrentHashMap<>();
        private volatile boolean reproducible = true;

        Recorder(Map<String, String> environment) {
            this.environment = environment;
        }

        void read(Path file, FileStamp stamp, String text) {
            files.put(file.toAbsolutePath().normalize().toString(), stamp);
            if (readsRunOrWarehouse(text)) {
                reproducible = false;
            }
            int named = 0;
            Matcher names = ENV_VAR.matcher(text);
            while (names.find()) {
                named++;
                env.put(names.group(1), Optional.ofNullable(environment.get(names.group(1))));
            }
            int calls = 0;
            for (int at = text.indexOf("env_var"); at >= 0; at = text.indexOf("env_var", at + 1)) {
                calls++;
            }
            if (calls != named) {
                reproducible = false;
            }
        }

        ProjectInputs inputs() {
            return new ProjectInputs(files, listings, env, reproducible);
        }
    }
}
