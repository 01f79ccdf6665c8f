package dev.baton.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.ingest.ConnectorOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One bounded read of a topic: from the offsets of the last committed load (or each partition's
 * beginning) up to the end offsets seen when the read starts, or {@code max_records} messages.
 */
final class TopicRead {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectorOptions options;
    private final String servers;
    private final String topic;
    private final Map<String, String> properties;
    private final Duration timeout;
    private final boolean allowGaps;

    /** The messages written and the mark to commit with them. */
    record Result(long records, String watermark) {}

    TopicRead(ConnectorOptions options, String servers, String topic, Map<String, String> properties, Duration timeout, boolean allowGaps) {
        this.options = options;
        this.servers = servers;
        this.topic = topic;
        this.properties = properties;
        this.timeout = timeout;
        this.allowGaps = allowGaps;
    }

    Result readInto(Path file, Optional<String> previousMark, long maxRecords) {
        Map<Integer, Long> previous = parseMark(previousMark);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<TopicPartition> partitions = partitions(consumer);
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> next = new HashMap<>();
            List<TopicPartition> pending = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                long start = previous.getOrDefault(partition.partition(), beginning.get(partition));
                if (start < beginning.get(partition)) {
                    if (!allowGaps) {
                        throw options.failure(ErrorCode.LOAD_FAILED, "offsets " + start + " to " + (beginning.get(partition) - 1) + " of partition "
                                + partition.partition() + " of topic '" + topic + "' (source " + options.sourceName() + ") were deleted by the"
                                + " broker before they were loaded; nothing was committed; set allow_gaps: true to go on from offset "
                                + beginning.get(partition));
                    }
                    start = beginning.get(partition);
                }
                next.put(partition, start);
                if (start < end.get(partition)) {
                    pending.add(partition);
                }
            }
            long written = 0;
            try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
                consumer.assign(pending);
                pending.forEach(partition -> consumer.seek(partition, next.get(partition)));
                long idleSince = System.nanoTime();
                poll:
                while (!pending.isEmpty()) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                    if (records.isEmpty()) {
                        if (System.nanoTime() - idleSince > timeout.toNanos()) {
                            throw options.failure(ErrorCode.SOURCE_REQUEST_FAILED, "no message of topic '" + topic + "' (source "
                                    + options.sourceName() + ") arrived for " + timeout.toSeconds() + " s while " + describe(pending, next, end)
                                    + " remained; nothing was committed; check the brokers, or raise timeout");
                        }
                    } else {
                        idleSince = System.nanoTime();
                    }
                    for (TopicPartition partition : records.partitions()) {
                        long bound = end.get(partition);
                        for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                            if (written >= maxRecords) {
                                break poll;
                            }
                            if (record.offset() >= bound) {
                                break;
                            }
                            out.write(JSON.writeValueAsString(row(record)));
                            out.write('\n');
                            written++;
                            next.put(partition, record.offset() + 1);
                        }
                    }
                    if (written >= maxRecords) {
                        break;
                    }
                    for (Iterator<TopicPartition> it = pending.iterator(); it.hasNext(); ) {
                        TopicPartition partition = it.next();
                        if (consumer.position(partition, timeout) >= end.get(partition)) {
                            // Every offset below the end was a message written above or a transaction marker.
                            next.put(partition, end.get(partition));
                            consumer.pause(List.of(partition));
                            it.remove();
                        }
                    }
                }
            } catch (IOException e) {
                throw options.failure(ErrorCode.LOAD_FAILED, "cannot write the messages of source " + options.sourceName() + " to " + file + ": "
                        + e.getMessage());
            }
            return new Result(written, mark(next));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unreachable(e);
        } catch (KafkaException e) {
            throw options.failure(ErrorCode.SOURCE_REQUEST_FAILED, "reading topic '" + topic + "' of source " + options.sourceName() + " failed: "
                    + e.getMessage() + "; nothing was committed");
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        Map<String, List<PartitionInfo>> topics = consumer.listTopics(timeout);
        List<PartitionInfo> infos = topics.get(topic);
        if (infos == null || infos.isEmpty()) {
            List<String> names = new ArrayList<>(new java.util.TreeSet<>(topics.keySet()));
            names.removeIf(name -> name.startsWith("__"));
            throw options.failure(ErrorCode.SOURCE_NOT_FOUND, "topic '" + topic + "' of source " + options.sourceName() + " does not exist on "
                    + servers + dev.baton.api.Suggestions.didYouMeanOr(topic, names, names.isEmpty() ? "the brokers have no topics"
                            : "it has " + String.join(", ", names))
                    + "; set 'topic' in the connector block");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.stream().sorted(Comparator.comparingInt(PartitionInfo::partition))
                .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        return partitions;
    }

    private BatonException unreachable(RuntimeException e) {
        return options.failure(ErrorCode.SOURCE_UNREACHABLE, "cannot reach the Kafka brokers " + servers + " of source " + options.sourceName()
                + " within " + timeout.toSeconds() + " s (" + e.getMessage() + "); check bootstrap_servers and that the brokers are up");
    }

    private ObjectNode row(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.put("kafka_key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
        row.put("kafka_partition", record.partition());
        row.put("kafka_offset", record.offset());
        row.put("kafka_timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        if (record.value() == null) {
            return row;
        }
        JsonNode value;
        try {
            value = JSON.readTree(record.value());
        } catch (IOException e) {
            value = null;
        }
        if (value == null || value.isMissingNode()) {
            String text = new String(record.value(), 0, Math.min(record.value().length, 80), StandardCharsets.UTF_8);
            throw options.failure(ErrorCode.LOAD_FAILED, "the message at offset " + record.offset() + " of partition " + record.partition()
                    + " of topic '" + topic + "' (source " + options.sourceName() + ") is not JSON: '" + text + "'; nothing was committed;"
                    + " the topic's values must be JSON");
        }
        if (value instanceof ObjectNode object) {
            object.fields().forEachRemaining(field -> {
                if (!row.has(field.getKey())) {
                    row.set(field.getKey(), field.getValue());
                }
            });
        } else {
            row.set("value", value);
        }
        return row;
    }

    private Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "baton-" + options.sourceName());
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1000, timeout.toMillis())));
        properties.putAll(this.properties);
        return properties;
    }

    private Map<Integer, Long> parseMark(Optional<String> mark) {
        if (mark.isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, Object> parsed = JSON.readValue(mark.get(), new TypeReference<Map<String, Object>>() {});
            if (!topic.equals(parsed.get("topic")) || !(parsed.get("next") instanceof Map<?, ?> offsets)) {
                return Map.of();
            }
            Map<Integer, Long> result = new HashMap<>();
            offsets.forEach((partition, offset) -> result.put(Integer.parseInt(String.valueOf(partition)), Long.parseLong(String.valueOf(offset))));
            return result;
        } catch (JsonProcessingException | NumberFormatException e) {
            return Map.of();
        }
    }

    private String mark(Map<TopicPartition, Long> next) {
        Map<String, Long> offsets = new TreeMap<>(Comparator.comparingInt(Integer::parseInt));
        next.forEach((partition, offset) -> offsets.put(Integer.toString(partition.partition()), offset));
        Map<String, Object> mark = new java.util.LinkedHashMap<>();
        mark.put("topic", topic);
        mark.put("next", offsets);
        try {
            return JSON.writeValueAsString(mark);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(List<TopicPartition> pending, Map<TopicPartition, Long> next, Map<TopicPartition, Long> end) {
        List<String> parts = new ArrayList<>();
        for (TopicPartition partition : pending) {
            parts.add("partition " + partition.partition() + " offsets " + next.get(partition) + " to " + (end.get(partition) - 1));
        }
        return String.join(", ", parts);
    }
}
