package dev.baton.kafka;

import dev.baton.api.ErrorCode;
import dev.baton.api.ingest.Connector;
import dev.baton.api.ingest.ConnectorOptions;
import dev.baton.api.ingest.ExtractRequest;
import dev.baton.api.ingest.Extraction;
import dev.baton.api.ingest.FetchedFile;
import dev.baton.api.ingest.FileScan;
import dev.baton.api.ingest.LoadMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A Kafka topic into a table: each message's JSON value as columns, with its key, partition,
 * offset and timestamp. A load reads up to the end offsets it saw when it started (or
 * {@code max_records} messages) and its high-water mark is the next offset of every partition,
 * committed with the rows, so a load that dies is read again from the same offsets.
 *
 * <p>Public only so that {@link java.util.ServiceLoader} can make one.
 */
public final class KafkaTopicConnector implements Connector {
    private static final Set<String> OPTIONS = Set.of("bootstrap_servers", "topic", "max_records", "timeout", "properties", "nested", "allow_gaps");
    /** The columns every row has besides the value's fields. */
    static final Map<String, String> META_COLUMNS = metaColumns();

    private static Map<String, String> metaColumns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("kafka_key", "VARCHAR");
        columns.put("kafka_partition", "INTEGER");
        columns.put("kafka_offset", "BIGINT");
        columns.put("kafka_timestamp", "TIMESTAMPTZ");
        return java.util.Collections.unmodifiableMap(columns);
    }

    @Override
    public String type() {
        return "kafka";
    }

    @Override
    public Set<String> optionNames() {
        return OPTIONS;
    }

    @Override
    public Set<String> requiredOptions() {
        return Set.of("bootstrap_servers");
    }

    @Override
    public Extraction open(ExtractRequest request) {
        ConnectorOptions options = request.options();
        String servers = options.required("bootstrap_servers");
        String topic = options.string("topic").orElse(request.tableName());
        long maxRecords = options.integer("max_records", Long.MAX_VALUE);
        if (maxRecords < 1) {
            throw options.failure(ErrorCode.INVALID_CONFIG_VALUE, "max_records of source " + options.sourceName() + " must be 1 or more");
        }
        long timeoutSeconds = options.integer("timeout", 30);
        if (timeoutSeconds < 1) {
            throw options.failure(ErrorCode.INVALID_CONFIG_VALUE, "timeout of source " + options.sourceName() + " must be 1 second or more");
        }
        String nested = options.choice("nested", List.of("struct", "json"), "struct");
        Map<String, String> properties = properties(options);
        Path file;
        try {
            file = Files.createTempFile("baton-kafka-", ".ndjson");
        } catch (IOException e) {
            throw options.failure(ErrorCode.LOAD_FAILED, "cannot create a temporary file for source " + options.sourceName() + ": " + e.getMessage());
        }
        try {
            TopicRead read = new TopicRead(options, servers, topic, properties, Duration.ofSeconds(timeoutSeconds), options.flag("allow_gaps", false));
            TopicRead.Result result = read.readInto(file, request.previousWatermark(), maxRecords);
            FileScan scan = new FileScan(result.records() == 0 ? List.of() : List.of(file), "json", Map.of("json_format", "newline_delimited",
                    "nested", nested), META_COLUMNS, OptionalLong.empty(), OptionalDouble.empty());
            return new FetchedFile(file, scan, LoadMode.APPEND, Optional.of(result.watermark()), result.records());
        } catch (RuntimeException e) {
            FetchedFile.deleteQuietly(file);
            throw e;
        }
    }

    private static Map<String, String> properties(ConnectorOptions options) {
        Object value = options.values().get("properties");
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw options.failure(ErrorCode.INVALID_CONFIG_VALUE, "connector option 'properties' of source " + options.sourceName()
                    + " must be a mapping of Kafka consumer properties, such as {security.protocol: SASL_SSL}");
        }
        Map<String, String> result = new LinkedHashMap<>();
        map.forEach((name, inner) -> result.put(String.valueOf(name), String.valueOf(inner)));
        return result;
    }
}
