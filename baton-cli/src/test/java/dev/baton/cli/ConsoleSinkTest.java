package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunEvent;
import dev.baton.api.event.RunStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ConsoleSinkTest {
    private static NodeResult result(String id, NodeStatus status, String message) {
        return new NodeResult(id, "model", Optional.of("main." + id.substring(id.lastIndexOf('.') + 1)), status, message, Instant.now(),
                Duration.ofMillis(1234), OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
    }

    @Test
    void onATerminalALiveStatusLineShowsRunningNodesProgressAndFailures() throws Exception {
        StringWriter text = new StringWriter();
        ConsoleSink sink = new ConsoleSink(new PrintWriter(text), ConsoleSink.Format.TEXT, true);
        Instant start = Instant.now().minusSeconds(2);
        sink.accept(new RunEvent.RunStarted("r", "baton build", "p", "dev", 3, 2, start));
        sink.accept(new RunEvent.NodeStarted("r", "model.p.a", 1, 3, "table model main.a", start));
        sink.accept(new RunEvent.NodeStarted("r", "model.p.b", 2, 3, "table model main.b", start));
        sink.accept(new RunEvent.NodeFinished("r", 1, 3, "table model main.a", result("model.p.a", NodeStatus.ERROR, "boom")));
        Thread.sleep(450);
        String screen = text.toString();
        assertThat(screen).doesNotContain("START");
        assertThat(screen).contains("1 of 3 ERROR creating table model main.a");
        assertThat(screen).containsPattern("\\[1/3\\] failures: 1 \\| running: b \\(2\\.\\d+s\\)");
        assertThat(screen).contains("\r\033[2K");
        sink.accept(new RunEvent.NodeFinished("r", 2, 3, "table model main.b", result("model.p.b", NodeStatus.SUCCESS, "created table model main.b")));
        sink.accept(new RunEvent.RunFinished("r", RunStatus.FAILED, Instant.now(), Duration.ofSeconds(2),
                List.of(result("model.p.a", NodeStatus.ERROR, "boom"), result("model.p.b", NodeStatus.SUCCESS, "ok"))));
        String end = text.toString();
        assertThat(end).contains("Completed with 1 error and 0 warnings:").contains("Done. PASS=1 WARN=0 ERROR=1 SKIP=0 TOTAL=2");
    }

    @Test
    void offATerminalThereAreOnlyLines() {
        StringWriter text = new StringWriter();
        ConsoleSink sink = new ConsoleSink(new PrintWriter(text), ConsoleSink.Format.TEXT, false);
        Instant start = Instant.now();
        sink.accept(new RunEvent.RunStarted("r", "baton build", "p", "dev", 1, 1, start));
        sink.accept(new RunEvent.NodeStarted("r", "model.p.a", 1, 1, "view model main.a", start));
        sink.accept(new RunEvent.NodeFinished("r", 1, 1, "view model main.a", result("model.p.a", NodeStatus.SUCCESS, "created view model main.a")));
        // Off a terminal lines are written in batches, at the latest when the sink closes.
        sink.close();
        assertThat(text.toString()).doesNotContain("\033").contains("1 of 1 START view model main.a ").contains("1 of 1 OK created view model main.a ...")
                .contains("[OK in 1.23s]");
    }

    @Test
    void progressLinesArePaddedWithDotsToEightyColumns() {
        assertThat(ConsoleSink.progress(3, 28, "OK created view model main.stg_payments", "[OK in 0.02s]"))
                .isEqualTo("3 of 28 OK created view model main.stg_payments .................. [OK in 0.02s]");
    }

    @Test
    void durationsShowHundredthsOfASecondRoundedHalfUp() {
        assertThat(ConsoleSink.seconds(java.time.Duration.ZERO)).isEqualTo("0.00s");
        assertThat(ConsoleSink.seconds(java.time.Duration.ofNanos(4_999_999))).isEqualTo("0.00s");
        assertThat(ConsoleSink.seconds(java.time.Duration.ofMillis(5))).isEqualTo("0.01s");
        assertThat(ConsoleSink.seconds(java.time.Duration.ofMillis(95))).isEqualTo("0.10s");
        assertThat(ConsoleSink.seconds(java.time.Duration.ofMillis(1_994))).isEqualTo("1.99s");
        assertThat(ConsoleSink.seconds(java.time.Duration.ofMillis(1_995))).isEqualTo("2.00s");
        assertThat(ConsoleSink.seconds(java.time.Duration.ofSeconds(125, 300_000_000))).isEqualTo("125.30s");
    }
}
