package dev.baton.check;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A condition on a check's failure count, as dbt's {@code warn_if} and {@code error_if} write it:
 * {@code ">10"}, {@code "!=0"}, {@code ">= 5"}.
 */
public record Threshold(String operator, long value) {
    /** dbt's default for both {@code warn_if} and {@code error_if}. */
    public static final Threshold ANY = new Threshold("!=", 0);
    private static final Pattern FORM = Pattern.compile("^\\s*(!=|<>|>=|<=|==|=|>|<)\\s*(\\d+)\\s*$");

    public Threshold {
        requireNonNull(operator, "operator is null");
    }

    /** Parses a threshold; a malformed one is an error at {@code location}. */
    public static Threshold parse(String key, Object text, SourceLocation location) {
        Matcher matcher = FORM.matcher(String.valueOf(text));
        if (!matcher.matches()) {
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "'" + key + "' must be a comparison with a whole number, such as \">10\" or \"!=0\", not '"
                    + text + "'", location);
        }
        String operator = matcher.group(1).equals("<>") ? "!=" : matcher.group(1).equals("==") ? "=" : matcher.group(1);
        return new Threshold(operator, Long.parseLong(matcher.group(2)));
    }

    public boolean test(long failures) {
        return switch (operator) {
            case "!=" -> failures != value;
            case "=" -> failures == value;
            case ">" -> failures > value;
            case ">=" -> failures >= value;
            case "<" -> failures < value;
            case "<=" -> failures <= value;
            default -> throw new IllegalStateException(operator);
        };
    }

    @Override
    public String toString() {
        return operator + " " + value;
    }
}
