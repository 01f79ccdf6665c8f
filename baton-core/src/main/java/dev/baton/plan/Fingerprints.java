package dev.baton.plan;

import dev.baton.api.event.Fingerprint;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ResourceType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Hashes that tell whether a node changed since it was last built. */
public final class Fingerprints {
    /** Config keys that document a node without changing what is built. */
    private static final Set<String> DOCUMENTING_KEYS = Set.of("tags", "meta", "docs", "persist_docs", "description", "labels", "group", "access");

    /** The fingerprints last asked for, so that the planner, the runner and the artifacts of one command hash a project once. */
    private static volatile java.lang.ref.WeakReference<Fingerprints> last = new java.lang.ref.WeakReference<>(null);

    private final Project project;
    private final Map<String, Fingerprint> computed = new java.util.concurrent.ConcurrentHashMap<>();
    /** Each node's own hashes (its texts, not yet chained to its parents'), computed without the lock. */
    private final Map<String, Fingerprint> own = new java.util.concurrent.ConcurrentHashMap<>();

    private Fingerprints(Project project) {
        this.project = project;
    }

    /**
     * The fingerprints of a project's nodes, each computed on first use. Thread-safe. Asked again for
     * the same project (the same instance), it returns the same fingerprints, with what they have
     * computed so far.
     */
    public static Fingerprints of(Project project) {
        Fingerprints known = last.get();
        if (known != null && known.project == project) {
            return known;
        }
        Fingerprints created = new Fingerprints(project);
        last = new java.lang.ref.WeakReference<>(created);
        return created;
    }

    /**
     * Computes every node's fingerprint at once: the hashes of each node's own texts (its compiled
     * SQL above all) on every core, then the combined hashes, which chain each node to its
     * parents', in dependency order. {@link #get} then only looks them up.
     */
    public Fingerprints computeAll() {
        ownAll();
        synchronized (this) {
            for (String id : project.nodes().keySet()) {
                walk(id);
            }
        }
        return this;
    }

    /**
     * Hashes every node's own texts on every core, the first half of {@link #computeAll}, which
     * needs nothing of the graph: it can run while the graph is being checked.
     */
    public Fingerprints ownAll() {
        project.nodes().values().parallelStream().filter(node -> !computed.containsKey(node.uniqueId())).forEach(this::own);
        return this;
    }

    /** The fingerprint of one node of the project. */
    public Fingerprint get(String nodeId) {
        Fingerprint known = computed.get(nodeId);
        if (known != null) {
            return known;
        }
        synchronized (this) {
            return walk(nodeId);
        }
    }

    /**
     * SHA-256 of the node's compiled SQL (a seed's: of its file), as its fingerprint's body has it;
     * needs neither the lock nor the node's parents.
     */
    public String bodyHash(Node node) {
        return own(node).body();
    }

    private Fingerprint own(Node node) {
        return own.computeIfAbsent(node.uniqueId(), id -> ownHashes(node));
    }

    /** Computes the node's fingerprint after its parents'. */
    private Fingerprint walk(String nodeId) {
        Fingerprint known = computed.get(nodeId);
        if (known != null) {
            return known;
        }
        // Iterative post-order walk: deep chains of models must not overflow the stack.
        List<String> stack = new ArrayList<>();
        stack.add(nodeId);
        while (!stack.isEmpty()) {
            String id = stack.get(stack.size() - 1);
            if (computed.containsKey(id)) {
                stack.remove(stack.size() - 1);
                continue;
            }
            Node node = project.nodes().get(id);
            boolean ready = true;
            for (String parent : node.dependsOn()) {
                if (!computed.containsKey(parent) && project.nodes().containsKey(parent)) {
                    // A parent already waiting lower on the stack moves up: it must be done before this node.
                    stack.remove(parent);
                    stack.add(parent);
                    ready = false;
                }
            }
            if (ready) {
                computed.put(id, combine(node, own(node)));
                stack.remove(stack.size() - 1);
            }
        }
        return computed.get(nodeId);
    }

    /** Hashes of config and contract texts, which most nodes share (the tests of a project, a folder's models, no contract). */
    private final Map<String, String> sharedHashes = new java.util.concurrent.ConcurrentHashMap<>();

    private String sharedHash(String text) {
        return sharedHashes.computeIfAbsent(text, Fingerprints::sha256);
    }

    /** The hashes of the node's own texts; the combined hash is left empty, for {@link #combine}. */
    private Fingerprint ownHashes(Node node) {
        return new Fingerprint(body(node), sharedHash(canonical(relevantConfig(node))), sharedHash(contractText(node)), "");
    }

    private Fingerprint combine(Node node, Fingerprint own) {
        return combine(own, node.dependsOn(), parent -> {
            Fingerprint upstream = computed.get(parent);
            return upstream == null ? "" : upstream.combined();
        });
    }

    /**
     * A node's fingerprint with its combined hash: its own hashes chained to each parent's combined
     * hash ({@code parentCombined} answers "" for a parent outside the project), parents in name order.
     */
    public static Fingerprint combine(Fingerprint own, List<String> parents, java.util.function.Function<String, String> parentCombined) {
        List<String> sorted = new ArrayList<>(parents);
        java.util.Collections.sort(sorted);
        // The hashes go into the text as the hex digits they already are.
        CombinedText text = TEXT.get().start(own.body(), own.config(), own.contract());
        for (String parent : sorted) {
            text.parent(parent, parentCombined.apply(parent));
        }
        byte[] hash = new byte[32];
        text.hashInto(hash, 0);
        return new Fingerprint(own.body(), own.config(), own.contract(), HEX.formatHex(hash));
    }

    /** One text per thread, reused from node to node. */
    private static final ThreadLocal<CombinedText> TEXT = ThreadLocal.withInitial(CombinedText::new);

    private static final String DIGITS_TEXT = "0123456789abcdef";
    private static final byte[] DIGITS = DIGITS_TEXT.getBytes(StandardCharsets.US_ASCII);

    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < 16; i++) {
            VALUES[DIGITS_TEXT.charAt(i)] = (byte) i;
            VALUES[Character.toUpperCase(DIGITS_TEXT.charAt(i))] = (byte) i;
        }
    }

    /**
     * Writes the 32 bytes that a hash's 64 hex digits stand for into {@code out} at {@code at}: what
     * {@link HexFormat#parseHex} gives, without the array it allocates.
     *
     * @throws IllegalArgumentException when {@code hex} is not 64 hex digits
     */
    public static void parseHexInto(String hex, byte[] out, int at) {
        if (hex.length() != 64) {
            throw new IllegalArgumentException("not a SHA-256 hash in hex: '" + hex + "'");
        }
        for (int i = 0; i < 32; i++) {
            out[at + i] = (byte) (value(hex, 2 * i) << 4 | value(hex, 2 * i + 1));
        }
    }

    private static int value(String hex, int index) {
        char digit = hex.charAt(index);
        int value = digit < 128 ? VALUES[digit] : -1;
        if (value < 0) {
            throw new IllegalArgumentException("not a SHA-256 hash in hex: '" + hex + "'");
        }
        return value;
    }

    /** Writes the 64 lower-case hex digits of the 32-byte hash at {@code hash[at]} into {@code out} at {@code outAt}, as ASCII. */
    public static void hexInto(byte[] hash, int at, byte[] out, int outAt) {
        for (int i = 0; i < 32; i++) {
            out[outAt + 2 * i] = DIGITS[(hash[at + i] >> 4) & 0xf];
            out[outAt + 2 * i + 1] = DIGITS[hash[at + i] & 0xf];
        }
    }

    /**
     * The text a combined hash is the SHA-256 of: the hex of body, config and contract, one per
     * line, then a line {@code parent=combined} for each parent in name order (a parent outside the
     * project leaves the line at "="). Built in a buffer that can be reused from node to node (one
     * per thread), so hashing a large project's nodes allocates nothing per node.
     */
    public static final class CombinedText {
        private byte[] text = new byte[512];
        private int length;

        /** Starts the text of a node from its body, config and contract hashes (32 bytes each, at the given offsets). */
        public CombinedText start(byte[] body, int bodyAt, byte[] config, int configAt, byte[] contract, int contractAt) {
            length = 0;
            hex(body, bodyAt);
            text[length++] = '\n';
            hex(config, configAt);
            text[length++] = '\n';
            hex(contract, contractAt);
            return this;
        }

        /** Starts the text of a node from its body, config and contract hashes, each as 64 lower-case hex digits. */
        public CombinedText start(String body, String config, String contract) {
            length = 0;
            digits(body);
            text[length++] = '\n';
            digits(config);
            text[length++] = '\n';
            digits(contract);
            return this;
        }

        /** Adds a parent, in name order, with its combined hash as 64 lower-case hex digits ("" for a parent outside the project). */
        public CombinedText parent(String id, String combined) {
            byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
            parentId(bytes, 0, bytes.length);
            if (!combined.isEmpty()) {
                digits(combined);
            }
            return this;
        }

        /** Adds a parent, in name order: its id's UTF-8 bytes and its combined hash (null for a parent outside the project). */
        public CombinedText parent(byte[] id, int idAt, int idLength, byte[] combined, int combinedAt) {
            parentId(id, idAt, idLength);
            if (combined != null) {
                hex(combined, combinedAt);
            }
            return this;
        }

        /** Starts a parent's line: a newline, its id, then '=', with room for the hash after it. */
        private void parentId(byte[] id, int idAt, int idLength) {
            ensure(2 + idLength + 64);
            text[length++] = '\n';
            System.arraycopy(id, idAt, text, length, idLength);
            length += idLength;
            text[length++] = '=';
        }

        /** Writes the SHA-256 of the text (32 bytes) into {@code out} at {@code at}. */
        public void hashInto(byte[] out, int at) {
            MessageDigest digest = SHA_256.get();
            digest.reset();
            digest.update(text, 0, length);
            try {
                digest.digest(out, at, 32);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
        }

        private void hex(byte[] hash, int at) {
            ensure(64);
            hexInto(hash, at, text, length);
            length += 64;
        }

        /** Appends 64 hex digits as they are; anything else is not a hash. */
        private void digits(String hex) {
            if (hex.length() != 64) {
                throw new IllegalArgumentException("not a SHA-256 hash in hex: '" + hex + "'");
            }
            ensure(64);
            for (int i = 0; i < 64; i++) {
                text[length + i] = (byte) hex.charAt(i);
            }
            length += 64;
        }

        private void ensure(int more) {
            if (length + more > text.length) {
                text = java.util.Arrays.copyOf(text, Math.max(text.length * 2, length + more));
            }
        }
    }

    /** A seed's body is its file; every other node's is its compiled SQL. */
    private String body(Node node) {
        if (node.resourceType() == ResourceType.SEED) {
            try {
                byte[] content = Files.readAllBytes(project.root().resolve(node.path()));
                return sha256(new String(content, StandardCharsets.UTF_8) + "\n" + new TreeMap<>(node.config().columnTypes()));
            } catch (IOException e) {
                return sqlHash(node);
            }
        }
        return sqlHash(node);
    }

    /** dbt's checksum of a seed: SHA-256 of its file, empty when it cannot be read. */
    public String fileChecksum(Node node) {
        try {
            return sha256(new String(Files.readAllBytes(project.root().resolve(node.path())), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "";
        }
    }

    private static Map<String, Object> relevantConfig(Node node) {
        Map<String, Object> config = new TreeMap<>(node.config().asMap());
        DOCUMENTING_KEYS.forEach(config::remove);
        config.remove("contract");
        node.relation().ifPresent(relation -> config.put("relation", relation.toString()));
        return config;
    }

    private static String contractText(Node node) {
        Object contract = node.config().other().get("contract");
        if (contract == null) {
            return "";
        }
        StringBuilder text = new StringBuilder(canonical(contract));
        if (contract instanceof Map<?, ?> map && Boolean.parseBoolean(String.valueOf(map.get("enforced")))) {
            node.columns().forEach(column -> text.append('\n').append(column.name()).append(' ').append(column.dataType().orElse("")));
        }
        return text.toString();
    }

    /** A stable text for config values: maps with sorted keys, lists in order. */
    static String canonical(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, String> sorted = new TreeMap<>();
            map.forEach((key, item) -> sorted.put(String.valueOf(key), canonical(item)));
            return sorted.toString();
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(canonical(item)));
            return items.toString();
        }
        return String.valueOf(value);
    }

    /** SHA-256 of the compiled SQL (for seeds: of the path, since their content is the file). */
    public static String sqlHash(Node node) {
        String text = node.compiledSql().isEmpty() ? node.path() + "\n" + node.config().columnTypes() : node.compiledSql();
        return sha256(text);
    }

    public static String sha256(String text) {
        MessageDigest digest = SHA_256.get();
        digest.reset();
        return HEX.formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static final HexFormat HEX = HexFormat.of();
    /** One digest per thread: looking the algorithm up for every hash costs more than the hash of a short text. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
}
