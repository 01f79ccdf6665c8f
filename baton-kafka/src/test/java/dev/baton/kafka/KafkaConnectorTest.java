package dev.baton.kafka;

import static dev.baton.kafka.KafkaLoads.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.ingest.LoadObserver;
import dev.baton.kafka.KafkaBroker.Message;
import dev.baton.project.Project;
import dev.baton.state.LoadRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka connector against an in-process KRaft broker. */
class KafkaConnectorTest {
    private static final String NODE = "source.app.stream.events";
    private static KafkaBroker broker;

    @TempDir
    Path temp;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    private static String newTopic(int partitions) throws Exception {
        String topic = "events_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        broker.createTopic(topic, partitions);
        return topic;
    }

    private Project project(String connector) throws Exception {
        return KafkaLoads.project(temp, """
                version: 2
                sources:
                  - name: stream
                    schema: raw
                    tables:
                      - name: events
                        connector: %s
                """.formatted(connector));
    }

    private String connector(String topic, String extra) {
        return "{type: kafka, bootstrap_servers: \"" + broker.bootstrapServers() + "\", topic: " + topic + ", timeout: 10" + extra + "}";
    }

    /** Messages {@code from..to}, spread over three partitions, each value a JSON object with a nested one. */
    private static List<Message> messages(int from, int to) {
        List<Message> messages = new ArrayList<>();
        for (int id = from; id <= to; id++) {
            messages.add(new Message(id % 3, "k" + id, "{\"id\": " + id + ", \"amount\": " + id * 1.5 + ", \"customer\": {\"name\": \"c" + id + "\"}}"));
        }
        return messages;
    }

    private static List<String> expectedIds(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int id = from; id <= to; id++) {
            ids.add(Integer.toString(id));
        }
        ids.sort(null);
        return ids;
    }

    @Test
    void loadsATopicWithKeyPartitionOffsetAndTimestampThenOnlyNewMessages() throws Exception {
        String topic = newTopic(3);
        broker.send(topic, messages(1, 30));
        try (Engine engine = DuckDbEngines.openInMemory("main", 2)) {
            Project project = project(connector(topic, ""));
            LoadRecord first = KafkaLoads.load(engine, project, NODE, LoadObserver.NONE);
            assertThat(first.rowsRead()).isEqualTo(30);
            assertThat(first.rowsLoaded()).isEqualTo(30);
            assertThat(first.watermark()).contains("{\"topic\":\"" + topic + "\",\"next\":{\"0\":10,\"1\":10,\"2\":10}}");
            assertThat(rows(engine, "SELECT kafka_key, kafka_partition, kafka_offset, id, amount, customer.name FROM raw.events WHERE id = 4"))
                    .containsExactly(List.of("k4", "1", "1", "4", "6.0", "c4"));
            assertThat(rows(engine, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'events'"
                    + " AND column_name LIKE 'kafka_%' ORDER BY ordinal_position")).containsExactly(List.of("kafka_key", "VARCHAR"),
                    List.of("kafka_partition", "INTEGER"), List.of("kafka_offset", "BIGINT"), List.of("kafka_timestamp", "TIMESTAMP WITH TIME ZONE"));
            assertThat(rows(engine, "SELECT count(*) FROM raw.events WHERE kafka_timestamp > now() - INTERVAL 10 MINUTE").get(0)).containsExactly("30");

            assertThat(KafkaLoads.load(engine, project, NODE, LoadObserver.NONE).rowsLoaded()).isZero();
            broker.send(topic, messages(31, 40));
            LoadRecord second = KafkaLoads.load(engine, project, NODE, LoadObserver.NONE);
            assertThat(second.rowsLoaded()).isEqualTo(10);
            assertThat(rows(engine, "SELECT CAST(id AS VARCHAR) FROM raw.events ORDER BY 1").stream().map(row -> row.get(0)).toList())
                    .isEqualTo(expectedIds(1, 40));
            assertThat(rows(engine, "SELECT count(DISTINCT (kafka_partition, kafka_offset)) FROM raw.events").get(0)).containsExactly("40");
        }
    }

    @Test
    void maxRecordsBoundsEachLoadAndTheNextGoesOnWhereItStopped() throws Exception {
        String topic = newTopic(3);
        broker.send(topic, messages(1, 20));
        try (Engine engine = DuckDbEngines.openInMemory("main", 2)) {
            Project project = project(connector(topic, ", max_records: 7"));
            List<Long> loaded = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                loaded.add(KafkaLoads.load(engine, project, NODE, LoadObserver.NONE).rowsLoaded());
            }
            assertThat(loaded).containsExactly(7L, 7L, 6L, 0L);
            assertThat(rows(engine, "SELECT CAST(id AS VARCHAR) FROM raw.events ORDER BY 1").stream().map(row -> row.get(0)).toList())
                    .isEqualTo(expectedIds(1, 20));
        }
    }

    @Test
    void aLoadKilledBeforeOrAfterItsCommitIsReadAgainWithoutDoublesOrGaps() throws Exception {
        String topic = newTopic(3);
        broker.send(topic, messages(1, 300));
        project(connector(topic, ""));
        Path warehouse = temp.resolve("target/app.duckdb");

        assertThat(runProcess(warehouse, "staged")).contains("halting after staged 300");
        broker.send(topic, messages(301, 450));
        assertThat(runProcess(warehouse, "committed")).contains("halting after committed");
        broker.send(topic, messages(451, 500));
        try (Engine engine = DuckDbEngines.open(warehouse, "main", 1)) {
            LoadRecord rerun = KafkaLoads.load(engine, project(connector(topic, "")), NODE, LoadObserver.NONE);
            assertThat(rerun.rowsLoaded()).isEqualTo(50);
            assertThat(rows(engine, "SELECT CAST(id AS VARCHAR) FROM raw.events ORDER BY 1").stream().map(row -> row.get(0)).toList())
                    .isEqualTo(expectedIds(1, 500));
            assertThat(rows(engine, "SELECT rows_loaded FROM baton_ingest.loads ORDER BY started_at")).containsExactly(List.of("450"), List.of("50"));
            assertThat(rows(engine, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw'").get(0)).containsExactly("1");
        }
    }

    @Test
    void anUnknownTopicOrAMessageThatIsNotJsonFailsNamingTheSource() throws Exception {
        String topic = newTopic(1);
        try (Engine engine = DuckDbEngines.openInMemory("main", 2)) {
            assertThatThrownBy(() -> KafkaLoads.load(engine, project(connector(topic + "x", "")), NODE, LoadObserver.NONE))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SOURCE_NOT_FOUND))
                    .hasMessage("models/sources.yml:6:9: topic '" + topic + "x' of source stream.events does not exist on " + broker.bootstrapServers()
                            + "; did you mean '" + topic + "'?; set 'topic' in the connector block");

            broker.send(topic, List.of(new Message(0, null, "{\"id\": 1}"), new Message(0, "k", "not json")));
            assertThatThrownBy(() -> KafkaLoads.load(engine, project(connector(topic, "")), NODE, LoadObserver.NONE))
                    .hasMessage("models/sources.yml:6:9: the message at offset 1 of partition 0 of topic '" + topic + "' (source stream.events) is"
                            + " not JSON: 'not json'; nothing was committed; the topic's values must be JSON");
            assertThat(rows(engine, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw'").get(0)).containsExactly("0");

            assertThatThrownBy(() -> KafkaLoads.load(engine, project("{type: kafka, bootstrap_servers: \"127.0.0.1:1\", topic: t, timeout: 2}"), NODE,
                    LoadObserver.NONE))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode().type().exitCode()).isEqualTo(1))
                    .hasMessageStartingWith("models/sources.yml:6:9: cannot reach the Kafka brokers 127.0.0.1:1 of source stream.events within 2 s (");
        }
    }

    private String runProcess(Path warehouse, String dieAt) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), KafkaCrashProcess.class.getName(), temp.toString(), warehouse.toString(), dieAt, NODE));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(99);
        return output;
    }
}
