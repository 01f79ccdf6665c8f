package dev.baton.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.event.Fingerprint;
import dev.baton.plan.Fingerprints;
import dev.baton.project.Node;
import dev.baton.project.ResourceType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The previous state as a {@code manifest.json} has it ({@code --state DIR}). Baton's own manifest
 * carries each node's fingerprint ({@code baton_fingerprint}); a dbt manifest is compared by
 * dbt's rules where they can be followed: the {@code checksum} of the file (for a seed, its
 * content), the {@code config} keys both sides have, and an enforced contract's column types.
 */
final class ManifestState implements PreviousState {
    private final Map<String, JsonNode> nodes;
    private final Fingerprints current;

    private ManifestState(Map<String, JsonNode> nodes, Fingerprints current) {
        this.nodes = nodes;
        this.current = current;
    }

    static ManifestState read(Path stateDir, Fingerprints current) {
        Path file = stateDir.resolve("manifest.json");
        if (!Files.isRegularFile(file)) {
            throw new BatonException(ErrorCode.STATE_MANIFEST_INVALID, "--state " + stateDir + ": there is no manifest.json in that folder;"
                    + " point --state at the target folder of the run to compare with (it holds manifest.json)");
        }
        JsonNode manifest;
        try {
            manifest = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new BatonException(ErrorCode.STATE_MANIFEST_INVALID, "--state " + file + " is not a readable manifest: "
                    + e.getMessage().lines().findFirst().orElse("") + "; write it again with baton compile or dbt compile");
        }
        if (manifest == null || !manifest.path("nodes").isObject()) {
            throw new BatonException(ErrorCode.STATE_MANIFEST_INVALID, "--state " + file + " has no nodes; it is not a dbt or Baton manifest");
        }
        Map<String, JsonNode> nodes = new HashMap<>();
        for (String section : new String[] {"nodes", "sources"}) {
            Iterator<Map.Entry<String, JsonNode>> entries = manifest.path(section).fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                nodes.put(entry.getKey(), entry.getValue());
            }
        }
        return new ManifestState(nodes, current);
    }

    @Override
    public boolean isNew(Node node) {
        return !nodes.containsKey(node.uniqueId());
    }

    private Fingerprint batonFingerprint(JsonNode entry) {
        JsonNode value = entry.path("baton_fingerprint");
        if (!value.isObject()) {
            return null;
        }
        return new Fingerprint(value.path("body").asText(""), value.path("config").asText(""), value.path("contract").asText(""),
                value.path("combined").asText(""));
    }

    @Override
    public boolean bodyChanged(Node node) {
        JsonNode entry = nodes.get(node.uniqueId());
        if (entry == null) {
            return false;
        }
        Fingerprint before = batonFingerprint(entry);
        if (before != null) {
            return !before.body().equals(current.get(node.uniqueId()).body());
        }
        JsonNode checksum = entry.path("checksum").path("checksum");
        if (checksum.isMissingNode() || !entry.path("checksum").path("name").asText("sha256").equals("sha256")) {
            return false;
        }
        return !checksum.asText().equals(fileChecksum(node));
    }

    /** dbt's checksum: SHA-256 of the file as written (for a seed, of the CSV). */
    private String fileChecksum(Node node) {
        return node.resourceType() == ResourceType.SEED ? current.fileChecksum(node) : Fingerprints.sha256(node.rawSql());
    }

    @Override
    public boolean configChanged(Node node) {
        JsonNode entry = nodes.get(node.uniqueId());
        if (entry == null) {
            return false;
        }
        Fingerprint before = batonFingerprint(entry);
        if (before != null) {
            return !before.config().isEmpty() && !before.config().equals(current.get(node.uniqueId()).config());
        }
        JsonNode config = entry.path("config");
        if (!config.isObject()) {
            return false;
        }
        Map<String, Object> mine = node.config().asMap();
        for (String key : new String[] {"materialized", "schema", "alias", "unique_key", "incremental_strategy", "strategy", "updated_at",
                "check_cols", "hard_deletes", "on_schema_change", "target_schema", "column_types"}) {
            if (config.has(key) && !sameValue(config.get(key), mine.get(key))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameValue(JsonNode before, Object now) {
        if (before.isNull()) {
            return now == null;
        }
        Object value = new ObjectMapper().convertValue(before, Object.class);
        return Objects.equals(String.valueOf(value), String.valueOf(now));
    }

    @Override
    public boolean contractChanged(Node node) {
        JsonNode entry = nodes.get(node.uniqueId());
        if (entry == null) {
            return false;
        }
        Fingerprint before = batonFingerprint(entry);
        if (before != null) {
            return !before.contract().isEmpty() && !before.contract().equals(current.get(node.uniqueId()).contract());
        }
        boolean enforcedBefore = entry.path("config").path("contract").path("enforced").asBoolean(false);
        Object contract = node.config().other().get("contract");
        boolean enforcedNow = contract instanceof Map<?, ?> map && Boolean.parseBoolean(String.valueOf(map.get("enforced")));
        if (enforcedBefore != enforcedNow) {
            return true;
        }
        if (!enforcedNow) {
            return false;
        }
        Map<String, String> typesBefore = new HashMap<>();
        entry.path("columns").fields().forEachRemaining(column -> typesBefore.put(column.getKey(), column.getValue().path("data_type").asText("")));
        Map<String, String> typesNow = new HashMap<>();
        node.columns().forEach(column -> typesNow.put(column.name(), column.dataType().orElse("")));
        return !typesBefore.equals(typesNow);
    }
}
