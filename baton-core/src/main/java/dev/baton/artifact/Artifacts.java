package dev.baton.artifact;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ResourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes the files other tools read after a command: {@code target/manifest.json} and the compiled
 * SQL under {@code target/compiled/}. Each JSON artifact carries a {@code schema_version}
 * documented in docs/artifacts.md.
 */
public final class Artifacts {
    public static final String MANIFEST_SCHEMA = "https://baton.dev/schemas/manifest/v1.json";
    public static final String RUN_RESULTS_SCHEMA = "https://baton.dev/schemas/run-results/v1.json";

    /** Created on first use, so commands that write no JSON (such as --version) never pay for it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    private Artifacts() {}

    /** The version of Baton, from the jar manifest when packaged. */
    public static String batonVersion() {
        String version = Artifacts.class.getPackage().getImplementationVersion();
        return version == null ? "0.1.0-SNAPSHOT" : version;
    }

    /**
     * This build of Baton: its version and where its code was loaded from, with that file's size and
     * modification time. What a compile keeps for the next one (the partial-parse cache, the compile
     * stamp) is keyed by it, so a new build, even of the same version, parses and compiles again.
     */
    public static String buildIdentity() {
        return BuildIdentity.VALUE;
    }

    private static final class BuildIdentity {
        static final String VALUE = compute();

        private BuildIdentity() {}

        private static String compute() {
            String code;
            try {
                java.security.CodeSource source = Artifacts.class.getProtectionDomain().getCodeSource();
                Path location = Path.of(source.getLocation().toURI());
                code = location + "@" + dev.baton.project.ProjectInputs.FileStamp.of(location);
            } catch (java.net.URISyntaxException | RuntimeException e) {
                // Unknown: nothing kept by another process can be trusted to come from this build.
                code = "unknown-" + java.util.UUID.randomUUID();
            }
            return batonVersion() + '\u0000' + code;
        }
    }

    /** Where a node's compiled SQL goes: {@code target/compiled/<project>/<path>} (generic tests: under their YAML file). */
    public static Path compiledPath(Project project, Node node) {
        Path base = project.targetDir().resolve("compiled").resolve(project.name());
        if (node.resourceType() == ResourceType.TEST && node.testMetadata().isPresent()) {
            return base.resolve(node.path()).resolve(node.name() + ".sql");
        }
        return base.resolve(node.path());
    }

    /**
     * Writes every compiled model and test to {@code target/compiled/}, in parallel. An index of
     * what was written last time ({@code target/compiled/.baton-index}) lets a file whose content
     * did not change stay untouched without reading it: rewriting or re-reading tens of thousands
     * of unchanged files costs more than compiling them.
     */
    /**
     * Writes each model's and test's compiled SQL under {@code target/compiled/}, skipping files
     * whose SQL is unchanged (by the index kept beside them) and still there. Returns the folders
     * that hold compiled files.
     */
    public static java.util.Set<Path> writeCompiled(Project project) {
        Path compiledRoot = project.targetDir().resolve("compiled");
        Path indexFile = compiledRoot.resolve(".baton-index");
        Map<String, String> previous = readIndex(indexFile);
        Map<Path, Node> nodeByPath = new java.util.LinkedHashMap<>();
        for (Node node : project.nodes().values()) {
            if (node.resourceType() == ResourceType.MODEL || node.resourceType() == ResourceType.TEST || node.resourceType() == ResourceType.SNAPSHOT) {
                nodeByPath.put(compiledPath(project, node), node);
            }
        }
        // The hash of each compiled SQL is its fingerprint's body, which the manifest and the runner hash anyway.
        dev.baton.plan.Fingerprints fingerprints = dev.baton.plan.Fingerprints.of(project);
        Map<String, String> written = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Set<Path> directories = new java.util.LinkedHashSet<>();
        directories.add(compiledRoot);
        try {
            Files.createDirectories(compiledRoot);
            nodeByPath.keySet().forEach(path -> directories.add(path.getParent()));
            // One listing per folder tells which files are there, instead of a look-up per file.
            Map<Path, java.util.Set<String>> present = new java.util.concurrent.ConcurrentHashMap<>();
            directories.parallelStream().forEach(directory -> {
                try {
                    Files.createDirectories(directory);
                    java.util.Set<String> names = new java.util.HashSet<>();
                    try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                        entries.forEach(entry -> names.add(entry.getFileName().toString()));
                    }
                    present.put(directory, names);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            nodeByPath.entrySet().parallelStream().forEach(entry -> {
                Path path = entry.getKey();
                String sql = entry.getValue().compiledSql();
                String key = compiledRoot.relativize(path).toString();
                String hash = sql.isEmpty() ? dev.baton.plan.Fingerprints.sha256(sql) : fingerprints.bodyHash(entry.getValue());
                if (!hash.equals(previous.get(key)) || !present.get(path.getParent()).contains(path.getFileName().toString())) {
                    try {
                        Files.write(path, (sql + "\n").getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                written.put(key, hash);
            });
            StringBuilder index = new StringBuilder(written.size() * 100);
            written.forEach((key, hash) -> index.append(hash).append(' ').append(key).append('\n'));
            Files.writeString(indexFile, index);
        } catch (IOException | UncheckedIOException e) {
            throw new BatonException(ErrorCode.INTERNAL, "cannot write compiled SQL under " + project.targetDir() + ": " + e.getMessage()
                    + "; check that the folder is writable");
        }
        return java.util.Collections.unmodifiableSet(directories);
    }

    /** The index of compiled files: a hash and a path per line; a later line for the same path wins. */
    private static Map<String, String> readIndex(Path indexFile) {
        Map<String, String> index = new java.util.HashMap<>();
        try {
            for (String line : Files.readAllLines(indexFile)) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    index.put(line.substring(space + 1), line.substring(0, space));
                }
            }
        } catch (IOException missing) {
            // First compile into this folder.
        }
        return index;
    }

    /**
     * Writes a compile's outputs in full: the manifest, the compiled files and, when {@code
     * remember}, the index a later compile patches the manifest by ({@link DeltaCompile}). The
     * manifest is written on the calling thread, which takes part in its parallel steps; the
     * compiled files and the index are made beside it, and only the index's places in the manifest
     * wait for the manifest. Returns the folders that hold compiled files.
     */
    public static java.util.Set<Path> writeInFull(Project project, String invocationId, boolean remember) {
        // Held until the end: the manifest, the compiled files and the index find these fingerprints by the project.
        dev.baton.plan.Fingerprints fingerprints = dev.baton.plan.Fingerprints.of(project);
        java.util.concurrent.CompletableFuture<java.util.Set<Path>> compiled = java.util.concurrent.CompletableFuture.supplyAsync(() -> writeCompiled(project));
        java.util.concurrent.CompletableFuture<CompileIndex.Prepared> index = remember
                ? java.util.concurrent.CompletableFuture.supplyAsync(() -> CompileIndex.prepare(project))
                : java.util.concurrent.CompletableFuture.completedFuture(null);
        try {
            ManifestLayout layout = writeManifest(project, invocationId);
            if (remember) {
                join(index).write(layout);
            }
        } catch (RuntimeException e) {
            // Nothing goes on writing behind the error.
            compiled.handle((folders, failure) -> null).join();
            index.handle((prepared, failure) -> null).join();
            throw e;
        }
        java.util.Set<Path> folders = join(compiled);
        java.lang.ref.Reference.reachabilityFence(fingerprints);
        return folders;
    }

    /** Waits for background work, rethrowing its failure as it was thrown. */
    private static <V> V join(java.util.concurrent.CompletableFuture<V> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Writes {@code target/manifest.json}; returns where each part of it was written. */
    public static ManifestLayout writeManifest(Project project, String invocationId) {
        List<Node> nodes = List.copyOf(project.nodes().values());
        dev.baton.plan.Fingerprints fingerprints = dev.baton.plan.Fingerprints.of(project).computeAll();
        com.fasterxml.jackson.databind.ObjectWriter writer = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);
        Map<String, long[]> spans = new java.util.HashMap<>(nodes.size() * 2);
        Map<String, long[]> parentSpans = new java.util.HashMap<>(nodes.size() * 2);
        long[] metadataSpan = new long[2];
        writeAtomically(project.targetDir().resolve("manifest.json"), stream -> {
            Counting out = new Counting(stream);
            out.write(bytes("{\"metadata\":"));
            metadataSpan[0] = out.count;
            out.write(metadata(project, invocationId));
            metadataSpan[1] = out.count;
            for (boolean sources : new boolean[] {false, true}) {
                out.write(bytes(sources ? ",\"sources\":{" : ",\"nodes\":{"));
                List<Node> part = nodes.stream().filter(node -> (node.resourceType() == ResourceType.SOURCE) == sources).toList();
                writeMembers(out, part, node -> NodeJson.write(node, fingerprints), spans);
                out.write('}');
            }
            out.write(bytes(",\"docs\":"));
            out.write(writer.writeValueAsBytes(project.docs()));
            out.write(bytes(",\"parent_map\":{"));
            writeMembers(out, nodes, node -> writer.writeValueAsBytes(node.dependsOn()), parentSpans);
            out.write(bytes("}}"));
        });
        return new ManifestLayout(metadataSpan[0], metadataSpan[1], spans, parentSpans);
    }

    /**
     * Where the parts of a manifest lie, in bytes from its start: the value of {@code metadata},
     * each node's and source's value (offset, length) by unique id, and each one's value in {@code parent_map}.
     */
    public record ManifestLayout(long metadataStart, long metadataEnd, Map<String, long[]> members, Map<String, long[]> parents) {}

    /** The manifest's {@code metadata} value, as compact JSON. */
    static byte[] metadata(Project project, String invocationId) throws IOException {
        return metadata(project.name(), project.target().name(), project.target().type(), invocationId);
    }

    /** With the streaming generator: a compile after an edit writes only this and never needs an object mapper. */
    static byte[] metadata(String projectName, String targetName, String adapterType, String invocationId) throws IOException {
        com.fasterxml.jackson.core.util.ByteArrayBuilder bytes = new com.fasterxml.jackson.core.util.ByteArrayBuilder(512);
        try (JsonGenerator json = Streaming.FACTORY.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("schema_version", MANIFEST_SCHEMA);
            json.writeStringField("baton_version", batonVersion());
            json.writeStringField("generated_at", Instant.now().toString());
            json.writeStringField("invocation_id", invocationId);
            json.writeStringField("project_name", projectName);
            json.writeStringField("target", targetName);
            json.writeStringField("adapter_type", adapterType);
            json.writeEndObject();
        }
        return bytes.toByteArray();
    }

    /** Jackson's streaming factory alone, without the object mapper's start-up. */
    static final class Streaming {
        static final com.fasterxml.jackson.core.JsonFactory FACTORY = new com.fasterxml.jackson.core.JsonFactory();

        private Streaming() {}
    }

    /** An output stream that counts the bytes written through it. */
    private static final class Counting extends java.io.FilterOutputStream {
        long count;

        Counting(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** What one node contributes to a JSON object of the manifest, as UTF-8 bytes. */
    private interface NodeValue {
        byte[] of(Node node) throws IOException;
    }

    /** Nodes whose members are serialised together, on every core, before they are written and dropped. */
    private static final int MEMBERS_PER_CHUNK = 4096;

    /**
     * Writes {@code "unique_id":value} for each node, separated by commas, and records where each
     * value lies in {@code spans} (unless null). The members are serialised chunk by chunk on every
     * core: a large project's manifest is most of its compile, and holding every serialised member
     * at once (hundreds of megabytes for 100,000 models) only makes the garbage collector copy them.
     */
    private static void writeMembers(Counting out, List<Node> nodes, NodeValue value, Map<String, long[]> spans) throws IOException {
        for (int from = 0; from < nodes.size(); from += MEMBERS_PER_CHUNK) {
            List<Node> chunk = nodes.subList(from, Math.min(nodes.size(), from + MEMBERS_PER_CHUNK));
            byte[][] keys = new byte[chunk.size()][];
            byte[][] values = new byte[chunk.size()][];
            java.util.stream.IntStream.range(0, chunk.size()).parallel().forEach(i -> {
                try {
                    keys[i] = Json.MAPPER.writeValueAsBytes(chunk.get(i).uniqueId());
                    values[i] = value.of(chunk.get(i));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            for (int i = 0; i < chunk.size(); i++) {
                if (from + i > 0) {
                    out.write(',');
                }
                out.write(keys[i]);
                out.write(':');
                if (spans != null) {
                    spans.put(chunk.get(i).uniqueId(), new long[] {out.count, values[i].length});
                }
                out.write(values[i]);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes JSON atomically: a reader never sees half a file. */
    static void write(Path path, Object value) {
        write(path, value, true);
    }

    private static void write(Path path, Object value, boolean indent) {
        writeAtomically(path, out -> (indent ? Json.MAPPER.writer() : Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT))
                .writeValue(out, value));
    }

    /** Writes what {@code content} produces to a temporary file beside {@code path}, then moves it into place. */
    private interface Content {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    private static void writeAtomically(Path path, Content content) {
        try {
            Files.createDirectories(path.getParent());
            Path temporary = path.resolveSibling(path.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16)) {
                content.writeTo(out);
            }
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UncheckedIOException e) {
            throw new BatonException(ErrorCode.INTERNAL, "cannot write " + path + ": " + e.getMessage() + "; check that the folder is writable");
        }
    }
}
