package dev.baton.schedule;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the project file writes them: {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, and {@code 30d} windows. */
public final class DurationText {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationText() {}

    /**
     * A duration given on the command line or in an API request.
     *
     * @throws BatonException {@code INVALID_ARGUMENT}
     */
    public static Duration parseArgument(String text, String option) {
        Matcher matcher = DURATION.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, option + " must be a duration such as 30s, 5m, 2h or 30d, not '" + text + "'");
        }
        return parse(text, option, SourceLocation.ofFile(option));
    }

    /**
     * @param key the key shown in the error, such as {@code timeout}
     * @throws BatonException {@code INVALID_CONFIG_VALUE} at {@code location}
     */
    public static Duration parse(String text, String key, SourceLocation location) {
        Matcher matcher = DURATION.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, key + " must be a duration such as 30s, 5m, 2h or 1d, not '" + text + "'", location);
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
