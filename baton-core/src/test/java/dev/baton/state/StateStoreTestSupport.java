package dev.baton.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

final class StateStoreTestSupport {
    static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123Z");

    private StateStoreTestSupport() {}

    static NodeResult success(String nodeId) {
        return new NodeResult(nodeId, "model", Optional.of("main." + nodeId.substring(nodeId.lastIndexOf('.') + 1)), NodeStatus.SUCCESS,
                "created table", T0, Duration.ofMillis(42), OptionalLong.of(10), OptionalLong.empty(), Optional.of("ab".repeat(32)));
    }

    static NodeResult result(String nodeId, NodeStatus status, String message) {
        return new NodeResult(nodeId, "test", Optional.empty(), status, message, T0.plusSeconds(1), Duration.ofMillis(7),
                OptionalLong.empty(), status == NodeStatus.PASS ? OptionalLong.of(0) : OptionalLong.of(3), Optional.empty());
    }

    /** Runs {@link StateStoreProcess} in a fresh JVM and returns its output. */
    static String runProcess(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StateStoreProcess.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
