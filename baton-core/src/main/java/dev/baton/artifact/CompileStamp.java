package dev.baton.artifact;

import static java.util.Objects.requireNonNull;

import dev.baton.project.ProjectInputs;
import dev.baton.project.ProjectInputs.FileStamp;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * environment variables its templates named, and the stamps of the manifest and of the folders it
 * wrote compiled files into (so a compiled file created, deleted or renamed shows). When all of
 * them are as they were, compiling again would write the same files, so the compile is up to
 * date and skipped, as make or Gradle skip an up-to-date task. Any change, a new or deleted file
 * included, makes the next compile a real one.
 */
public final class CompileStamp {
    private static final int FORMAT = 1;
    private static final String FILE = "compile_stamp.bin";
    /** An input changed less than this long before the load began might change again within the same clock tick. */
    private static final long RACY_NANOS = 2_000_000_000L;
    private static final FileStamp RACY = new FileStamp(-2, -2);

    /** What the compile reported, repeated when it is skipped. */
    public record Summary(long models, long tests, List<String> warnings) {
        public Summary {
            warnings = List.copyOf(warnings);
        }
    }

    private CompileStamp() {}

    /**
     * The summary of the last compile into {@code targetDir}, when it was made from the same
     * options and nothing it read or wrote has changed since.
     */
    public static Optional<Summary> upToDate(Path targetDir, String options, Map<String, String> env) {
        Path file = targetDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != FORMAT || !readString(in).equals(key(options))) {
                return Optional.empty();
            }
            int envCount = in.readInt();
            for (int i = 0; i < envCount; i++) {
                String name = readString(in);
                String value = in.readBoolean() ? readString(in) : null;
                if (!java.util.Objects.equals(value, env.get(name))) {
                    return Optional.empty();
                }
            }
            int fileCount = in.readInt();
            List<Map.Entry<Path, FileStamp>> files = new ArrayList<>(fileCount);
            for (int i = 0; i < fileCount; i++) {
                files.add(Map.entry(Path.of(readString(in)), readStamp(in)));
            }
            int folderCount = in.readInt();
            Map<Path, Map<String, FileStamp>> folders = new LinkedHashMap<>();
            for (int i = 0; i < folderCount; i++) {
                Path folder = Path.of(readString(in));
                int count = in.readInt();
                Map<String, FileStamp> listing = new java.util.HashMap<>(count * 2);
                for (int j = 0; j < count; j++) {
                    listing.put(readString(in), readStamp(in));
                }
                folders.put(folder, listing);
            }
            Summary summary = new Summary(in.readLong(), in.readLong(), readStrings(in));
            boolean unchanged = files.parallelStream().allMatch(entry -> FileStamp.of(entry.getKey()).equals(entry.getValue()))
                    && folders.entrySet().parallelStream().allMatch(entry -> {
                        try {
                            return ProjectInputs.walk(entry.getKey()).equals(entry.getValue());
                        } catch (IOException | java.io.UncheckedIOException e) {
                            return false;
                        }
                    });
            return unchanged ? Optional.of(summary) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Records a finished compile: its inputs, and the files it wrote under {@code targetDir} as they are now. */
    public static void write(Path targetDir, String options, ProjectInputs inputs, java.util.Set<Path> outputFolders, Summary summary,
            long loadStartedNanosEpoch) {
        requireNonNull(inputs, "inputs is null");
        Path file = targetDir.resolve(FILE);
        try {
            if (!inputs.reproducible()) {
                Files.deleteIfExists(file);
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
            Files.createDirectories(targetDir);
            Path temporary = targetDir.resolve(FILE + "." + ProcessHandle.current().pid() + ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16))) {
                out.writeInt(FORMAT);
                writeString(out, key(options));
                out.writeInt(inputs.env().size());
                for (Map.Entry<String, Optional<String>> entry : inputs.env().entrySet()) {
                    writeString(out, entry.getKey());
                    out.writeBoolean(entry.getValue().isPresent());
                    if (entry.getValue().isPresent()) {
                        writeString(out, entry.getValue().get());
                    }
                }
                out.writeInt(files.size());
                for (Map.Entry<String, FileStamp> entry : files.entrySet()) {
                    writeString(out, entry.getKey());
                    writeStamp(out, entry.getValue());
                }
                out.writeInt(folders.size());
                for (Map.Entry<String, Map<String, FileStamp>> folder : folders.entrySet()) {
                    writeString(out, folder.getKey());
                    out.writeInt(folder.getValue().size());
                    for (Map.Entry<String, FileStamp> entry : folder.getValue().entrySet()) {
                        writeString(out, entry.getKey());
                        writeStamp(out, entry.getValue());
                    }
                }
                out.writeLong(summary.models());
                out.writeLong(summary.tests());
                out.writeInt(summary.warnings().size());
                for (String warning : summary.warnings()) {
                    writeString(out, warning);
                }
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // Without a stamp the next compile is a full one; nothing else depends on it.
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the next compile finds a stale stamp whose outputs no longer match, and compiles
            }
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
        String code = "";
        try {
            java.security.CodeSource source = CompileStamp.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                Path location = Path.of(source.getLocation().toURI());
                code = location + "@" + FileStamp.of(location);
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            code = "unknown-" + System.nanoTime();
        }
        return Artifacts.batonVersion() + '\u0000' + code + '\u0000' + options;
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
            values.add(readString(in));
        }
        return values;
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
