package dev.baton.server.ui;

import dev.baton.api.event.NodeStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/** Escaping and the small pieces of markup every page shares. */
final class Html {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Html() {}

    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&':
                    out.append("&amp;");
                    break;
                case '<':
                    out.append("&lt;");
                    break;
                case '>':
                    out.append("&gt;");
                    break;
                case '"':
                    out.append("&quot;");
                    break;
                case '\'':
                    out.append("&#39;");
                    break;
                default:
                    out.append(c);
            }
        }
        return out.toString();
    }

    private static final java.util.regex.Pattern DOC_CALL = java.util.regex.Pattern.compile("\\{\\{\\s*doc\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*}}");

    /** A description with its {@code {{ doc("name") }}} references replaced by the project's docs blocks. */
    static String description(String text, java.util.Map<String, String> docs) {
        java.util.regex.Matcher matcher = DOC_CALL.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(docs.getOrDefault(matcher.group(1), matcher.group()).strip()));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    static String url(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return (millis / 60_000) + " min " + (millis / 1000 % 60) + " s";
    }

    /** A status as a coloured label with an icon and its word, so that it reads without colour too. */
    static String status(Optional<NodeStatus> status) {
        String word = status.map(value -> value.name().toLowerCase(Locale.ROOT)).orElse("not run");
        return "<span class=\"status status-" + cssClass(status) + "\" data-status=\"" + esc(word) + "\">" + icon(status) + " " + esc(word) + "</span>";
    }

    static String status(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        String css = switch (lower) {
            case "success", "pass" -> "ok";
            case "error", "fail", "failed", "crashed" -> "bad";
            case "warn", "running", "queued" -> "warn";
            default -> "idle";
        };
        String icon = switch (css) {
            case "ok" -> "✓";
            case "bad" -> "✗";
            case "warn" -> "running".equals(lower) || "queued".equals(lower) ? "◷" : "⚠";
            default -> "–";
        };
        return "<span class=\"status status-" + css + "\" data-status=\"" + esc(lower) + "\">" + icon + " " + esc(lower) + "</span>";
    }

    static String cssClass(Optional<NodeStatus> status) {
        if (status.isEmpty()) {
            return "none";
        }
        switch (status.get()) {
            case SUCCESS:
            case PASS:
                return "ok";
            case ERROR:
            case FAIL:
                return "bad";
            case WARN:
                return "warn";
            default:
                return "idle";
        }
    }

    static String icon(Optional<NodeStatus> status) {
        if (status.isEmpty()) {
            return "○";
        }
        switch (status.get()) {
            case SUCCESS:
            case PASS:
                return "✓";
            case ERROR:
            case FAIL:
                return "✗";
            case WARN:
                return "⚠";
            case SKIPPED:
                return "↷";
            default:
                return "⊘";
        }
    }

    static String tier(Optional<Integer> tier) {
        return tier.map(value -> "<span class=\"tier tier-" + value + "\" title=\"tier " + value + "\">T" + value + "</span>").orElse("");
    }
}
