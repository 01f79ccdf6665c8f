package dev.baton.api.ingest;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A source's {@code connector:} block, validated and with {@code env_var()} resolved. Values that
 * came from the environment, and passwords, are secrets: {@link #redact} removes them from any
 * text, and {@link #failure} redacts every message it builds.
 *
 * @param sourceName the source table, such as {@code app.orders}, for messages
 * @param values option values as YAML gave them (strings, numbers, booleans, lists, maps)
 * @param location the YAML line of the source table
 * @param secrets the secret values, never to be shown
 */
public record ConnectorOptions(String sourceName, Map<String, Object> values, SourceLocation location, Set<String> secrets) {
    /** Shown in place of a secret. */
    public static final String MASK = "****";

    public ConnectorOptions {
        requireNonNull(sourceName, "sourceName is null");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        requireNonNull(location, "location is null");
        secrets = Set.copyOf(secrets);
    }

    public Optional<String> string(String key) {
        Object value = values.get(key);
        return value == null ? Optional.empty() : Optional.of(String.valueOf(value));
    }

    public String required(String key) {
        return string(key).filter(value -> !value.isBlank()).orElseThrow(() -> failure(ErrorCode.INVALID_CONFIG_VALUE,
                "the connector of source " + sourceName + " needs '" + key + "'; add it to the connector block"));
    }

    public long integer(String key, long defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw failure(ErrorCode.INVALID_CONFIG_VALUE, "connector option '" + key + "' of source " + sourceName + " must be a whole number, not '"
                    + redact(String.valueOf(value)) + "'");
        }
    }

    public boolean flag(String key, boolean defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean bool) {
            return bool;
        }
        String text = String.valueOf(value).trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw failure(ErrorCode.INVALID_CONFIG_VALUE, "connector option '" + key + "' of source " + sourceName + " must be true or false, not '"
                + redact(text) + "'");
    }

    /** One of the allowed words, or the default. */
    public String choice(String key, List<String> allowed, String defaultValue) {
        String value = string(key).orElse(defaultValue);
        if (!allowed.contains(value)) {
            throw failure(ErrorCode.INVALID_CONFIG_VALUE, "connector option '" + key + "' of source " + sourceName + " is '" + redact(value)
                    + "'; use one of " + String.join(", ", allowed));
        }
        return value;
    }

    /** The text with every secret replaced by {@value #MASK}. */
    public String redact(String text) {
        if (text == null) {
            return "";
        }
        String result = text;
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }

    /**
     * A failure because the source dropped the connection while the load was being prepared: Baton
     * opens the source again, as for a {@link SourceInterruptedException} from a running read.
     */
    public BatonException interrupted(String detail) {
        String message = redact(detail);
        return new BatonException(ErrorCode.LOAD_FAILED, message, Optional.of(location), new SourceInterruptedException(message));
    }

    /** An error at the source's YAML line, with secrets removed from the message. */
    public BatonException failure(ErrorCode code, String detail) {
        return new BatonException(code, redact(detail), Optional.of(location), null);
    }
}
