package dev.baton.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The one exception type Baton reports to users. Its message says what failed, the state that
 * matters and how to fix it; {@link #getMessage()} prefixes the location when there is one.
 */
public class BatonException extends RuntimeException {
    private final ErrorCode errorCode;
    private final String detail;
    private final Optional<SourceLocation> location;

    public BatonException(ErrorCode errorCode, String detail) {
        this(errorCode, detail, Optional.empty(), null);
    }

    public BatonException(ErrorCode errorCode, String detail, SourceLocation location) {
        this(errorCode, detail, Optional.of(location), null);
    }

    public BatonException(ErrorCode errorCode, String detail, Optional<SourceLocation> location, Throwable cause) {
        super(format(detail, location), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
        this.detail = requireNonNull(detail, "detail is null");
        this.location = requireNonNull(location, "location is null");
    }

    private static String format(String detail, Optional<SourceLocation> location) {
        return location.map(value -> value + ": " + detail).orElse(detail);
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    /** The message without the location prefix. */
    public String detail() {
        return detail;
    }

    public Optional<SourceLocation> location() {
        return location;
    }
}
