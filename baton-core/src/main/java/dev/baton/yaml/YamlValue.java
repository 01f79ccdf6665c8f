package dev.baton.yaml;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML value that remembers where it was written, so every configuration error can point at
 * file:line. Scalars keep their text; mappings keep key order.
 */
public sealed interface YamlValue {
    /** Compiled once: scalars are typed for every value of every file. */
    final class Patterns {
        static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("[-+]?[0-9]+");
        static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("[-+]?([0-9]*\\.[0-9]+|[0-9]+\\.[0-9]*)([eE][-+]?[0-9]+)?");

        private Patterns() {}
    }

    SourceLocation location();

    /** The plain Java form: String/Boolean/Long/Double/null, List, or LinkedHashMap. */
    Object toJava();

    record Scalar(String text, boolean quoted, SourceLocation location) implements YamlValue {
        public Scalar {
            requireNonNull(location, "location is null");
        }

        public boolean isNull() {
            return text == null;
        }

        @Override
        public Object toJava() {
            if (text == null) {
                return null;
            }
            if (quoted) {
                return text;
            }
            switch (text) {
                case "true", "True", "TRUE", "yes", "Yes" -> {
                    return Boolean.TRUE;
                }
                case "false", "False", "FALSE", "no", "No" -> {
                    return Boolean.FALSE;
                }
                default -> {
                }
            }
            if (Patterns.INTEGER.matcher(text).matches()) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException ignored) {
                    return text;
                }
            }
            if (Patterns.DECIMAL.matcher(text).matches()) {
                return Double.parseDouble(text);
            }
            return text;
        }
    }

    record Sequence(List<YamlValue> items, SourceLocation location) implements YamlValue {
        public Sequence {
            items = Collections.unmodifiableList(new ArrayList<>(items));
            requireNonNull(location, "location is null");
        }

        @Override
        public Object toJava() {
            List<Object> result = new ArrayList<>(items.size());
            for (YamlValue item : items) {
                result.add(item.toJava());
            }
            return result;
        }
    }

    /** A mapping; keys are the scalar texts, with the location of each key kept beside it. */
    record Mapping(Map<String, YamlValue> entries, Map<String, SourceLocation> keyLocations, SourceLocation location) implements YamlValue {
        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyLocations = Collections.unmodifiableMap(new LinkedHashMap<>(keyLocations));
            requireNonNull(location, "location is null");
        }

        public Optional<YamlValue> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        public SourceLocation keyLocation(String key) {
            return keyLocations.getOrDefault(key, location);
        }

        /** The value as a string, if present and a scalar; an error when it is a list or mapping. */
        public Optional<String> string(String key) {
            YamlValue value = entries.get(key);
            if (value == null) {
                return Optional.empty();
            }
            if (value instanceof Scalar scalar) {
                return Optional.ofNullable(scalar.text());
            }
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "'" + key + "' must be a single value, not a list or mapping", value.location());
        }

        public Optional<Mapping> mapping(String key) {
            YamlValue value = entries.get(key);
            if (value == null || value instanceof Scalar scalar && scalar.isNull()) {
                return Optional.empty();
            }
            if (value instanceof Mapping mapping) {
                return Optional.of(mapping);
            }
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "'" + key + "' must be a mapping of keys to values", value.location());
        }

        public List<YamlValue> sequence(String key) {
            YamlValue value = entries.get(key);
            if (value == null || value instanceof Scalar scalar && scalar.isNull()) {
                return List.of();
            }
            if (value instanceof Sequence sequence) {
                return sequence.items();
            }
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "'" + key + "' must be a list", value.location());
        }

        @Override
        public Object toJava() {
            Map<String, Object> result = new LinkedHashMap<>();
            entries.forEach((key, value) -> result.put(key, value.toJava()));
            return result;
        }
    }
}
