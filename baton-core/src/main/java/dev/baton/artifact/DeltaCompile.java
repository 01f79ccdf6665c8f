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

/**
 * A compile after edits to models' SQL only, in proportion to the edits: each edited model is
 * rendered again on its own ({@link ModelRerender}), and the outputs of the last compile are
 * patched: the model's compiled file, its entry in {@code manifest.json} (code, checksum,
 * fingerprint, and its dependencies with its {@code parent_map} entry when its refs or sources
 * changed), the combined fingerprint of every node downstream (which chains its parents'), and the
 * manifest's metadata. The result is byte for byte what a full compile would write, except for
 * {@code generated_at} and {@code invocation_id}, which differ between any two compiles.
 *
 * <p>It applies only when it can prove that: the edited files are models of the last compile,
 * neither ephemeral nor incremental, with no ephemeral parent; each edit keeps the model's
 * {@code config()} calls as they were; each {@code ref()} and {@code source()} names a plain
 * relation of the last compile, and the new dependencies make no cycle; and the index of the last
 * compile describes the manifest on disk. Otherwise it writes nothing and the caller compiles the
 * whole project, as it would have without it (and reports an unknown ref or a cycle as it always does).
 */
public final class DeltaCompile {
    /** Past this many edited files a full compile, which renders on every core, is as quick. */
    private static final int MAX_EDITS = 64;
    private static final JsonFactory JSON = Artifacts.Streaming.FACTORY;
    private static final byte[] COMBINED_FIELD = "\"combined\":\"".getBytes(StandardCharsets.UTF_8);
    /** A node's value ends with {@code "combined":"<64 hex digits>"}}: the fingerprint object, then the node. */
    private static final int COMBINED_FROM_END = 64 + 3;
    private static final int HASH = CompileIndex.HASH;
    /** The manifest is copied through a buffer of this many bytes. */
    private static final int CHUNK = 1 << 22;
    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    private DeltaCompile() {}

    /** A compile that rendered {@code edited} models again and kept the rest. */
    public record Outcome(int edited) {}

    /**
     * Compiles the edits {@code changes} found since {@code previous}, or does nothing and answers
     * empty when a full compile is needed. The manifest's metadata gets {@code invocationId}.
     */
    public static Optional<Outcome> apply(LoadOptions options, List<String> modelPaths, CompileStamp.Previous previous, CompileStamp.Changes changes,
            String invocationId, long loadStartedNanosEpoch) {
        if (changes.structural() || changes.edited().isEmpty() || changes.edited().size() > MAX_EDITS) {
            return Optional.empty();
        }
        // Only SQL files in the model folders can be models: an edited macro, say, needs no template engine built in vain.
        Path root = options.projectDir().toAbsolutePath().normalize();
        for (Path file : changes.edited().keySet()) {
            if (!file.getFileName().toString().endsWith(".sql")
                    || modelPaths.stream().noneMatch(folder -> file.startsWith(root.resolve(folder).normalize()))) {
                return Optional.empty();
            }
        }
        // The template engine is built (from the folder listings the last compile recorded, unchanged since) while the
        // index and the edited entries are read.
        Map<String, java.util.Set<String>> listings = new HashMap<>();
        previous.folders().forEach((folder, files) -> listings.put(folder, files.keySet()));
        ModelRerender.Renderer renderer = ModelRerender.start(options, listings);
        Path targetDir = previous.targetDir();
        Optional<CompileIndex> known = CompileIndex.read(targetDir);
        if (known.isEmpty()) {
            return Optional.empty();
        }
        CompileIndex index = known.get();
        Path manifestFile = targetDir.resolve("manifest.json");
        try (FileChannel channel = FileChannel.open(manifestFile, StandardOpenOption.READ)) {
            List<Integer> edited = new ArrayList<>();
            List<Fields> fields = new ArrayList<>();
            List<ModelRerender.Edit> edits = new ArrayList<>();
            for (Path file : changes.edited().keySet()) {
                int node = index.find(index.path, root.relativize(file).toString().replace('\\', '/'), at -> index.type(at) == ResourceType.MODEL);
                if (node < 0 || index.relation(node).isEmpty() || index.materialized(node) == Materialization.EPHEMERAL
                        || index.materialized(node) == Materialization.INCREMENTAL || hasEphemeralParent(index, node)) {
                    return Optional.empty();
                }
                Optional<Fields> found = Fields.of(read(channel, index.offset[node], index.length[node]));
                if (found.isEmpty()) {
                    return Optional.empty();
                }
                String text;
                try {
                    text = Files.readString(file);
                } catch (IOException unreadable) {
                    // The full compile reports it.
                    return Optional.empty();
                }
                edited.add(node);
                fields.add(found.get());
                edits.add(new ModelRerender.Edit(index.text(index.path, node), found.get().rawCode(), text, index.relation(node).get()));
            }
            ModelRerender.Relations relations = new ModelRerender.Relations() {
                @Override
                public Optional<ModelRerender.Upstream> ref(String name) {
                    int node = index.find(index.name, name, at -> index.type(at) == ResourceType.MODEL || index.type(at) == ResourceType.SNAPSHOT
                            || index.type(at) == ResourceType.SEED);
                    return node < 0 || index.materialized(node) == Materialization.EPHEMERAL && index.type(node) == ResourceType.MODEL ? Optional.empty()
                            : upstream(index, node);
                }

                @Override
                public Optional<ModelRerender.Upstream> source(String sourceName, String tableName) {
                    int node = index.find(index.id, "source." + index.projectName + "." + sourceName + "." + tableName,
                            at -> index.type(at) == ResourceType.SOURCE);
                    return node < 0 ? Optional.empty() : upstream(index, node);
                }
            };
            Optional<List<ModelRerender.Rerendered>> rerendered = renderer.rerender(edits, relations);
            if (rerendered.isEmpty() || rerendered.get().stream().anyMatch(model -> model.compiledSql().isEmpty())) {
                return Optional.empty();
            }
            List<String> compiled = rerendered.get().stream().map(ModelRerender.Rerendered::compiledSql).toList();

            // The graph with the edited models' new parents, where their refs or sources changed.
            Map<Integer, List<String>> moved = new HashMap<>();
            for (int i = 0; i < edited.size(); i++) {
                List<String> dependsOn = rerendered.get().get(i).dependsOn();
                if (!dependsOn.equals(fields.get(i).dependsOn())) {
                    moved.put(edited.get(i), dependsOn);
                }
            }
            Optional<Graph> graph = Graph.withParents(index, moved);
            if (graph.isEmpty()) {
                return Optional.empty();
            }

            // The edited models' bodies, then the combined hash of each of them and of everything downstream, parents first.
            Map<Integer, byte[]> bodies = new HashMap<>();
            for (int i = 0; i < edited.size(); i++) {
                bodies.put(edited.get(i), HEX.parseHex(Fingerprints.sha256(compiled.get(i))));
            }
            Optional<int[]> downstream = downstreamInOrder(graph.get(), index.size, edited);
            if (downstream.isEmpty()) {
                // The new dependencies make a cycle: the full compile names it.
                return Optional.empty();
            }
            int[] order = downstream.get();
            byte[] combined = index.combined.clone();
            recombine(index, graph.get(), order, bodies, combined);
            // The patches that change a value's length (the metadata, the edited entries), in manifest order.
            List<Patch> resized = new ArrayList<>();
            byte[] metadata = Artifacts.metadata(index.projectName, index.targetName, index.adapterType, invocationId);
            resized.add(new Patch(index.metadataStart, index.metadataEnd - index.metadataStart, metadata));
            for (int i = 0; i < edited.size(); i++) {
                int node = edited.get(i);
                Fields at = fields.get(i);
                long base = index.offset[node];
                resized.add(at.raw().patch(base, json(edits.get(i).newText())));
                resized.add(at.compiled().patch(base, json(compiled.get(i))));
                if (moved.containsKey(node)) {
                    byte[] array = jsonArray(moved.get(node));
                    resized.add(at.dependsOnArray().patch(base, array));
                    resized.add(new Patch(index.parentMapOffset[node], index.parentMapLength[node], array));
                }
                resized.add(at.checksum().patch(base, json(Fingerprints.sha256(edits.get(i).newText()))));
                resized.add(at.body().patch(base, json(HEX.formatHex(bodies.get(node)))));
                resized.add(at.combined().patch(base, json(hex(combined, node))));
            }
            resized.sort(Comparator.comparingLong(Patch::offset));
            // The other nodes downstream: their combined hash, 64 hex digits in place of 64, at the end of their entry.
            boolean[] isEdited = new boolean[index.size];
            edited.forEach(node -> isEdited[node] = true);
            int[] inPlace = new int[order.length];
            int count = 0;
            for (int node : order) {
                if (!isEdited[node] && index.type(node) != ResourceType.SOURCE) {
                    inPlace[count++] = node;
                }
            }
            // Entries of nodes other than sources lie in the manifest in the order of the index.
            inPlace = java.util.Arrays.copyOf(inPlace, count);
            java.util.Arrays.sort(inPlace);

            // From here on the outputs change; nothing above wrote anything.
            if (!replaceManifest(channel, resized, inPlace, index, combined, manifestFile)) {
                return Optional.empty();
            }
            for (int i = 0; i < edited.size(); i++) {
                int node = edited.get(i);
                writeCompiled(targetDir, index.projectName, index.text(index.path, node), compiled.get(i), HEX.formatHex(bodies.get(node)));
            }
            record(previous, index, resized, bodies, combined, graph.get(), changes.edited(), loadStartedNanosEpoch);
            return Optional.of(new Outcome(edited.size()));
        } catch (IOException | UncheckedIOException e) {
            throw new BatonException(ErrorCode.INTERNAL, "cannot update the outputs under " + targetDir + ": " + e.getMessage()
                    + "; check that the folder is writable");
        }
    }

    /**
     * Records a new invocation in the last compile's outputs when nothing they were made from
     * changed, as a command that writes the artifacts of a run does: the manifest's metadata (the
     * invocation id, the time) is patched in and every other byte kept, then the index and the
     * compile stamp follow. False, having changed nothing, when the index does not describe the
     * manifest (then the caller writes the artifacts in full).
     */
    public static boolean restamp(CompileStamp.Previous previous, String invocationId, long loadStartedNanosEpoch) {
        Path targetDir = previous.targetDir();
        Optional<CompileIndex> known = CompileIndex.read(targetDir);
        if (known.isEmpty()) {
            return false;
        }
        CompileIndex index = known.get();
        Path manifestFile = targetDir.resolve("manifest.json");
        try (FileChannel channel = FileChannel.open(manifestFile, StandardOpenOption.READ)) {
            byte[] metadata = Artifacts.metadata(index.projectName, index.targetName, index.adapterType, invocationId);
            List<Patch> resized = List.of(new Patch(index.metadataStart, index.metadataEnd - index.metadataStart, metadata));
            if (!replaceManifest(channel, resized, new int[0], index, index.combined, manifestFile)) {
                return false;
            }
            record(previous, index, resized, Map.of(), index.combined, Graph.of(index), Map.of(), loadStartedNanosEpoch);
            return true;
        } catch (IOException | UncheckedIOException e) {
            throw new BatonException(ErrorCode.INTERNAL, "cannot update " + manifestFile + ": " + e.getMessage() + "; check that the folder is writable");
        }
    }

    /**
     * Writes the new manifest beside the old one and moves it into place; false, having moved
     * nothing, when the old one is not what the index describes.
     */
    private static boolean replaceManifest(FileChannel old, List<Patch> resized, int[] inPlace, CompileIndex index, byte[] combined, Path manifestFile)
            throws IOException {
        Path temporary = manifestFile.resolveSibling("manifest.json." + ProcessHandle.current().pid() + ".tmp");
        if (!writeManifest(old, resized, inPlace, index, combined, temporary)) {
            Files.deleteIfExists(temporary);
            return false;
        }
        Files.move(temporary, manifestFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /**
     * Records a patched manifest for the next compile: the index, with each value where the
     * {@code resized} patches (the metadata's among them) moved it, then the compile stamp with the
     * {@code edited} files' new stamps.
     */
    private static void record(CompileStamp.Previous previous, CompileIndex index, List<Patch> resized, Map<Integer, byte[]> bodies, byte[] combined,
            Graph graph, Map<Path, FileStamp> edited, long loadStartedNanosEpoch) {
        long[] offset = new long[index.size];
        int[] length = new int[index.size];
        moved(index.offset, index.length, resized, offset, length);
        long[] parentMapOffset = new long[index.size];
        int[] parentMapLength = new int[index.size];
        moved(index.parentMapOffset, index.parentMapLength, resized, parentMapOffset, parentMapLength);
        Path targetDir = previous.targetDir();
        long metadataEnd = index.metadataStart + resized.stream().filter(patch -> patch.offset() == index.metadataStart).findFirst().orElseThrow().bytes().length;
        index.writePatched(targetDir, FileStamp.of(targetDir.resolve("manifest.json")), metadataEnd, bodies, combined, offset, length, parentMapOffset,
                parentMapLength, graph.parentStart(), graph.parents());
        previous.rewrite(edited, loadStartedNanosEpoch);
    }

    private static Optional<ModelRerender.Upstream> upstream(CompileIndex index, int node) {
        return index.relation(node).map(relation -> new ModelRerender.Upstream(index.text(index.id, node), relation));
    }

    /**
     * The project's graph as the index holds it: node i's parents are {@code parents[parentStart[i] ..
     * parentStart[i + 1])}, positions in id order, or {@code -1 - k} for the k-th id outside the project.
     */
    private record Graph(int[] parentStart, int[] parents) {
        static Graph of(CompileIndex index) {
            return new Graph(index.parentStart, index.parents);
        }

        /** The index's graph with the given nodes' parents (by id) replaced, or empty when one of them is not a node of the index. */
        static Optional<Graph> withParents(CompileIndex index, Map<Integer, List<String>> replaced) {
            if (replaced.isEmpty()) {
                return Optional.of(of(index));
            }
            int[] parentStart = index.parentStart;
            int[] parents = index.parents;
            Map<Integer, int[]> positions = new HashMap<>();
            for (Map.Entry<Integer, List<String>> entry : replaced.entrySet()) {
                List<String> sorted = new ArrayList<>(entry.getValue());
                java.util.Collections.sort(sorted);
                int[] found = new int[sorted.size()];
                for (int i = 0; i < sorted.size(); i++) {
                    found[i] = index.find(index.id, sorted.get(i), at -> true);
                    if (found[i] < 0) {
                        return Optional.empty();
                    }
                }
                positions.put(entry.getKey(), found);
            }
            int size = parentStart.length - 1;
            int[] start = new int[size + 1];
            int count = 0;
            for (int node = 0; node < size; node++) {
                start[node] = count;
                int[] own = positions.get(node);
                count += own != null ? own.length : parentStart[node + 1] - parentStart[node];
            }
            start[size] = count;
            int[] all = new int[count];
            for (int node = 0; node < size; node++) {
                int[] own = positions.get(node);
                if (own != null) {
                    System.arraycopy(own, 0, all, start[node], own.length);
                } else {
                    System.arraycopy(parents, parentStart[node], all, start[node], parentStart[node + 1] - parentStart[node]);
                }
            }
            return Optional.of(new Graph(start, all));
        }
    }

    /** Where a node's combined hash lies in the old manifest: its entry ends with {@code "combined":"<hash>"}}. */
    private static long combinedAt(CompileIndex index, int node) {
        return index.offset[node] + index.length[node] - COMBINED_FROM_END;
    }

    /**
     * Writes the new manifest: the old one with the {@code resized} patches spliced in and each
     * {@code inPlace} node's combined hash replaced, in one pass in manifest order, a chunk at a
     * time. Answers false, having written only the temporary file, when a combined hash is not
     * where the index says (then the manifest is not the one the index describes).
     */
    private static boolean writeManifest(FileChannel old, List<Patch> resized, int[] inPlace, CompileIndex index, byte[] combined, Path temporary)
            throws IOException {
        long size = old.size();
        byte[] chunk = new byte[CHUNK];
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            long position = 0;
            int next = 0;
            int region = 0;
            while (position < size) {
                long limit = Math.min(size, position + CHUNK);
                if (next < resized.size() && resized.get(next).offset() < limit) {
                    limit = resized.get(next).offset();
                }
                // A hash and the field name before it are patched within one chunk.
                int last = region;
                while (last < inPlace.length && combinedAt(index, inPlace[last]) + 64 <= limit) {
                    last++;
                }
                if (last < inPlace.length && combinedAt(index, inPlace[last]) - COMBINED_FIELD.length < limit) {
                    limit = combinedAt(index, inPlace[last]) - COMBINED_FIELD.length;
                }
                int length = (int) (limit - position);
                ByteBuffer window = ByteBuffer.wrap(chunk, 0, length);
                while (window.hasRemaining()) {
                    if (old.read(window, position + window.position()) < 0) {
                        return false;
                    }
                }
                for (; region < last; region++) {
                    int at = (int) (combinedAt(index, inPlace[region]) - position);
                    if (!java.util.Arrays.equals(chunk, at - COMBINED_FIELD.length, at, COMBINED_FIELD, 0, COMBINED_FIELD.length)) {
                        return false;
                    }
                    Fingerprints.hexInto(combined, HASH * inPlace[region], chunk, at);
                }
                write(out, ByteBuffer.wrap(chunk, 0, length));
                position = limit;
                if (next < resized.size() && resized.get(next).offset() == position) {
                    Patch patch = resized.get(next++);
                    write(out, ByteBuffer.wrap(patch.bytes()));
                    position += patch.length();
                }
            }
            return region == inPlace.length && next == resized.size();
        }
    }

    private static void write(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
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
    /**
     * The edited nodes and every node downstream of them, each after all of its parents among them;
     * empty when some of them wait on each other (a cycle).
     */
    private static Optional<int[]> downstreamInOrder(Graph graph, int size, List<Integer> edited) {
        int[] parentStart = graph.parentStart();
        int[] parents = graph.parents();
        // Children as one array of positions, grouped by parent.
        int[] childStart = new int[size + 1];
        for (int p : parents) {
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
            for (int p = parentStart[node]; p < parentStart[node + 1]; p++) {
                int parent = parents[p];
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
            for (int p = parentStart[node]; p < parentStart[node + 1]; p++) {
                if (parents[p] >= 0 && affected[parents[p]]) {
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
        return ready < count ? Optional.empty() : Optional.of(order);
    }

    /** Computes the combined hash of each node of {@code order} into {@code combined}, level by level, each level on every core. */
    private static void recombine(CompileIndex index, Graph graph, int[] order, Map<Integer, byte[]> bodies, byte[] combined) {
        int[] level = new int[index.size];
        int levels = 0;
        for (int node : order) {
            int depth = 0;
            for (int p = graph.parentStart()[node]; p < graph.parentStart()[node + 1]; p++) {
                int parent = graph.parents()[p];
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
            (start[l + 1] - start[l] > 256 ? range.parallel() : range).forEach(i -> combine(index, graph, byLevel[i], bodies, combined));
        }
    }

    /** A text buffer per thread for {@link #combine}. */
    private static final ThreadLocal<Fingerprints.CombinedText> TEXT = ThreadLocal.withInitial(Fingerprints.CombinedText::new);

    /** One node's combined hash from its own hashes and its parents' combined ones (already updated where they changed). */
    private static void combine(CompileIndex index, Graph graph, int node, Map<Integer, byte[]> bodies, byte[] combined) {
        int own = 3 * HASH * node;
        byte[] body = bodies.get(node);
        Fingerprints.CombinedText text = TEXT.get().start(body != null ? body : index.ownHashes, body != null ? 0 : own, index.ownHashes, own + HASH,
                index.ownHashes, own + 2 * HASH);
        for (int p = graph.parentStart()[node]; p < graph.parentStart()[node + 1]; p++) {
            int parent = graph.parents()[p];
            if (parent >= 0) {
                text.parent(index.texts, index.id[2 * parent], index.id[2 * parent + 1], combined, HASH * parent);
            } else {
                int k = -1 - parent;
                text.parent(index.texts, index.outside[2 * k], index.outside[2 * k + 1], null, 0);
            }
        }
        text.hashInto(combined, HASH * node);
    }

    private static String hex(byte[] combined, int node) {
        return HEX.formatHex(combined, HASH * node, HASH * node + HASH);
    }

    /** Each value's place in the new manifest: moved by the resized patches before it, and resized by those inside it. */
    private static void moved(long[] oldOffset, int[] oldLength, List<Patch> resized, long[] offset, int[] length) {
        long[] starts = new long[resized.size()];
        long[] growth = new long[resized.size() + 1];
        for (int i = 0; i < resized.size(); i++) {
            starts[i] = resized.get(i).offset();
            growth[i + 1] = growth[i] + resized.get(i).growth();
        }
        for (int node = 0; node < oldOffset.length; node++) {
            int before = insertionPoint(starts, oldOffset[node]);
            int within = insertionPoint(starts, oldOffset[node] + oldLength[node]);
            offset[node] = oldOffset[node] + growth[before];
            length[node] = (int) (oldLength[node] + growth[within] - growth[before]);
        }
    }

    /** How many of the sorted {@code starts} are below {@code value}. */
    private static int insertionPoint(long[] starts, long value) {
        int low = 0;
        int high = starts.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (starts[middle] < value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /**
     * Writes the model's compiled file, then appends its new hash to the index of compiled files
     * (a later line for the same file wins when the index is read; the next full compile rewrites it).
     */
    private static void writeCompiled(Path targetDir, String project, String path, String sql, String hash) throws IOException {
        Path compiledRoot = targetDir.resolve("compiled");
        Path file = compiledRoot.resolve(project).resolve(path);
        Files.write(file, (sql + "\n").getBytes(StandardCharsets.UTF_8));
        Path indexFile = compiledRoot.resolve(".baton-index");
        if (Files.isRegularFile(indexFile)) {
            Files.writeString(indexFile, hash + " " + compiledRoot.relativize(file) + "\n", StandardOpenOption.APPEND);
        }
    }

    private static byte[] read(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("the manifest is shorter than its index says");
            }
        }
        return buffer.array();
    }

    /** A list of texts as the manifest writes it: {@code ["a","b"]}. */
    private static byte[] jsonArray(List<String> texts) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(64 * texts.size() + 2);
        try (com.fasterxml.jackson.core.JsonGenerator generator = JSON.createGenerator(bytes)) {
            generator.writeStartArray();
            for (String text : texts) {
                generator.writeString(text);
            }
            generator.writeEndArray();
        }
        return bytes.toByteArray();
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

    /**
     * The values of a model's entry that an edit changes (the last, {@code depends_on.nodes}, an
     * array), and its raw code and dependencies as the last compile wrote them.
     */
    private record Fields(String rawCode, List<String> dependsOn, Span raw, Span compiled, Span checksum, Span body, Span combined, Span dependsOnArray) {
        static Optional<Fields> of(byte[] member) throws IOException {
            Map<String, Span> spans = new HashMap<>();
            String raw = null;
            List<String> dependsOn = null;
            int arrayStart = -1;
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
                        } else if (depth == 2 && token == JsonToken.START_ARRAY && object.equals("depends_on") && "nodes".equals(parser.getCurrentName())) {
                            arrayStart = (int) parser.getTokenLocation().getByteOffset();
                            dependsOn = new ArrayList<>();
                        }
                        depth++;
                    } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                        depth--;
                        if (depth == 2 && token == JsonToken.END_ARRAY && arrayStart >= 0 && !spans.containsKey("depends_on.nodes")) {
                            int end = (int) parser.getCurrentLocation().getByteOffset();
                            if (member[arrayStart] != '[' || member[end - 1] != ']') {
                                return Optional.empty();
                            }
                            spans.put("depends_on.nodes", new Span(arrayStart, end));
                        }
                    } else if (token == JsonToken.VALUE_STRING && depth == 3 && dependsOn != null && !spans.containsKey("depends_on.nodes")) {
                        dependsOn.add(parser.getText());
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
            if (raw == null || spans.size() != 6) {
                return Optional.empty();
            }
            return Optional.of(new Fields(raw, dependsOn, spans.get("raw_code"), spans.get("compiled_code"), spans.get("checksum.checksum"),
                    spans.get("baton_fingerprint.body"), spans.get("baton_fingerprint.combined"), spans.get("depends_on.nodes")));
        }
    }
}
