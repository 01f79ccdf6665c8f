package dev.baton.ingest.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** JSON records as a table wants them: objects, optionally with nested objects flattened into columns. */
public final class JsonRecords {
    /** Joins the keys of a flattened nested object: {@code {"user": {"name": …}}} becomes {@code user_name}. */
    public static final String SEPARATOR = "_";
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonRecords() {}

    public static ObjectMapper mapper() {
        return JSON;
    }

    /** The record as an object: an object stays as it is, anything else becomes {@code {"value": …}}. */
    public static ObjectNode asRecord(JsonNode node) {
        if (node instanceof ObjectNode object) {
            return object;
        }
        ObjectNode wrapped = JsonNodeFactory.instance.objectNode();
        wrapped.set("value", node);
        return wrapped;
    }

    /**
     * Nested objects become columns named by their path ({@code user_address_city}); arrays and
     * scalars stay values. A flattened name that an earlier key already took keeps the earlier value.
     */
    public static ObjectNode flatten(ObjectNode record) {
        ObjectNode flat = JsonNodeFactory.instance.objectNode();
        flattenInto(flat, "", record);
        return flat;
    }

    private static void flattenInto(ObjectNode flat, String prefix, ObjectNode object) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = prefix + field.getKey();
            if (field.getValue() instanceof ObjectNode nested && !nested.isEmpty()) {
                flattenInto(flat, name + SEPARATOR, nested);
            } else if (!flat.has(name)) {
                flat.set(name, field.getValue());
            }
        }
    }

    /**
     * The value at a path: dotted ({@code data.items}, optionally after {@code $.}) or a JSON
     * pointer ({@code /data/items}); the empty path is the document. Missing is a missing node.
     */
    public static JsonNode at(JsonNode document, String path) {
        String trimmed = path.strip();
        if (trimmed.isEmpty() || trimmed.equals("$") || trimmed.equals("/")) {
            return document;
        }
        if (trimmed.startsWith("/")) {
            return document.at(trimmed);
        }
        if (trimmed.startsWith("$.")) {
            trimmed = trimmed.substring(2);
        }
        JsonNode node = document;
        for (String part : trimmed.split("\\.")) {
            if (node == null || node.isMissingNode()) {
                break;
            }
            node = node.isArray() && part.chars().allMatch(Character::isDigit) ? node.path(Integer.parseInt(part)) : node.path(part);
        }
        return node;
    }
}
