package dev.baton.artifact;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Relation;
import dev.baton.plan.Fingerprints;
import dev.baton.project.LoadOptions;
import dev.baton.project.Materialization;
import dev.baton.project.ModelRerender;
import dev.baton.project.ProjectInputs.FileStamp;
import dev.baton.project.ResourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A compile after edits to models' SQL only, in proportion to the edits: each edited model is
 * rendered again on its own ({@link ModelRerender}), and the outputs of the last compile are
 * patched: the model's compiled file, its entry in {@code manifest.json} (code, checksum,
 * fingerprint), the combined fingerprint of every node downstream (which chains its parents'),
 * and the manifest's metadata. The result is byte for byte what a full compile would write,
 * except for {@code generated_at} and {@code invocation_id}, which differ between any two compiles.
 *
 * <p>It applies only when it can prove that: the edited files are enabled view or table models
 * (not ephemeral, incremental or snapshots) with no ephemeral parent, each edit keeps the model's
 * {@code ref()}, {@code source()} and {@code config()} calls as they were, and the index of the
 * last compile describes the manifest on disk. Otherwise it writes nothing and the caller compiles
 * the whole project, as it would have without it.
 */
public final class DeltaCompile {
    /** Past this many edited files a full compile, which renders on every core, is as quick. */
    private static final int MAX_EDITS = 64;
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] COMBINED_FIELD = "\"combined\":\"".getBytes(StandardCharsets.UTF_8);
    /** A node's value ends with {@code "combined":"<64 hex digits>"}}: the fingerprint object, then the node. */
    private static final int COMBINED_FROM_END = 64 + 3;
    private static final int HASH = 32;
    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    private DeltaCompile() {}

    /** Records what a full compile of {@code project} wrote to its manifest, for the next compile. */
    public static void remember(dev.baton.project.Project project, Artifacts.ManifestLayout layout) {
        CompileIndex.of(project, layout).write(project.targetDir());
    }

    /** A compile that rendered {@code edited} models again and kept the rest. */
    public record Outcome(int edited) {}

    /**
     * Compiles the edits {@code changes} found since {@code previous}, or does nothing and answers
     * empty when a full compile is needed.
     */
    public static Optional<Outcome> apply(LoadOptions options, CompileStamp.Previous previous, CompileStamp.Changes changes, long loadStartedNanosEpoch) {
        if (changes.structural() || changes.edited().isEmpty() || changes.edited().size() > MAX_EDITS) {
            return Optional.empty();
        }
        Path root = options.projectDir().toAbsolutePath().normalize();
        Path targetDir = previous.targetDir();
        for (Path file : changes.edited().keySet()) {
            if (!file.getFileName().toString().endsWith(".sql")) {
                return Optional.empty();
            }
        }
        // The template engine is built while the index and the manifest are read.
        ModelRerender.Renderer renderer = ModelRerender.start(options);
        Optional<CompileIndex> known = CompileIndex.read(targetDir);
        if (known.isEmpty()) {
            return Optional.empty();
        }
        CompileIndex index = known.get();
        Path manifestFile = targetDir.resolve("manifest.json");
        try (FileChannel channel = FileChannel.open(manifestFile, StandardOpenOption.READ)) {
            if (channel.size() >= Integer.MAX_VALUE) {
                return Optional.empty();
            }
            MappedByteBuffer manifest = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            List<Integer> edited = new ArrayList<>();
            List<Fields> fields = new ArrayList<>();
            List<ModelRerender.Edit> edits = new ArrayList<>();
            for (Path file : changes.edited().keySet()) {
                int node = index.find(index.path, root.relativize(file).toString().replace('\\', '/'), at -> index.type(at) == ResourceType.MODEL);
                if (node < 0 || index.relation(node).isEmpty() || index.materialized(node) == Materialization.EPHEMERAL
                        || index.materialized(node) == Materialization.INCREMENTAL || hasEphemeralParent(index, node)) {
                    return Optional.empty();
                }
                Optional<Fields> found = Fields.of(slice(manifest, index.offset[node], index.length[node]));
                if (found.isEmpty()) {
                    return Optional.empty();
                }
                edited.add(node);
                fields.add(found.get());
                edits.add(new ModelRerender.Edit(index.text(index.path, node), found.get().rawCode(), Files.readString(file), index.relation(node).get()));
            }
            ModelRerender.Relations relations = new ModelRerender.Relations() {
                @Override
                public Optional<Relation> ref(String name) {
                    int node = index.find(index.name, name, at -> index.type(at) == ResourceType.MODEL || index.type(at) == ResourceType.SNAPSHOT
                            || index.type(at) == ResourceType.SEED);
                    return node < 0 || index.materialized(node) == Materialization.EPHEMERAL && index.type(node) == ResourceType.MODEL ? Optional.empty()
                            : index.relation(node);
                }

                @Override
                public Optional<Relation> source(String sourceName, String tableName) {
                    int node = index.find(index.id, "source." + index.projectName + "." + sourceName + "." + tableName,
                            at -> index.type(at) == ResourceType.SOURCE);
                    return node < 0 ? Optional.empty() : index.relation(node);
                }
            };
            Optional<List<String>> compiled = renderer.compiledSql(edits, relations);
            if (compiled.isEmpty() || compiled.get().stream().anyMatch(String::isEmpty)) {
                return Optional.empty();
            }

            // The edited models' bodies, then the combined hash of each of them and of everything downstream, parents first.
            byte[] hashes = index.hashes.clone();
            for (int i = 0; i < edited.size(); i++) {
                byte[] body = HEX.parseHex(Fingerprints.sha256(compiled.get().get(i)));
                System.arraycopy(body, 0, hashes, 4 * HASH * edited.get(i), HASH);
            }
            int[] order = downstreamInOrder(index, edited);
            recombine(index, order, hashes);

            List<Patch> patches = new ArrayList<>();
            byte[] metadata = Artifacts.metadata(index.projectName, index.targetName, index.adapterType, UUID.randomUUID().toString());
            patches.add(new Patch(index.metadataStart, index.metadataEnd - index.metadataStart, metadata));
            boolean[] isEdited = new boolean[index.size];
            for (int i = 0; i < edited.size(); i++) {
                int node = edited.get(i);
                isEdited[node] = true;
                Fields at = fields.get(i);
                long base = index.offset[node];
                patches.add(at.raw().patch(base, json(edits.get(i).newText())));
                patches.add(at.compiled().patch(base, json(compiled.get().get(i))));
                patches.add(at.checksum().patch(base, json(Fingerprints.sha256(edits.get(i).newText()))));
                patches.add(at.body().patch(base, json(hex(hashes, node, 0))));
                patches.add(at.combined().patch(base, json(hex(hashes, node, 3))));
            }
            for (int node : order) {
                if (isEdited[node] || index.type(node) == ResourceType.SOURCE) {
                    continue;
                }
                long at = index.offset[node] + index.length[node] - COMBINED_FROM_END;
                if (!java.util.Arrays.equals(slice(manifest, at - COMBINED_FIELD.length, COMBINED_FIELD.length), COMBINED_FIELD)) {
                    return Optional.empty();
                }
                patches.add(new Patch(at, 64, hex(hashes, node, 3).getBytes(StandardCharsets.US_ASCII)));
            }
            patches.sort(Comparator.comparingLong(Patch::offset));

            // From here on the outputs change; nothing above wrote anything.
            Path temporary = manifestFile.resolveSibling("manifest.json." + ProcessHandle.current().pid() + ".tmp");
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
                long position = 0;
                for (Patch patch : patches) {
                    put(buffer, manifest.slice((int) position, (int) (patch.offset() - position)), out);
                    put(buffer, ByteBuffer.wrap(patch.bytes()), out);
                    position = patch.offset() + patch.length();
                }
                put(buffer, manifest.slice((int) position, (int) (manifest.capacity() - position)), out);
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            Files.move(temporary, manifestFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            for (int i = 0; i < edited.size(); i++) {
                writeCompiled(targetDir, index.projectName, index.text(index.path, edited.get(i)), compiled.get().get(i), hex(hashes, edited.get(i), 0));
            }
            moved(index, patches, hashes, FileStamp.of(manifestFile), metadata.length).write(targetDir);
            previous.rewrite(changes.edited(), loadStartedNanosEpoch);
            return Optional.of(new Outcome(edited.size()));
        } catch (IOException | UncheckedIOException e) {
            throw new BatonException(ErrorCode.INTERNAL, "cannot update the outputs under " + targetDir + ": " + e.getMessage()
                    + "; check that the folder is writable");
        }
    }

    private static boolean hasEphemeralParent(CompileIndex index, int node) {
        for (int p = index.parentStart[node]; p < index.parentStart[node + 1]; p++) {
            int parent = index.parents[p];
            if (parent >= 0 && index.type(parent) == ResourceType.MODEL && index.materialized(parent) == Materialization.EPHEMERAL) {
                return true;
            }
        }
        return false;
    }

    /** The edited nodes and every node downstream of them, each after all of its parents among them. */
    private static int[] downstreamInOrder(CompileIndex index, List<Integer> edited) {
        int size = index.size;
        // Children as one array of positions, grouped by parent.
        int[] childStart = new int[size + 1];
        for (int p : index.parents) {
            if (p >= 0) {
                childStart[p + 1]++;
            }
        }
        for (int i = 0; i < size; i++) {
            childStart[i + 1] += childStart[i];
        }
        int[] children = new int[childStart[size]];
        int[] fill = java.util.Arrays.copyOf(childStart, size);
        for (int node = 0; node < size; node++) {
            for (int p = index.parentStart[node]; p < index.parentStart[node + 1]; p++) {
                int parent = index.parents[p];
                if (parent >= 0) {
                    children[fill[parent]++] = node;
                }
            }
        }
        boolean[] affected = new boolean[size];
        int[] queue = new int[size];
        int tail = 0;
        for (int node : edited) {
            if (!affected[node]) {
                affected[node] = true;
                queue[tail++] = node;
            }
        }
        for (int head = 0; head < tail; head++) {
            for (int c = childStart[queue[head]]; c < childStart[queue[head] + 1]; c++) {
                if (!affected[children[c]]) {
                    affected[children[c]] = true;
                    queue[tail++] = children[c];
                }
            }
        }
        // Kahn's order over the affected nodes: a node once every affected parent is done.
        int[] waiting = new int[size];
        int count = tail;
        int[] order = new int[count];
        int done = 0;
        int ready = 0;
        for (int i = 0; i < count; i++) {
            int node = queue[i];
            for (int p = index.parentStart[node]; p < index.parentStart[node + 1]; p++) {
                if (index.parents[p] >= 0 && affected[index.parents[p]]) {
                    waiting[node]++;
                }
            }
            if (waiting[node] == 0) {
                order[ready++] = node;
            }
        }
        while (done < ready) {
            int node = order[done++];
            for (int c = childStart[node]; c < childStart[node + 1]; c++) {
                if (--waiting[children[c]] == 0) {
                    order[ready++] = children[c];
                }
            }
        }
        return java.util.Arrays.copyOf(order, ready);
    }

    /** Computes the combined hash of each node of {@code order} into {@code hashes}, level by level, each level on every core. */
    private static void recombine(CompileIndex index, int[] order, byte[] hashes) {
        int[] level = new int[index.size];
        int levels = 0;
        for (int node : order) {
            int depth = 0;
            for (int p = index.parentStart[node]; p < index.parentStart[node + 1]; p++) {
                int parent = index.parents[p];
                if (parent >= 0) {
                    depth = Math.max(depth, level[parent] + 1);
                }
            }
            level[node] = depth;
            levels = Math.max(levels, depth + 1);
        }
        int[] start = new int[levels + 1];
        for (int node : order) {
            start[level[node] + 1]++;
        }
        for (int i = 0; i < levels; i++) {
            start[i + 1] += start[i];
        }
        int[] byLevel = new int[order.length];
        int[] fill = java.util.Arrays.copyOf(start, levels);
        for (int node : order) {
            byLevel[fill[level[node]]++] = node;
        }
        for (int l = 0; l < levels; l++) {
            java.util.stream.IntStream range = java.util.stream.IntStream.range(start[l], start[l + 1]);
            (start[l + 1] - start[l] > 256 ? range.parallel() : range).forEach(i -> combine(index, byLevel[i], hashes));
        }
    }

    private static void combine(CompileIndex index, int node, byte[] hashes) {
        int from = index.parentStart[node];
        int count = index.parentStart[node + 1] - from;
        byte[][] ids = new byte[count][];
        byte[][] combined = new byte[count][];
        for (int i = 0; i < count; i++) {
            int parent = index.parents[from + i];
            if (parent >= 0) {
                ids[i] = java.util.Arrays.copyOfRange(index.texts, index.id[2 * parent], index.id[2 * parent] + index.id[2 * parent + 1]);
                combined[i] = java.util.Arrays.copyOfRange(hashes, 4 * HASH * parent + 3 * HASH, 4 * HASH * parent + 4 * HASH);
            } else {
                int k = -1 - parent;
                ids[i] = java.util.Arrays.copyOfRange(index.texts, index.outside[2 * k], index.outside[2 * k] + index.outside[2 * k + 1]);
            }
        }
        int own = 4 * HASH * node;
        byte[] hash = Fingerprints.combine(java.util.Arrays.copyOfRange(hashes, own, own + HASH), java.util.Arrays.copyOfRange(hashes, own + HASH, own + 2 * HASH),
                java.util.Arrays.copyOfRange(hashes, own + 2 * HASH, own + 3 * HASH), ids, combined);
        System.arraycopy(hash, 0, hashes, own + 3 * HASH, HASH);
    }

    private static String hex(byte[] hashes, int node, int which) {
        int at = 4 * HASH * node + HASH * which;
        return HEX.formatHex(hashes, at, at + HASH);
    }

    /** Copies {@code bytes} into {@code buffer}, writing the buffer out whenever it fills. */
    private static void put(ByteBuffer buffer, ByteBuffer bytes, FileChannel out) throws IOException {
        while (bytes.hasRemaining()) {
            if (!buffer.hasRemaining()) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                buffer.clear();
            }
            int count = Math.min(buffer.remaining(), bytes.remaining());
            buffer.put(bytes.slice(bytes.position(), count));
            bytes.position(bytes.position() + count);
        }
    }

    /** The index after the patches: places moved by the bytes inserted before them, edited entries resized, new hashes. */
    private static CompileIndex moved(CompileIndex index, List<Patch> patches, byte[] hashes, FileStamp manifest, int metadataLength) {
        Integer[] byOffset = new Integer[index.size];
        for (int i = 0; i < index.size; i++) {
            byOffset[i] = i;
        }
        java.util.Arrays.sort(byOffset, Comparator.comparingLong(node -> index.offset[node]));
        long[] offset = new long[index.size];
        int[] length = new int[index.size];
        int next = 0;
        long shift = 0;
        for (int node : byOffset) {
            while (next < patches.size() && patches.get(next).offset() < index.offset[node]) {
                shift += patches.get(next).growth();
                next++;
            }
            long growth = 0;
            for (int inside = next; inside < patches.size() && patches.get(inside).offset() < index.offset[node] + index.length[node]; inside++) {
                growth += patches.get(inside).growth();
            }
            offset[node] = index.offset[node] + shift;
            length[node] = (int) (index.length[node] + growth);
        }
        return index.patched(manifest, index.metadataStart + metadataLength, offset, length, hashes);
    }

    /** Writes the model's compiled file and its line in the index of compiled files (same length: a hash is replaced by a hash). */
    private static void writeCompiled(Path targetDir, String project, String path, String sql, String hash) throws IOException {
        Path compiledRoot = targetDir.resolve("compiled");
        Path file = compiledRoot.resolve(project).resolve(path);
        Files.write(file, (sql + "\n").getBytes(StandardCharsets.UTF_8));
        Path indexFile = compiledRoot.resolve(".baton-index");
        if (!Files.isRegularFile(indexFile)) {
            return;
        }
        byte[] lines = Files.readAllBytes(indexFile);
        byte[] wanted = (" " + compiledRoot.relativize(file) + "\n").getBytes(StandardCharsets.UTF_8);
        for (int at = indexOf(lines, wanted, 0); at >= 0; at = indexOf(lines, wanted, at + 1)) {
            int lineStart = at - 64;
            if (lineStart == 0 || lineStart > 0 && lines[lineStart - 1] == '\n') {
                try (FileChannel channel = FileChannel.open(indexFile, StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.wrap(hash.getBytes(StandardCharsets.US_ASCII)), lineStart);
                }
                return;
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] slice(MappedByteBuffer manifest, long offset, int length) throws IOException {
        if (offset < 0 || offset + length > manifest.capacity()) {
            throw new IOException("the manifest is shorter than its index says");
        }
        byte[] bytes = new byte[length];
        manifest.get((int) offset, bytes);
        return bytes;
    }

    private static byte[] json(String text) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(text.length() + 16);
        try (com.fasterxml.jackson.core.JsonGenerator generator = JSON.createGenerator(bytes)) {
            generator.writeString(text);
        }
        return bytes.toByteArray();
    }

    /** Bytes {@code [offset, offset + length)} of the old manifest replaced by {@code bytes}. */
    private record Patch(long offset, long length, byte[] bytes) {
        long growth() {
            return bytes.length - length;
        }
    }

    /** Where a string value lies within a node's value: from its opening quote to after its closing one. */
    private record Span(int start, int end) {
        Patch patch(long memberOffset, byte[] bytes) {
            return new Patch(memberOffset + start, end - start, bytes);
        }
    }

    /** The values of a model's entry that an edit changes, and its raw code as the last compile read it. */
    private record Fields(String rawCode, Span raw, Span compiled, Span checksum, Span body, Span combined) {
        static Optional<Fields> of(byte[] member) throws IOException {
            Map<String, Span> spans = new HashMap<>();
            String raw = null;
            try (JsonParser parser = JSON.createParser(member)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    return Optional.empty();
                }
                String object = "";
                int depth = 1;
                JsonToken token;
                while ((token = parser.nextToken()) != null) {
                    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                        if (depth == 1) {
                            object = parser.getCurrentName();
                        }
                        depth++;
                    } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                        depth--;
                    } else if (token == JsonToken.VALUE_STRING) {
                        String field = parser.getCurrentName();
                        String key = depth == 1 ? field : depth == 2 ? object + "." + field : null;
                        if (key != null && List.of("raw_code", "compiled_code", "checksum.checksum", "baton_fingerprint.body", "baton_fingerprint.combined")
                                .contains(key)) {
                            int start = (int) parser.getTokenLocation().getByteOffset();
                            String text = parser.getText();
                            int end = (int) parser.getCurrentLocation().getByteOffset();
                            if (member[start] != '"' || member[end - 1] != '"') {
                                return Optional.empty();
                            }
                            spans.put(key, new Span(start, end));
                            if (key.equals("raw_code")) {
                                raw = text;
                            }
                        }
                    }
                }
            }
            if (raw == null || spans.size() != 5) {
                return Optional.empty();
            }
            return Optional.of(new Fields(raw, spans.get("raw_code"), spans.get("compiled_code"), spans.get("checksum.checksum"),
                    spans.get("baton_fingerprint.body"), spans.get("baton_fingerprint.combined")));
        }
    }
}
