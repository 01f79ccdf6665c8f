package dev.baton.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.event.EventSink;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunEvent;
import dev.baton.api.event.RunStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a run for people. Off a terminal, one line per node in dbt's familiar shape; on a
 * terminal, the same lines plus a live status line (running nodes with their elapsed time,
 * done/total, failures so far); with {@code --log-format json}, one JSON object per event.
 */
final class ConsoleSink implements EventSink {
    enum Format { TEXT, JSON }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final int WIDTH = 80;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final Format format;
    private final boolean live;
    private final Map<String, RunEvent.NodeStarted> running = new LinkedHashMap<>();
    private final Map<String, String> kinds = new LinkedHashMap<>();
    private static final long FLUSH_INTERVAL_MILLIS = 100;
    /** Writes buffered lines off a terminal, or redraws the live status line on one. */
    private final ScheduledExecutorService timer;
    private long lastFlush = System.nanoTime();
    private int total;
    private int done;
    private int failures;
    private boolean statusShown;
    private long clockSecond = -1;
    private String clockText = "";

    ConsoleSink(PrintWriter out, Format format, boolean live) {
        // Lines are buffered and written at most every FLUSH_INTERVAL (and at the end), so a run of
        // many quick nodes does not wait on the terminal or the pipe once per line.
        this.out = new PrintWriter(new java.io.BufferedWriter(out, 1 << 16), false);
        this.format = format;
        this.live = live && format == Format.TEXT;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "baton-console");
            thread.setDaemon(true);
            return thread;
        });
        if (!this.live) {
            timer.scheduleWithFixedDelay(this::flushNow, FLUSH_INTERVAL_MILLIS, FLUSH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void flushNow() {
        out.flush();
        lastFlush = System.nanoTime();
    }

    /** Writes what is buffered now when the run ends, on a terminal, or when the last write is long enough ago. */
    private void flushSoon(RunEvent event) {
        if (live || event instanceof RunEvent.RunFinished || System.nanoTime() - lastFlush >= FLUSH_INTERVAL_MILLIS * 1_000_000L) {
            flushNow();
        }
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        flushNow();
    }

    /** Remembers what kind of node each id is, for the closing summary ("3 view models, 2 seeds"). */
    void describeKinds(Map<String, String> kindByNode) {
        kinds.putAll(kindByNode);
    }

    @Override
    public synchronized void accept(RunEvent event) {
        if (format == Format.JSON) {
            printJson(event);
            flushSoon(event);
            return;
        }
        clearStatus();
        if (event instanceof RunEvent.RunStarted started) {
            runStarted(started);
        } else if (event instanceof RunEvent.NodeStarted started) {
            running.put(started.nodeId(), started);
            if (!live) {
                line(progress(started.index(), started.total(), "START " + started.description(), "[RUN]"));
            }
        } else if (event instanceof RunEvent.NodeFinished finished) {
            running.remove(finished.result().nodeId());
            done++;
            if (finished.result().status().isFailure()) {
                failures++;
            }
            line(progress(finished.index(), finished.total(), verb(finished), badge(finished.result())));
        } else if (event instanceof RunEvent.RunFinished finished) {
            // Everything left is written below, at once.
            timer.shutdownNow();
            summary(finished);
        }
        showStatus();
        flushSoon(event);
    }

    private void runStarted(RunEvent.RunStarted started) {
        total = started.nodeCount();
        line("Running with baton " + dev.baton.artifact.Artifacts.batonVersion() + " on target " + started.target() + " ("
                + started.threads() + " threads), " + started.nodeCount() + " nodes");
        if (live) {
            timer.scheduleAtFixedRate(this::redraw, 200, 200, TimeUnit.MILLISECONDS);
        }
    }

    private void line(String text) {
        out.print(clock());
        out.print("  ");
        out.println(text);
    }

    /** The wall-clock time of day for a line, formatted once per second rather than once per line. */
    private String clock() {
        long second = System.currentTimeMillis() / 1000;
        if (second != clockSecond) {
            clockSecond = second;
            clockText = LocalTime.now(ZoneId.systemDefault()).format(CLOCK);
        }
        return clockText;
    }

    /** A duration as seconds with two decimals, rounded half up, such as {@code 0.05s}. */
    static String seconds(java.time.Duration duration) {
        long hundredths = (duration.toNanos() + 5_000_000L) / 10_000_000L;
        long fraction = hundredths % 100;
        return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction + "s";
    }

    static String progress(int index, int total, String text, String badge) {
        String left = index + " of " + total + " " + text + " ";
        StringBuilder line = new StringBuilder(left);
        while (line.length() < WIDTH - badge.length() - 1) {
            line.append('.');
        }
        return line.append(' ').append(badge).toString();
    }

    private static String verb(RunEvent.NodeFinished finished) {
        NodeResult result = finished.result();
        String description = finished.description();
        return switch (result.status()) {
            case SUCCESS -> "OK " + result.message();
            case ERROR -> "ERROR " + (result.resourceType().equals("test") ? description : (result.resourceType().equals("seed") ? "loading " : "creating ") + description);
            case PASS -> "PASS " + description;
            case WARN -> "WARN " + result.failures().orElse(0) + " " + description;
            case FAIL -> "FAIL " + result.failures().orElse(0) + " " + description;
            case SKIPPED -> "SKIP " + description;
            case CANCELLED -> "CANCEL " + description;
        };
    }

    private static String badge(NodeResult result) {
        String seconds = seconds(result.duration());
        return switch (result.status()) {
            case SUCCESS -> result.resourceType().equals("seed") && result.rowsAffected().isPresent()
                    ? "[INSERT " + result.rowsAffected().getAsLong() + " in " + seconds + "]"
                    : "[OK in " + seconds + "]";
            case ERROR -> "[ERROR in " + seconds + "]";
            case PASS -> "[PASS in " + seconds + "]";
            case WARN -> "[WARN " + result.failures().orElse(0) + " in " + seconds + "]";
            case FAIL -> "[FAIL " + result.failures().orElse(0) + " in " + seconds + "]";
            case SKIPPED -> "[SKIP]";
            case CANCELLED -> "[CANCEL]";
        };
    }

    private void summary(RunEvent.RunFinished finished) {
        Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
        for (NodeResult result : finished.results()) {
            counts.merge(result.status(), 1, Integer::sum);
        }
        out.println();
        line("Finished running " + kindsSummary(finished.results()) + " in " + elapsed(finished.elapsed()) + ".");
        List<NodeResult> problems = new ArrayList<>();
        for (NodeResult result : finished.results()) {
            if (result.status().isFailure() || result.status() == NodeStatus.WARN) {
                problems.add(result);
            }
        }
        int errors = counts.getOrDefault(NodeStatus.ERROR, 0) + counts.getOrDefault(NodeStatus.FAIL, 0);
        int warnings = counts.getOrDefault(NodeStatus.WARN, 0);
        out.println();
        if (finished.status() == RunStatus.CANCELLED) {
            line("Cancelled: nodes that had not finished were stopped; nothing half-built was published.");
        } else if (problems.isEmpty()) {
            line("Completed successfully");
        } else {
            line("Completed with " + plural(errors, "error") + " and " + plural(warnings, "warning") + ":");
        }
        for (NodeResult problem : problems) {
            out.println();
            String kind = problem.status() == NodeStatus.WARN ? "Warning in " : problem.status() == NodeStatus.FAIL ? "Failure in " : "Error in ";
            line(kind + problem.resourceType() + " " + shortName(problem.nodeId()));
            line("  " + problem.message());
        }
        out.println();
        line("Done. PASS=" + (counts.getOrDefault(NodeStatus.SUCCESS, 0) + counts.getOrDefault(NodeStatus.PASS, 0))
                + " WARN=" + warnings + " ERROR=" + errors + " SKIP=" + counts.getOrDefault(NodeStatus.SKIPPED, 0)
                + (counts.containsKey(NodeStatus.CANCELLED) ? " CANCEL=" + counts.get(NodeStatus.CANCELLED) : "")
                + " TOTAL=" + finished.results().size());
    }

    private String kindsSummary(List<NodeResult> results) {
        Map<String, Integer> byKind = new LinkedHashMap<>();
        for (NodeResult result : results) {
            byKind.merge(kinds.getOrDefault(result.nodeId(), result.resourceType()), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        byKind.forEach((kind, count) -> parts.add(plural(count, kind)));
        return parts.isEmpty() ? "0 nodes" : String.join(", ", parts);
    }

    private static String plural(int count, String noun) {
        if (count == 1) {
            return "1 " + noun;
        }
        String[] words = noun.split(" ");
        String last = words[words.length - 1];
        words[words.length - 1] = last.endsWith("s") ? last : last + "s";
        return count + " " + String.join(" ", words);
    }

    private static String elapsed(Duration duration) {
        double seconds = duration.toMillis() / 1000.0;
        return String.format(Locale.ROOT, "%d hours %d minutes and %.2f seconds (%.2fs)", duration.toHours(), duration.toMinutesPart(),
                duration.toSecondsPart() + duration.toMillisPart() / 1000.0, seconds);
    }

    private static String shortName(String nodeId) {
        String[] parts = nodeId.split("\\.", 3);
        return parts.length == 3 ? parts[2] : nodeId;
    }

    private synchronized void redraw() {
        clearStatus();
        showStatus();
        out.flush();
    }

    private void clearStatus() {
        if (live && statusShown) {
            out.print("\r\033[2K");
            statusShown = false;
        }
    }

    private void showStatus() {
        if (!live || running.isEmpty()) {
            return;
        }
        StringBuilder status = new StringBuilder("[" + done + "/" + total + "]");
        if (failures > 0) {
            status.append(" failures: ").append(failures).append(" |");
        }
        status.append(" running:");
        long now = System.currentTimeMillis();
        for (RunEvent.NodeStarted started : running.values()) {
            status.append(' ').append(shortName(started.nodeId())).append(String.format(Locale.ROOT, " (%.1fs)", (now - started.startedAt().toEpochMilli()) / 1000.0));
        }
        String text = status.length() > 160 ? status.substring(0, 157) + "..." : status.toString();
        out.print(text);
        statusShown = true;
    }

    private void printJson(RunEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", java.time.Instant.now().toString());
        line.put("run_id", event.runId());
        if (event instanceof RunEvent.RunStarted started) {
            line.put("event", "run_started");
            line.put("command", started.command());
            line.put("target", started.target());
            line.put("nodes", started.nodeCount());
            line.put("threads", started.threads());
        } else if (event instanceof RunEvent.NodeStarted started) {
            line.put("event", "node_started");
            line.put("node", started.nodeId());
            line.put("index", started.index());
            line.put("total", started.total());
        } else if (event instanceof RunEvent.NodeFinished finished) {
            line.put("event", "node_finished");
            line.put("node", finished.result().nodeId());
            line.put("index", finished.index());
            line.put("total", finished.total());
            line.put("status", finished.result().status().name().toLowerCase(Locale.ROOT));
            line.put("message", finished.result().message());
            line.put("duration_s", finished.result().duration().toMillis() / 1000.0);
            finished.result().rowsAffected().ifPresent(rows -> line.put("rows", rows));
            finished.result().failures().ifPresent(count -> line.put("failures", count));
        } else if (event instanceof RunEvent.AuditFinished audit) {
            line.put("event", "audit_finished");
            line.put("node", audit.nodeId());
            line.put("published", audit.published());
            line.put("queries", audit.queries());
        } else if (event instanceof RunEvent.RunFinished finished) {
            line.put("event", "run_finished");
            line.put("status", finished.status().label());
            line.put("elapsed_s", finished.elapsed().toMillis() / 1000.0);
        }
        try {
            out.println(JSON.writeValueAsString(line));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            out.println("{\"event\":\"error\",\"message\":\"" + e.getMessage().replace("\"", "'") + "\"}");
        }
    }
}
