package dev.baton.artifact;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.event.Fingerprint;
import dev.baton.plan.Fingerprints;
import dev.baton.project.ColumnInfo;
import dev.baton.project.Node;
import dev.baton.project.ResourceType;
import java.io.IOException;
import java.util.List;

/**
 * One node's entry in {@code manifest.json}, written field by field with Jackson's streaming
 * generator: the same JSON as serialising a map of the node, without building the map. Config and
 * meta values, which hold anything YAML can, go through the object mapper.
 */
final class NodeJson {
    /** Writes config and meta values; compact, as the rest of the entry. */
    private static final ObjectMapper VALUES = new ObjectMapper();

    private static final JsonFactory FACTORY = VALUES.getFactory();

    private NodeJson() {}

    static byte[] write(Node node, Fingerprints fingerprints) throws IOException {
        ByteArrayBuilder bytes = new ByteArrayBuilder(2048);
        try (JsonGenerator json = FACTORY.createGenerator(bytes)) {
            json.setCodec(VALUES);
            json.writeStartObject();
            json.writeStringField("unique_id", node.uniqueId());
            json.writeStringField("resource_type", node.resourceType().label());
            json.writeStringField("name", node.name());
            json.writeStringField("package_name", node.packageName());
            json.writeStringField("original_file_path", node.path());
            strings(json, "fqn", node.fqn());
            json.writeStringField("description", node.description());
            json.writeFieldName("config");
            json.writeObject(node.config().asMap());
            strings(json, "tags", node.tags());
            if (node.relation().isPresent()) {
                json.writeStringField("schema", node.relation().get().schema());
                json.writeStringField("alias", node.relation().get().identifier());
                json.writeStringField("relation_name", "\"" + node.relation().get().schema() + "\".\"" + node.relation().get().identifier() + "\"");
            }
            json.writeObjectFieldStart("columns");
            for (ColumnInfo column : node.columns()) {
                json.writeObjectFieldStart(column.name());
                json.writeStringField("name", column.name());
                json.writeStringField("description", column.description());
                json.writeStringField("data_type", column.dataType().orElse(null));
                json.writeFieldName("meta");
                json.writeObject(column.meta());
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeObjectFieldStart("depends_on");
            strings(json, "nodes", node.dependsOn());
            json.writeEndObject();
            if (!node.rawSql().isEmpty()) {
                json.writeStringField("raw_code", node.rawSql());
            }
            if (!node.compiledSql().isEmpty()) {
                json.writeStringField("compiled_code", node.compiledSql());
            }
            if (node.attachedNode().isPresent()) {
                json.writeStringField("attached_node", node.attachedNode().get());
            }
            if (node.columnName().isPresent()) {
                json.writeStringField("column_name", node.columnName().get());
            }
            if (node.testMetadata().isPresent()) {
                json.writeObjectFieldStart("test_metadata");
                json.writeStringField("name", node.testMetadata().get());
                json.writeEndObject();
            }
            if (node.resourceType() != ResourceType.SOURCE) {
                json.writeObjectFieldStart("checksum");
                json.writeStringField("name", "sha256");
                json.writeStringField("checksum", node.resourceType() == ResourceType.SEED ? fingerprints.fileChecksum(node) : Fingerprints.sha256(node.rawSql()));
                json.writeEndObject();
                Fingerprint fingerprint = fingerprints.get(node.uniqueId());
                json.writeObjectFieldStart("baton_fingerprint");
                json.writeStringField("body", fingerprint.body());
                json.writeStringField("config", fingerprint.config());
                json.writeStringField("contract", fingerprint.contract());
                json.writeStringField("combined", fingerprint.combined());
                json.writeEndObject();
            }
            json.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static void strings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
