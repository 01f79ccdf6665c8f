package dev.baton.project;

import static dev.baton.api.ErrorCode.UNKNOWN_TIER;

import dev.baton.api.BatonException;
import dev.baton.api.SourceLocation;
import java.util.Map;
import java.util.Optional;

/**
 * What Baton reads from a node's {@code meta}: its {@code tier} (0 is the most critical, 2 the
 * least), {@code owner} and {@code runbook} link.
 */
public final class AssetMeta {
    private AssetMeta() {}

    public static Optional<Integer> tier(Node node) {
        Object value = node.config().meta().get("tier");
        return value == null ? Optional.empty() : Optional.of(parseTier(value, node.location()));
    }

    public static Optional<String> owner(Node node) {
        return text(node.config().meta(), "owner");
    }

    public static Optional<String> runbook(Node node) {
        return text(node.config().meta(), "runbook");
    }

    private static Optional<String> text(Map<String, Object> meta, String key) {
        Object value = meta.get(key);
        return value == null || String.valueOf(value).isBlank() ? Optional.empty() : Optional.of(String.valueOf(value));
    }

    /** Checks a {@code meta} mapping as it is loaded, so that a bad tier fails every command at its line. */
    static void validate(Map<?, ?> meta, SourceLocation location) {
        Object value = meta.get("tier");
        if (value != null) {
            parseTier(value, location);
        }
    }

    private static int parseTier(Object value, SourceLocation location) {
        String text = String.valueOf(value).trim();
        if (text.equals("0") || text.equals("1") || text.equals("2")) {
            return Integer.parseInt(text);
        }
        throw new BatonException(UNKNOWN_TIER, "unknown tier '" + text + "' in meta.tier; use 0 (most critical), 1 or 2", location);
    }
}
