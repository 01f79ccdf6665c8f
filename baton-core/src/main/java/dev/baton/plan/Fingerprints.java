package dev.baton.plan;

import dev.baton.project.Node;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashes that tell whether a node changed since it was last built. */
public final class Fingerprints {
    private Fingerprints() {}

    /** SHA-256 of the compiled SQL (for seeds: of the path, since their content is the file). */
    public static String sqlHash(Node node) {
        String text = node.compiledSql().isEmpty() ? node.path() + "\n" + node.config().columnTypes() : node.compiledSql();
        return sha256(text);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
