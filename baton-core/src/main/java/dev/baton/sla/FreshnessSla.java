package dev.baton.sla;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.project.Node;
import dev.baton.project.ResourceType;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A freshness SLA in dbt's syntax, on a source ({@code freshness:} beside {@code loaded_at_field})
 * or on a model ({@code config: {freshness: {warn_after: {count: 6, period: hour}, error_after: ...}}}).
 */
public record FreshnessSla(Optional<Duration> warnAfter, Optional<Duration> errorAfter) {
    public FreshnessSla {
        requireNonNull(warnAfter, "warnAfter is null");
        requireNonNull(errorAfter, "errorAfter is null");
    }

    /**
     * The SLA of a node, when it declares one.
     *
     * @throws BatonException {@code INVALID_CONFIG_VALUE} at the node for a threshold that cannot be read
     */
    public static Optional<FreshnessSla> of(Node node) {
        if (node.resourceType() != ResourceType.MODEL && node.resourceType() != ResourceType.SOURCE) {
            return Optional.empty();
        }
        Object block = node.config().other().get("freshness");
        if (block == null) {
            return Optional.empty();
        }
        if (!(block instanceof Map<?, ?> map)) {
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "freshness of " + node.uniqueId()
                    + " must be a mapping such as '{error_after: {count: 12, period: hour}}'", node.location());
        }
        FreshnessSla sla = new FreshnessSla(threshold(map.get("warn_after"), node, "warn_after"), threshold(map.get("error_after"), node, "error_after"));
        return sla.warnAfter().isEmpty() && sla.errorAfter().isEmpty() ? Optional.empty() : Optional.of(sla);
    }

    private static Optional<Duration> threshold(Object value, Node node, String key) {
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map) || map.get("count") == null || map.get("period") == null) {
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "freshness." + key + " of " + node.uniqueId()
                    + " must be a mapping such as '{count: 12, period: hour}'", node.location());
        }
        long count;
        try {
            count = Long.parseLong(String.valueOf(map.get("count")));
        } catch (NumberFormatException e) {
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "freshness." + key + ".count of " + node.uniqueId()
                    + " must be a whole number, not '" + map.get("count") + "'", node.location());
        }
        return Optional.of(switch (String.valueOf(map.get("period")).toLowerCase(Locale.ROOT)) {
            case "minute" -> Duration.ofMinutes(count);
            case "hour" -> Duration.ofHours(count);
            case "day" -> Duration.ofDays(count);
            default -> throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "freshness." + key + ".period of " + node.uniqueId()
                    + " is '" + map.get("period") + "'; use minute, hour or day", node.location());
        });
    }

    /** pass, warn or error for a given age. */
    public SlaStatus judge(Duration age) {
        if (errorAfter.filter(limit -> age.compareTo(limit) > 0).isPresent()) {
            return SlaStatus.ERROR;
        }
        return warnAfter.filter(limit -> age.compareTo(limit) > 0).isPresent() ? SlaStatus.WARN : SlaStatus.PASS;
    }
}
