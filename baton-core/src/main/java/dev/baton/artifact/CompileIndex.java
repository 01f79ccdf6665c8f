package dev.baton.artifact;

import dev.baton.api.engine.Relation;
import dev.baton.api.event.Fingerprint;
import dev.baton.plan.Fingerprints;
import dev.baton.project.Materialization;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ProjectInputs.FileStamp;
import dev.baton.project.ResourceType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the last compile wrote for each node, kept in {@code target/compile_index.bin} beside the
 * manifest it describes: the node's kind, name, file, materialization and relation, its
 * fingerprint as raw hashes, its parents (by position, in name order, as the combined hash chains
 * them), and where its value and its {@code parent_map} entry lie in {@code manifest.json}. With it,
 * a compile after an edit to a model's SQL rewrites only what the edit changed (see {@link DeltaCompile}).
 *
 * <p>Column by column, little-endian: reading it is a few bulk copies into arrays, and a compile
 * that patches the manifest writes it back as a copy of what did not change (the texts, the graph,
 * the own hashes) followed by the columns that did (combined hashes, places in the manifest).
 */
final class CompileIndex {
    static final String FILE = "compile_index.bin";
    static final int HASH = 32;
    private static final int FORMAT = 5;
    /** Bytes of the fixed header: format, manifest stamp, metadata span, then four counts. */
    private static final int HEADER = 4 + 16 + 16 + 4 * 4;

    /** The stamp of the manifest this index describes; any other manifest makes it void. */
    final FileStamp manifest;
    /** Where the manifest's {@code metadata} value lies. */
    final long metadataStart;
    final long metadataEnd;
    final String projectName;
    final String targetName;
    final String adapterType;
    final int size;
    /** Every text, UTF-8; the columns below give each node's (offset, length) in it. */
    final byte[] texts;
    final int[] id;
    final int[] name;
    final int[] path;
    /** Schema and identifier, or -1 offsets for a node without a relation. */
    final int[] schema;
    final int[] identifier;
    final byte[] type;
    final byte[] materialized;
    /** Node i's parents are {@code parents[parentStart[i] .. parentStart[i + 1])}: positions, or {@code -1 - k} for the k-th outside id. */
    final int[] parentStart;
    final int[] parents;
    /** Ids of parents that are not nodes of the project, as (offset, length) pairs into {@link #texts}. */
    final int[] outside;
    /** Body, config and contract hashes, {@code 3 * HASH} bytes per node. */
    final byte[] ownHashes;
    /** Combined hashes, {@code HASH} bytes per node. */
    final byte[] combined;
    final long[] offset;
    final int[] length;
    /** Where each node's value in the manifest's {@code parent_map} lies. */
    final long[] parentMapOffset;
    final int[] parentMapLength;
    /** Where the own hashes and the combined hashes start in the file (-1 for an index not read from one). */
    private final long ownHashesAt;
    private final long combinedAt;

    private CompileIndex(FileStamp manifest, long metadataStart, long metadataEnd, String projectName, String targetName, String adapterType, int size,
            byte[] texts, int[] id, int[] name, int[] path, int[] schema, int[] identifier, byte[] type, byte[] materialized, int[] parentStart,
            int[] parents, int[] outside, byte[] ownHashes, byte[] combined, long[] offset, int[] length, long[] parentMapOffset, int[] parentMapLength,
            long ownHashesAt, long combinedAt) {
        this.manifest = manifest;
        this.metadataStart = metadataStart;
        this.metadataEnd = metadataEnd;
        this.projectName = projectName;
        this.targetName = targetName;
        this.adapterType = adapterType;
        this.size = size;
        this.texts = texts;
        this.id = id;
        this.name = name;
        this.path = path;
        this.schema = schema;
        this.identifier = identifier;
        this.type = type;
        this.materialized = materialized;
        this.parentStart = parentStart;
        this.parents = parents;
        this.outside = outside;
        this.ownHashes = ownHashes;
        this.combined = combined;
        this.offset = offset;
        this.length = length;
        this.parentMapOffset = parentMapOffset;
        this.parentMapLength = parentMapLength;
        this.ownHashesAt = ownHashesAt;
        this.combinedAt = combinedAt;
    }

    /**
     * All of the index of {@code project} but where its manifest puts things: it can be made while
     * the manifest is written, and written once the manifest is.
     */
    static Prepared prepare(Project project) {
        Fingerprints fingerprints = Fingerprints.of(project).computeAll();
        List<Node> nodes = List.copyOf(project.nodes().values());
        int size = nodes.size();
        Map<String, Integer> positions = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            positions.put(nodes.get(i).uniqueId(), i);
        }
        Texts texts = new Texts();
        int[] id = new int[2 * size];
        int[] name = new int[2 * size];
        int[] path = new int[2 * size];
        int[] schema = new int[2 * size];
        int[] identifier = new int[2 * size];
        byte[] type = new byte[size];
        byte[] materialized = new byte[size];
        byte[] own = new byte[3 * HASH * size];
        byte[] combined = new byte[HASH * size];
        int[] parentStart = new int[size + 1];
        List<Integer> parents = new ArrayList<>();
        List<Integer> outside = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Node node = nodes.get(i);
            texts.add(node.uniqueId(), id, i);
            texts.add(node.name(), name, i);
            texts.add(node.path(), path, i);
            if (node.relation().isPresent()) {
                texts.add(node.relation().get().schema(), schema, i);
                texts.add(node.relation().get().identifier(), identifier, i);
            } else {
                schema[2 * i] = -1;
                identifier[2 * i] = -1;
            }
            type[i] = (byte) node.resourceType().ordinal();
            materialized[i] = (byte) node.config().materialized().ordinal();
            Fingerprint fingerprint = fingerprints.get(node.uniqueId());
            Fingerprints.parseHexInto(fingerprint.body(), own, 3 * HASH * i);
            Fingerprints.parseHexInto(fingerprint.config(), own, 3 * HASH * i + HASH);
            Fingerprints.parseHexInto(fingerprint.contract(), own, 3 * HASH * i + 2 * HASH);
            Fingerprints.parseHexInto(fingerprint.combined(), combined, HASH * i);
            parentStart[i] = parents.size();
            List<String> sorted = new ArrayList<>(node.dependsOn());
            java.util.Collections.sort(sorted);
            for (String parent : sorted) {
                Integer position = positions.get(parent);
                if (position != null) {
                    parents.add(position);
                } else {
                    int[] pair = new int[2];
                    texts.add(parent, pair, 0);
                    outside.add(pair[0]);
                    outside.add(pair[1]);
                    parents.add(-1 - (outside.size() / 2 - 1));
                }
            }
        }
        parentStart[size] = parents.size();
        return new Prepared(project, nodes, texts.bytes(), id, name, path, schema, identifier, type, materialized, parentStart,
                parents.stream().mapToInt(Integer::intValue).toArray(), outside.stream().mapToInt(Integer::intValue).toArray(), own, combined);
    }

    /** An index but for the places in the manifest; see {@link #prepare}. */
    record Prepared(Project project, List<Node> nodes, byte[] texts, int[] id, int[] name, int[] path, int[] schema, int[] identifier, byte[] type,
            byte[] materialized, int[] parentStart, int[] parents, int[] outside, byte[] own, byte[] combined) {
        /** Writes the index of the manifest just written with {@code layout}; when it cannot, removes any old one. */
        void write(Artifacts.ManifestLayout layout) {
            int size = nodes.size();
            long[] offset = new long[size];
            int[] length = new int[size];
            long[] parentMapOffset = new long[size];
            int[] parentMapLength = new int[size];
            for (int i = 0; i < size; i++) {
                String uniqueId = nodes.get(i).uniqueId();
                long[] span = layout.members().get(uniqueId);
                offset[i] = span[0];
                length[i] = (int) span[1];
                long[] parentSpan = layout.parents().get(uniqueId);
                parentMapOffset[i] = parentSpan[0];
                parentMapLength[i] = (int) parentSpan[1];
            }
            Path targetDir = project.targetDir();
            FileStamp manifest = FileStamp.of(targetDir.resolve("manifest.json"));
            new CompileIndex(manifest, layout.metadataStart(), layout.metadataEnd(), project.name(), project.target().name(), project.target().type(), size,
                    texts, id, name, path, schema, identifier, type, materialized, parentStart, parents, outside, own, combined, offset, length,
                    parentMapOffset, parentMapLength, -1, -1).writeTo(targetDir);
        }
    }

    /** Writes this index as a whole; when it is too large for one buffer, removes any old one. */
    private void writeTo(Path targetDir) {
        byte[][] names = {projectName.getBytes(StandardCharsets.UTF_8), targetName.getBytes(StandardCharsets.UTF_8), adapterType.getBytes(StandardCharsets.UTF_8)};
        int namesLength = 12 + names[0].length + names[1].length + names[2].length;
        long bytes = HEADER + namesLength + texts.length + 40L * size + 2L * size + 4L * (size + 1) + 4L * parents.length + 4L * outside.length
                + 3L * HASH * size + (long) HASH * size + 2 * 12L * size;
        if (bytes >= Integer.MAX_VALUE) {
            forget(targetDir);
            return;
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(FORMAT).putLong(manifest.size()).putLong(manifest.modifiedNanos()).putLong(metadataStart).putLong(metadataEnd);
        out.putInt(size).putInt(texts.length).putInt(parents.length).putInt(outside.length);
        for (byte[] text : names) {
            out.putInt(text.length).put(text);
        }
        out.put(texts);
        for (int[] column : List.of(id, name, path, schema, identifier)) {
            ints(out, column);
        }
        out.put(type).put(materialized);
        ints(out, parentStart);
        ints(out, parents);
        ints(out, outside);
        out.put(ownHashes).put(combined);
        places(out, offset, length, parentMapOffset, parentMapLength);
        replace(targetDir, temporary -> Files.write(temporary, out.array()));
    }

    /** The columns after the combined hashes: where each node's value and its parent_map entry lie. */
    private static void places(ByteBuffer out, long[] offset, int[] length, long[] parentMapOffset, int[] parentMapLength) {
        longs(out, offset);
        ints(out, length);
        longs(out, parentMapOffset);
        ints(out, parentMapLength);
    }

    /** Texts appended to one block, each recorded as (offset, length) in a column. */
    private static final class Texts {
        private final ByteArrayOutputStream block = new ByteArrayOutputStream(1 << 16);

        void add(String text, int[] column, int row) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            column[2 * row] = block.size();
            column[2 * row + 1] = bytes.length;
            block.write(bytes, 0, bytes.length);
        }

        byte[] bytes() {
            return block.toByteArray();
        }
    }

    /** The index in {@code targetDir}, when there is one, readable, and describing the manifest there now. */
    static Optional<CompileIndex> read(Path targetDir) {
        try (FileChannel channel = FileChannel.open(targetDir.resolve(FILE), StandardOpenOption.READ)) {
            if (channel.size() < HEADER || channel.size() >= Integer.MAX_VALUE) {
                return Optional.empty();
            }
            ByteBuffer in = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN);
            if (in.getInt() != FORMAT) {
                return Optional.empty();
            }
            FileStamp manifest = new FileStamp(in.getLong(), in.getLong());
            if (!manifest.equals(FileStamp.of(targetDir.resolve("manifest.json")))) {
                return Optional.empty();
            }
            long metadataStart = in.getLong();
            long metadataEnd = in.getLong();
            int size = in.getInt();
            int textsLength = in.getInt();
            int parentsLength = in.getInt();
            int outsideLength = in.getInt();
            String projectName = string(in);
            String targetName = string(in);
            String adapterType = string(in);
            byte[] texts = bytes(in, textsLength);
            int[] id = ints(in, 2 * size);
            int[] name = ints(in, 2 * size);
            int[] path = ints(in, 2 * size);
            int[] schema = ints(in, 2 * size);
            int[] identifier = ints(in, 2 * size);
            byte[] type = new byte[size];
            in.get(type);
            byte[] materialized = new byte[size];
            in.get(materialized);
            int[] parentStart = ints(in, size + 1);
            int[] parents = ints(in, parentsLength);
            int[] outside = ints(in, outsideLength);
            long ownHashesAt = in.position();
            byte[] own = bytes(in, 3 * HASH * size);
            long combinedAt = in.position();
            byte[] combined = bytes(in, HASH * size);
            long[] offset = longs(in, size);
            int[] length = ints(in, size);
            long[] parentMapOffset = longs(in, size);
            int[] parentMapLength = ints(in, size);
            return Optional.of(new CompileIndex(manifest, metadataStart, metadataEnd, projectName, targetName, adapterType, size, texts, id, name, path,
                    schema, identifier, type, materialized, parentStart, parents, outside, own, combined, offset, length, parentMapOffset, parentMapLength,
                    ownHashesAt, combinedAt));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes this index for a patched manifest: the same texts and config and contract hashes, with
     * {@code bodies} (node to its new body hash), the new combined hashes and places, and the graph
     * {@code parentStart}/{@code parents} (this index's own arrays when no edit changed a model's dependencies).
     */
    void writePatched(Path targetDir, FileStamp newManifest, long newMetadataEnd, Map<Integer, byte[]> bodies, byte[] newCombined, long[] newOffset,
            int[] newLength, long[] newParentMapOffset, int[] newParentMapLength, int[] newParentStart, int[] newParents) {
        if (newParents != parents) {
            // The graph's columns change size: the whole index is written again.
            byte[] own = ownHashes.clone();
            bodies.forEach((node, body) -> System.arraycopy(body, 0, own, 3 * HASH * node, HASH));
            new CompileIndex(newManifest, metadataStart, newMetadataEnd, projectName, targetName, adapterType, size, texts, id, name, path, schema, identifier,
                    type, materialized, newParentStart, newParents, outside, own, newCombined, newOffset, newLength, newParentMapOffset, newParentMapLength, -1, -1)
                    .writeTo(targetDir);
            return;
        }
        replace(targetDir, temporary -> {
            try (FileChannel from = FileChannel.open(targetDir.resolve(FILE), StandardOpenOption.READ);
                    FileChannel to = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                long done = 0;
                while (done < combinedAt) {
                    done += from.transferTo(done, combinedAt - done, to);
                }
                ByteBuffer tail = ByteBuffer.allocate(HASH * size + 2 * 12 * size).order(ByteOrder.LITTLE_ENDIAN);
                tail.put(newCombined);
                places(tail, newOffset, newLength, newParentMapOffset, newParentMapLength);
                write(to, tail.flip(), combinedAt);
                ByteBuffer header = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
                header.putLong(newManifest.size()).putLong(newManifest.modifiedNanos()).putLong(metadataStart).putLong(newMetadataEnd);
                write(to, header.flip(), 4);
                for (Map.Entry<Integer, byte[]> body : bodies.entrySet()) {
                    write(to, ByteBuffer.wrap(body.getValue()), ownHashesAt + 3L * HASH * body.getKey());
                }
            }
        });
    }

    private interface Writing {
        void into(Path temporary) throws IOException;
    }

    /** Writes a temporary file and moves it over the index; on failure removes the index, so the next compile is a full one. */
    private static void replace(Path targetDir, Writing writing) {
        Path temporary = targetDir.resolve(FILE + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            writing.into(temporary);
            Files.move(temporary, targetDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            forget(targetDir);
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // a stray temporary file is overwritten by the next compile of this process id
            }
        }
    }

    /** Removes the index, so the next compile is a full one. */
    static void forget(Path targetDir) {
        try {
            Files.deleteIfExists(targetDir.resolve(FILE));
        } catch (IOException e) {
            // an index whose manifest stamp no longer matches is ignored anyway
        }
    }

    private static void write(FileChannel to, ByteBuffer bytes, long at) throws IOException {
        long position = at;
        while (bytes.hasRemaining()) {
            position += to.write(bytes, position);
        }
    }

    private static String string(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer in, int count) {
        byte[] bytes = new byte[count];
        in.get(bytes);
        return bytes;
    }

    private static int[] ints(ByteBuffer in, int count) {
        int[] ints = new int[count];
        in.asIntBuffer().get(ints);
        in.position(in.position() + 4 * count);
        return ints;
    }

    private static long[] longs(ByteBuffer in, int count) {
        long[] longs = new long[count];
        in.asLongBuffer().get(longs);
        in.position(in.position() + 8 * count);
        return longs;
    }

    private static void longs(ByteBuffer out, long[] column) {
        out.asLongBuffer().put(column);
        out.position(out.position() + 8 * column.length);
    }

    private static void ints(ByteBuffer out, int[] column) {
        out.asIntBuffer().put(column);
        out.position(out.position() + 4 * column.length);
    }

    // Reading one node.

    String text(int[] column, int node) {
        return new String(texts, column[2 * node], column[2 * node + 1], StandardCharsets.UTF_8);
    }

    ResourceType type(int node) {
        return ResourceType.values()[type[node]];
    }

    Materialization materialized(int node) {
        return Materialization.values()[materialized[node]];
    }

    Optional<Relation> relation(int node) {
        return schema[2 * node] < 0 ? Optional.empty() : Optional.of(new Relation(text(schema, node), text(identifier, node)));
    }

    /** The first node whose text in {@code column} is {@code wanted} and that {@code accepts}, or -1. */
    int find(int[] column, String wanted, java.util.function.IntPredicate accepts) {
        byte[] bytes = wanted.getBytes(StandardCharsets.UTF_8);
        for (int node = 0; node < size; node++) {
            if (column[2 * node + 1] == bytes.length && accepts.test(node)
                    && java.util.Arrays.equals(texts, column[2 * node], column[2 * node] + bytes.length, bytes, 0, bytes.length)) {
                return node;
            }
        }
        return -1;
    }
}
