package dev.baton.cli;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads {@code --wait} values such as {@code 500ms}, {@code 60s}, {@code 5m} or {@code 1h}, and waits for a locked warehouse. */
final class WaitDuration implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final long POLL_MILLIS = 250;

    @Override
    public Duration convert(String value) {
        Matcher matcher = FORMAT.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration; write it like 500ms, 60s, 5m or 1h");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** Opens with {@code opener}, trying again while the warehouse is locked by another process, until {@code wait} has passed. */
    static <T> T retryWhileLocked(Duration wait, Supplier<T> opener) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return opener.get();
            } catch (BatonException e) {
                if (e.errorCode() != ErrorCode.WAREHOUSE_LOCKED || System.nanoTime() >= deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BatonException(ErrorCode.WAREHOUSE_LOCKED, "interrupted while waiting for the warehouse");
            }
        }
    }
}
