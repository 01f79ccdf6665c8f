package dev.baton.cli;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import java.util.Locale;

/** The --output choices of listing commands. */
enum OutputFormat {
    TEXT,
    JSON;

    static OutputFormat parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "--output must be text or json, not '" + value + "'");
        }
    }
}
