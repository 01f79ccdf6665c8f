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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the last compile wrote for each node, kept in {@code target/compile_index.bin} beside the
 * manifest it describes: the node's kind, name, file, materialization and relation, its
 * fingerprint as raw hashes, its parents (by position, in name order, as the combined hash chains
 * them), and where its value lies in {@code manifest.json}. With it, a compile after an edit to a
 * model's SQL rewrites only what the edit changed (see {@link DeltaCompile}).
 *
 * <p>Column by column, so that reading and rewriting it is a few array copies: the texts are one
 * block of UTF-8, each node points into it, and a compile that patches the manifest writes the block
 * back unchanged.
 */
final class CompileIndex {
    static final String FILE = "compile_index.bin";
    private static final int FORMAT = 2;
    private static final int HASH = 32;
    private static final HexFormat HEX = HexFormat.of();

    /** The stamp of the manifest this index describes; any other manifest makes it void. */
    final FileStamp manifest;
    final String projectName;
    final String targetName;
    final String adapterType;
    /** Where the manifest's {@code metadata} value lies. */
    final long metadataStart;
    final long metadataEnd;
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
    /** Body, config, contract and combined hashes, {@code 4 * HASH} bytes per node. */
    final byte[] hashes;
    final long[] offset;
    final int[] length;
    /** Node i's parents are {@code parents[parentStart[i] .. parentStart[i + 1])}: positions, or {@code -1 - k} for the k-th outside id. */
    final int[] parentStart;
    final int[] parents;
    /** Ids of parents that are not nodes of the project, as (offset, length) pairs into {@link #texts}. */
    final int[] outside;

    private CompileIndex(FileStamp manifest, String projectName, String targetName, String adapterType, long metadataStart, long metadataEnd, int size,
            byte[] texts, int[] id, int[] name, int[] path, int[] schema, int[] identifier, byte[] type, byte[] materialized, byte[] hashes, long[] offset,
            int[] length, int[] parentStart, int[] parents, int[] outside) {
        this.manifest = manifest;
        this.projectName = projectName;
        this.targetName = targetName;
        this.adapterType = adapterType;
        this.metadataStart = metadataStart;
        this.metadataEnd = metadataEnd;
        this.size = size;
        this.texts = texts;
        this.id = id;
        this.name = name;
        this.path = path;
        this.schema = schema;
        this.identifier = identifier;
        this.type = type;
        this.materialized = materialized;
        this.hashes = hashes;
        this.offset = offset;
        this.length = length;
        this.parentStart = parentStart;
        this.parents = parents;
        this.outside = outside;
    }

    /** The same index after a compile that patched the manifest: new places, new hashes, the new manifest's stamp. */
    CompileIndex patched(FileStamp newManifest, long newMetadataEnd, long[] newOffset, int[] newLength, byte[] newHashes) {
        return new CompileIndex(newManifest, projectName, targetName, adapterType, metadataStart, newMetadataEnd, size, texts, id, name, path, schema,
                identifier, type, materialized, newHashes, newOffset, newLength, parentStart, parents, outside);
    }

    /** The index of a manifest just written for {@code project}. */
    static CompileIndex of(Project project, Artifacts.ManifestLayout layout) {
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
        byte[] hashes = new byte[4 * HASH * size];
        long[] offset = new long[size];
        int[] length = new int[size];
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
            int at = 4 * HASH * i;
            for (String hash : List.of(fingerprint.body(), fingerprint.config(), fingerprint.contract(), fingerprint.combined())) {
                System.arraycopy(HEX.parseHex(hash), 0, hashes, at, HASH);
                at += HASH;
            }
            long[] span = layout.members().get(node.uniqueId());
            offset[i] = span[0];
            length[i] = (int) span[1];
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
        return new CompileIndex(FileStamp.of(project.targetDir().resolve("manifest.json")), project.name(), project.target().name(), project.target().type(),
                layout.metadataStart(), layout.metadataEnd(), size, texts.bytes(), id, name, path, schema, identifier, type, materialized, hashes, offset, length,
                parentStart, parents.stream().mapToInt(Integer::intValue).toArray(), outside.stream().mapToInt(Integer::intValue).toArray());
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
        try {
            ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(targetDir.resolve(FILE)));
            if (in.getInt() != FORMAT) {
                return Optional.empty();
            }
            FileStamp manifest = new FileStamp(in.getLong(), in.getLong());
            if (!manifest.equals(FileStamp.of(targetDir.resolve("manifest.json")))) {
                return Optional.empty();
            }
            String projectName = string(in);
            String targetName = string(in);
            String adapterType = string(in);
            long metadataStart = in.getLong();
            long metadataEnd = in.getLong();
            int size = in.getInt();
            byte[] texts = bytes(in, in.getInt());
            int[] id = ints(in, 2 * size);
            int[] name = ints(in, 2 * size);
            int[] path = ints(in, 2 * size);
            int[] schema = ints(in, 2 * size);
            int[] identifier = ints(in, 2 * size);
            byte[] type = bytes(in, size);
            byte[] materialized = bytes(in, size);
            byte[] hashes = bytes(in, 4 * HASH * size);
            long[] offset = new long[size];
            in.asLongBuffer().get(offset);
            in.position(in.position() + 8 * size);
            int[] length = ints(in, size);
            int[] parentStart = ints(in, size + 1);
            int[] parents = ints(in, parentStart[size]);
            int[] outside = ints(in, in.getInt());
            return Optional.of(new CompileIndex(manifest, projectName, targetName, adapterType, metadataStart, metadataEnd, size, texts, id, name, path,
                    schema, identifier, type, materialized, hashes, offset, length, parentStart, parents, outside));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Writes the index into {@code targetDir}; when it cannot, removes the old one (the next compile is then a full one). */
    void write(Path targetDir) {
        Path file = targetDir.resolve(FILE);
        Path temporary = targetDir.resolve(FILE + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            byte[][] names = {projectName.getBytes(StandardCharsets.UTF_8), targetName.getBytes(StandardCharsets.UTF_8),
                    adapterType.getBytes(StandardCharsets.UTF_8)};
            int bytes = 4 + 16 + 12 + names[0].length + names[1].length + names[2].length + 16 + 4 + 4 + texts.length + 4 * 10 * size + 2 * size
                    + hashes.length + 8 * size + 4 * size + 4 * (size + 1) + 4 * parents.length + 4 + 4 * outside.length;
            ByteBuffer out = ByteBuffer.allocate(bytes);
            out.putInt(FORMAT).putLong(manifest.size()).putLong(manifest.modifiedNanos());
            for (byte[] text : names) {
                out.putInt(text.length).put(text);
            }
            out.putLong(metadataStart).putLong(metadataEnd).putInt(size).putInt(texts.length).put(texts);
            for (int[] column : List.of(id, name, path, schema, identifier)) {
                out.asIntBuffer().put(column);
                out.position(out.position() + 4 * column.length);
            }
            out.put(type).put(materialized).put(hashes);
            out.asLongBuffer().put(offset);
            out.position(out.position() + 8 * size);
            for (int[] column : List.of(length, parentStart, parents)) {
                out.asIntBuffer().put(column);
                out.position(out.position() + 4 * column.length);
            }
            out.putInt(outside.length);
            out.asIntBuffer().put(outside);
            Files.write(temporary, out.array());
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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

    private static String string(ByteBuffer in) {
        return new String(bytes(in, in.getInt()), StandardCharsets.UTF_8);
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

    // Reading one node.

    String text(int[] column, int node) {
        return new String(texts, column[2 * node], column[2 * node + 1], StandardCharsets.UTF_8);
    }

    /** Whether node's text in {@code column} is {@code wanted} (as UTF-8). */
    boolean textEquals(int[] column, int node, byte[] wanted) {
        return java.util.Arrays.equals(texts, column[2 * node], column[2 * node] + column[2 * node + 1], wanted, 0, wanted.length);
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

    /** Hash {@code which} (0 body, 1 config, 2 contract, 3 combined) of a node. */
    byte[] hash(int node, int which) {
        int at = 4 * HASH * node + HASH * which;
        return java.util.Arrays.copyOfRange(hashes, at, at + HASH);
    }

    /** The first node whose text in {@code column} is {@code wanted} and that {@code accepts}, or -1. */
    int find(int[] column, String wanted, java.util.function.IntPredicate accepts) {
        byte[] bytes = wanted.getBytes(StandardCharsets.UTF_8);
        for (int node = 0; node < size; node++) {
            if (column[2 * node + 1] == bytes.length && accepts.test(node) && textEquals(column, node, bytes)) {
                return node;
            }
        }
        return -1;
    }
}
