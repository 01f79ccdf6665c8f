package dev.baton.artifact;

import static java.util.Objects.requireNonNull;

import dev.baton.project.Binary;
import dev.baton.project.ProjectInputs;
import dev.baton.project.ProjectInputs.FileStamp;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the last {@code baton compile} read and wrote, kept in {@code target/compile_stamp.bin}:
 * the stamp (size, modification time) of every input file and of every folder listing, the
 * environment variables its templates named (with the SHA-256 of each value, never the value),
 * and the stamps of the manifest and of the folders it
 * wrote compiled files into (so a compiled file created, deleted or renamed shows). When all of
 * them are as they were, compiling again would write the same files, so the compile is up to
 * date and skipped, as make or Gradle skip an up-to-date task. Any change, a new or deleted file
 * included, makes the next compile a real one.
 */
public final class CompileStamp {
    private static final int FORMAT = 2;
    private static final String FILE = "compile_stamp.bin";
    /** An input changed less than this long before the load began might change again within the same clock tick. */
    private static final long RACY_NANOS = 2_000_000_000L;
    private static final FileStamp RACY = new FileStamp(-2, -2);

    /** What the compile reported, repeated when it is skipped. */
    public record Summary(long models, long tests, List<String> warnings) {
        public Summary {
            warnings = List.copyOf(warnings);
        }

        /** What a compile of {@code project} reports. */
        public static Summary of(dev.baton.project.Project project) {
            long models = 0;
            long tests = 0;
            for (dev.baton.project.Node node : project.nodes().values()) {
                if (node.resourceType() == dev.baton.project.ResourceType.MODEL) {
                    models++;
                } else if (node.resourceType() == dev.baton.project.ResourceType.TEST) {
                    tests++;
                }
            }
            return new Summary(models, tests, project.warnings());
        }
    }

    private CompileStamp() {}

    /**
     * The last compile into {@code targetDir} as its stamp recorded it, when it was made from the
     * same options, the same build of Baton and the same values of the environment variables its
     * templates named; empty otherwise (then only a full compile will do).
     */
    public static Optional<Previous> read(Path targetDir, String options, Map<String, String> env) {
        Path file = targetDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != FORMAT || !Binary.readString(in).equals(key(options))) {
                return Optional.empty();
            }
            int envCount = in.readInt();
            Map<String, Optional<String>> names = new LinkedHashMap<>();
            for (int i = 0; i < envCount; i++) {
                String name = Binary.readString(in);
                String value = in.readBoolean() ? Binary.readString(in) : null;
                if (!java.util.Objects.equals(value, secretless(env.get(name)))) {
                    return Optional.empty();
                }
                names.put(name, Optional.ofNullable(value));
            }
            int fileCount = in.readInt();
            Map<String, FileStamp> files = new LinkedHashMap<>(fileCount * 2);
            for (int i = 0; i < fileCount; i++) {
                files.put(Binary.readString(in), readStamp(in));
            }
            int folderCount = in.readInt();
            Map<String, Map<String, FileStamp>> folders = new LinkedHashMap<>();
            for (int i = 0; i < folderCount; i++) {
                String folder = Binary.readString(in);
                int count = in.readInt();
                Map<String, FileStamp> listing = new java.util.HashMap<>(count * 2);
                for (int j = 0; j < count; j++) {
                    listing.put(Binary.readString(in), readStamp(in));
                }
                folders.put(folder, listing);
            }
            Summary summary = new Summary(in.readLong(), in.readLong(), readStrings(in));
            return Optional.of(new Previous(targetDir, options, names, files, folders, summary));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * What the last compile read and wrote: the environment variables its templates named (each
     * value's hash), the files it read by name (and the outputs it wrote), the folders it listed
     * with the stamp of each file found, and what it reported.
     */
    public record Previous(Path targetDir, String options, Map<String, Optional<String>> env, Map<String, FileStamp> files,
            Map<String, Map<String, FileStamp>> folders, Summary summary) {
        /** Compares every recorded stamp with the file system now. */
        public Changes changes() {
            boolean filesChanged = !files.entrySet().parallelStream().allMatch(entry -> FileStamp.of(Path.of(entry.getKey())).equals(entry.getValue()));
            Map<String, Map<String, FileStamp>> now = new java.util.concurrent.ConcurrentHashMap<>();
            boolean listingsChanged = !folders.entrySet().parallelStream().allMatch(entry -> {
                try {
                    Map<String, FileStamp> walked = ProjectInputs.walk(Path.of(entry.getKey()));
                    now.put(entry.getKey(), walked);
                    return walked.keySet().equals(entry.getValue().keySet());
                } catch (IOException | java.io.UncheckedIOException e) {
                    return false;
                }
            });
            if (filesChanged || listingsChanged) {
                return new Changes(true, Map.of());
            }
            Map<Path, FileStamp> edited = new java.util.TreeMap<>();
            folders.forEach((folder, listing) -> now.get(folder).forEach((name, stamp) -> {
                if (!stamp.equals(listing.get(name))) {
                    edited.put(Path.of(folder, name), stamp);
                }
            }));
            return new Changes(false, edited);
        }

        /**
         * Records a compile that rendered only {@code edited} again: their new stamps, and the
         * outputs (the manifest, the folders of compiled files) as they are now.
         */
        public void rewrite(Map<Path, FileStamp> edited, long loadStartedNanosEpoch) {
            Map<String, FileStamp> outputs = new LinkedHashMap<>();
            String target = targetDir.toAbsolutePath().normalize().toString() + java.io.File.separator;
            files.forEach((path, stamp) -> outputs.put(path, path.startsWith(target) ? FileStamp.of(Path.of(path)) : stamp));
            Map<String, Map<String, FileStamp>> listings = new LinkedHashMap<>();
            folders.forEach((folder, listing) -> {
                Map<String, FileStamp> stamps = new java.util.HashMap<>(listing);
                edited.forEach((path, stamp) -> {
                    if (path.startsWith(Path.of(folder))) {
                        stamps.replace(Path.of(folder).relativize(path).toString().replace('\\', '/'), racy(stamp, loadStartedNanosEpoch));
                    }
                });
                listings.put(folder, stamps);
            });
            writeFile(targetDir, options, env, outputs, listings, summary);
        }
    }

    /**
     * How the project's files differ from the last compile's: {@code structural} when a file read by
     * name, an output, or the set of files in a listed folder changed (only a full compile will
     * do); otherwise the files found by a listing whose content may have changed, with their stamps now.
     */
    public record Changes(boolean structural, Map<Path, FileStamp> edited) {
        public Changes {
            edited = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(edited));
        }

        /** Nothing changed: compiling again would write the same files. */
        public boolean none() {
            return !structural && edited.isEmpty();
        }
    }

    /** Records a finished compile: its inputs, and the files it wrote under {@code targetDir} as they are now. */
    public static void write(Path targetDir, String options, ProjectInputs inputs, java.util.Set<Path> outputFolders, Summary summary,
            long loadStartedNanosEpoch) {
        requireNonNull(inputs, "inputs is null");
        if (!inputs.reproducible()) {
            forget(targetDir);
            return;
        }
        Map<String, FileStamp> files = new LinkedHashMap<>();
        inputs.files().forEach((path, stamp) -> files.put(path, racy(stamp, loadStartedNanosEpoch)));
        // A file found by a listing is checked with its folder's walk.
        inputs.listings().forEach((folder, listing) -> listing.keySet().forEach(path -> files.remove(folder + "/" + path)));
        files.put(targetDir.resolve("manifest.json").toAbsolutePath().normalize().toString(), FileStamp.of(targetDir.resolve("manifest.json")));
        Map<String, Map<String, FileStamp>> folders = new LinkedHashMap<>();
        inputs.listings().forEach((folder, listing) -> {
            Map<String, FileStamp> stamps = new LinkedHashMap<>();
            listing.forEach((path, stamp) -> stamps.put(path, racy(stamp, loadStartedNanosEpoch)));
            folders.put(folder, stamps);
        });
        // A folder's modification time changes when a file in it is created, deleted or renamed;
        // the outputs are checked by their folders rather than file by file.
        for (Path folder : outputFolders) {
            files.put(folder.toAbsolutePath().normalize().toString(), FileStamp.of(folder));
        }
        Map<String, Optional<String>> env = new LinkedHashMap<>();
        inputs.env().forEach((name, value) -> env.put(name, value.map(CompileStamp::secretless)));
        writeFile(targetDir, options, env, files, folders, summary);
    }

    /**
     * What the stamp keeps of an environment variable's value: its SHA-256, never the value, which
     * may well be a password (the stamp lies in target/, which is often shared or uploaded).
     */
    private static String secretless(String value) {
        return value == null ? null : dev.baton.plan.Fingerprints.sha256(value);
    }

    /** Writes the stamp; {@code env} holds each variable's value as {@link #secretless} made it. */
    private static void writeFile(Path targetDir, String options, Map<String, Optional<String>> env, Map<String, FileStamp> files,
            Map<String, Map<String, FileStamp>> folders, Summary summary) {
        Path file = targetDir.resolve(FILE);
        try {
            Files.createDirectories(targetDir);
            Path temporary = targetDir.resolve(FILE + "." + ProcessHandle.current().pid() + ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16))) {
                out.writeInt(FORMAT);
                Binary.writeString(out, key(options));
                out.writeInt(env.size());
                for (Map.Entry<String, Optional<String>> entry : env.entrySet()) {
                    Binary.writeString(out, entry.getKey());
                    out.writeBoolean(entry.getValue().isPresent());
                    if (entry.getValue().isPresent()) {
                        Binary.writeString(out, entry.getValue().get());
                    }
                }
                out.writeInt(files.size());
                for (Map.Entry<String, FileStamp> entry : files.entrySet()) {
                    Binary.writeString(out, entry.getKey());
                    writeStamp(out, entry.getValue());
                }
                out.writeInt(folders.size());
                for (Map.Entry<String, Map<String, FileStamp>> folder : folders.entrySet()) {
                    Binary.writeString(out, folder.getKey());
                    out.writeInt(folder.getValue().size());
                    for (Map.Entry<String, FileStamp> entry : folder.getValue().entrySet()) {
                        Binary.writeString(out, entry.getKey());
                        writeStamp(out, entry.getValue());
                    }
                }
                out.writeLong(summary.models());
                out.writeLong(summary.tests());
                out.writeInt(summary.warnings().size());
                for (String warning : summary.warnings()) {
                    Binary.writeString(out, warning);
                }
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // Without a stamp the next compile is a full one; nothing else depends on it.
            forget(targetDir);
        }
    }

    /** Removes the stamp, so the next compile is a full one. */
    public static void forget(Path targetDir) {
        try {
            Files.deleteIfExists(targetDir.resolve(FILE));
        } catch (IOException e) {
            // a stamp that cannot be deleted still fails its check once the outputs change
        }
    }

    /** The options and the Baton build that produced the outputs: a new build of Baton compiles again. */
    private static String key(String options) {
        return Artifacts.buildIdentity() + '\u0000' + options;
    }

    private static FileStamp racy(FileStamp stamp, long loadStartedNanosEpoch) {
        return stamp.modifiedNanos() >= loadStartedNanosEpoch - RACY_NANOS ? RACY : stamp;
    }

    private static void writeStamp(DataOutputStream out, FileStamp stamp) throws IOException {
        out.writeLong(stamp.size());
        out.writeLong(stamp.modifiedNanos());
    }

    private static FileStamp readStamp(DataInputStream in) throws IOException {
        return new FileStamp(in.readLong(), in.readLong());
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(Binary.readString(in));
        }
        return values;
    }

}
