package dev.baton.ingest.freshness;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.project.Node;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * dbt's source freshness: the newest {@code loaded_at_field} of a source table against its
 * {@code freshness: {warn_after, error_after}}.
 */
public final class SourceFreshness {
    private SourceFreshness() {}

    /** The outcome for one source table. */
    public record Result(String status, Optional<String> maxLoadedAt, Optional<Duration> age, String message) {}

    /** Whether the source declares what freshness needs. */
    public static boolean declared(Node node) {
        return node.config().other().get("loaded_at_field") != null && node.config().other().get("freshness") instanceof Map<?, ?>;
    }

    public static Result check(Engine engine, Node node) {
        String field = String.valueOf(node.config().other().get("loaded_at_field"));
        Map<?, ?> freshness = (Map<?, ?>) node.config().other().get("freshness");
        Optional<Duration> warnAfter = threshold(freshness.get("warn_after"), node, "warn_after");
        Optional<Duration> errorAfter = threshold(freshness.get("error_after"), node, "error_after");
        Object filter = freshness.get("filter");
        String sql = "SELECT CAST(max(" + field + ") AS VARCHAR), epoch_ms(now()) - epoch_ms(CAST(max(" + field + ") AS TIMESTAMPTZ)) FROM "
                + engine.render(node.relation().orElseThrow()) + (filter == null ? "" : " WHERE " + filter);
        QueryResult result;
        try (EngineSession session = engine.openSession()) {
            result = session.query(sql, 1);
        } catch (SQLException e) {
            String text = String.valueOf(e.getMessage());
            int newline = text.indexOf('\n');
            return new Result("runtime error", Optional.empty(), Optional.empty(), "cannot read " + field + " of " + node.relation().orElseThrow()
                    + ": " + (newline < 0 ? text : text.substring(0, newline)));
        }
        String max = result.rows().get(0).get(0);
        if (max == null) {
            return new Result("error", Optional.empty(), Optional.empty(), "no rows, so no " + field + " to judge by");
        }
        Duration age = Duration.ofMillis(Long.parseLong(result.rows().get(0).get(1)));
        String status = errorAfter.filter(limit -> age.compareTo(limit) > 0).isPresent() ? "error"
                : warnAfter.filter(limit -> age.compareTo(limit) > 0).isPresent() ? "warn" : "pass";
        String limits = warnAfter.map(limit -> "warn after " + describe(limit)).orElse("")
                + (warnAfter.isPresent() && errorAfter.isPresent() ? ", " : "") + errorAfter.map(limit -> "error after " + describe(limit)).orElse("");
        return new Result(status, Optional.of(max), Optional.of(age), "newest " + field + " " + max + ", " + describe(age) + " old" + (limits.isEmpty() ? "" : "; " + limits));
    }

    private static Optional<Duration> threshold(Object value, Node node, String key) {
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map) || map.get("count") == null || map.get("period") == null) {
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "freshness." + key + " of source " + node.fqn().get(1) + "." + node.name()
                    + " must be a mapping such as '{count: 12, period: hour}'", node.location());
        }
        long count;
        try {
            count = Long.parseLong(String.valueOf(map.get("count")));
        } catch (NumberFormatException e) {
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "freshness." + key + ".count of source " + node.fqn().get(1) + "." + node.name()
                    + " must be a whole number, not '" + map.get("count") + "'", node.location());
        }
        return Optional.of(switch (String.valueOf(map.get("period")).toLowerCase(Locale.ROOT)) {
            case "minute" -> Duration.ofMinutes(count);
            case "hour" -> Duration.ofHours(count);
            case "day" -> Duration.ofDays(count);
            default -> throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "freshness." + key + ".period of source " + node.fqn().get(1) + "."
                    + node.name() + " is '" + map.get("period") + "'; use minute, hour or day", node.location());
        });
    }

    static String describe(Duration duration) {
        long minutes = duration.toMinutes();
        if (minutes < 120) {
            return minutes + " minutes";
        }
        long hours = duration.toHours();
        return hours < 48 ? hours + " hours" : duration.toDays() + " days";
    }
}
