package dev.baton.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.el.ext.NamedParameter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * dbt's context functions for data held in text and for plain collections: {@code tojson},
 * {@code fromjson}, {@code toyaml}, {@code fromyaml}, {@code local_md5}, {@code zip} and
 * {@code set}. As in dbt, each that can fail takes a {@code default}, returned when it does.
 */
final class DataFunctions {
    /** Template name to Java method name. */
    static final Map<String, String> FUNCTIONS = Map.of(
            "tojson", "toJson",
            "fromjson", "fromJson",
            "toyaml", "toYaml",
            "fromyaml", "fromYaml",
            "local_md5", "localMd5",
            "zip", "zip",
            "set", "toSet");

    private static final ObjectMapper JSON = new ObjectMapper();

    private DataFunctions() {}

    /** {@code tojson(value, default=none, sort_keys=false)}: Python's {@code json.dumps}, spacing and escapes included. */
    static Object toJson(Object... arguments) {
        Arguments args = new Arguments(arguments, "value", "default", "sort_keys");
        StringBuilder out = new StringBuilder();
        writeJson(out, withSortedKeys(PlainValues.toPlain(args.get("value")), args.get("sort_keys")));
        return out.toString();
    }

    /** {@code fromjson(string, default=none)}: the value the JSON text holds. */
    static Object fromJson(Object... arguments) {
        Arguments args = new Arguments(arguments, "string", "default");
        try {
            return PlainValues.toPlain(JSON.readValue(String.valueOf(args.get("string")), Object.class));
        } catch (java.io.IOException | RuntimeException e) {
            return args.get("default");
        }
    }

    /** {@code toyaml(value, default=none, sort_keys=false)}: block-style YAML, as PyYAML's {@code safe_dump}. */
    static Object toYaml(Object... arguments) {
        Arguments args = new Arguments(arguments, "value", "default", "sort_keys");
        Object value = withSortedKeys(PlainValues.toPlain(args.get("value")), args.get("sort_keys"));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        try {
            return new Yaml(options).dump(value);
        } catch (RuntimeException e) {
            return args.get("default");
        }
    }

    /** {@code fromyaml(string, default=none)}: the value the YAML text holds. */
    static Object fromYaml(Object... arguments) {
        Arguments args = new Arguments(arguments, "string", "default");
        try {
            return PlainValues.toPlain(new Yaml(new SafeConstructor(new LoaderOptions())).load(String.valueOf(args.get("string"))));
        } catch (RuntimeException e) {
            return args.get("default");
        }
    }

    /** {@code local_md5(string)}: the MD5 of the text, in hex. */
    static Object localMd5(Object... arguments) {
        Arguments args = new Arguments(arguments, "string");
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(String.valueOf(args.get("string")).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }

    /** {@code zip(a, b, ...)}: lists of the items at the same place in each, as long as the shortest. */
    static Object zip(Object... arguments) {
        List<Iterator<?>> iterators = new ArrayList<>();
        for (Object argument : arguments) {
            if (argument instanceof NamedParameter named && named.getName().equals("default")) {
                continue;
            }
            if (!(argument instanceof Iterable<?> items)) {
                return new Arguments(arguments).get("default");
            }
            iterators.add(items.iterator());
        }
        List<List<Object>> zipped = new ArrayList<>();
        while (!iterators.isEmpty() && iterators.stream().allMatch(Iterator::hasNext)) {
            List<Object> row = new ArrayList<>(iterators.size());
            iterators.forEach(iterator -> row.add(iterator.next()));
            zipped.add(row);
        }
        return zipped;
    }

    /** {@code set(value, default=none)}: the distinct items of a list, in order. */
    static Object toSet(Object... arguments) {
        Arguments args = new Arguments(arguments, "value", "default");
        if (args.get("value") instanceof Iterable<?> items) {
            LinkedHashSet<Object> set = new LinkedHashSet<>();
            items.forEach(set::add);
            return set;
        }
        return args.get("default");
    }

    /** The value with every mapping's keys in order when {@code sortKeys} is true, as it is otherwise. */
    private static Object withSortedKeys(Object value, Object sortKeys) {
        return Boolean.TRUE.equals(sortKeys) ? sorted(value) : value;
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((key, item) -> sorted.put(String.valueOf(key), sorted(item)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(DataFunctions::sorted).toList();
        }
        return value;
    }

    private static void writeJson(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean || value instanceof Long) {
            out.append(value);
        } else if (value instanceof Double number) {
            out.append(number.isNaN() ? "NaN" : number.isInfinite() ? (number > 0 ? "Infinity" : "-Infinity") : pythonFloat(number));
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            String separator = "";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(separator);
                writeString(out, String.valueOf(entry.getKey()));
                out.append(": ");
                writeJson(out, entry.getValue());
                separator = ", ";
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            String separator = "";
            for (Object item : list) {
                out.append(separator);
                writeJson(out, item);
                separator = ", ";
            }
            out.append(']');
        } else {
            writeString(out, value.toString());
        }
    }

    /** Python's {@code repr} of a float: {@code 2.0}, {@code 10000000.0}, {@code 0.0001}, {@code 1e+20}, {@code 1.5e-07}. */
    private static String pythonFloat(double number) {
        String java = Double.toString(number);
        double magnitude = Math.abs(number);
        if (magnitude == 0) {
            return java;
        }
        if (magnitude >= 1e-4 && magnitude < 1e16) {
            String plain = new java.math.BigDecimal(java).stripTrailingZeros().toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        int exponent = java.indexOf('E');
        if (exponent < 0) {
            return java;
        }
        String mantissa = java.substring(0, exponent);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        String power = java.substring(exponent + 1);
        return mantissa + "e" + (power.startsWith("-") ? "-" : "+") + (power.replace("-", "").length() == 1 ? "0" : "") + power.replace("-", "");
    }

    /** A JSON string as Python writes it: ASCII only, other characters as {@code \\uXXXX}. */
    private static void writeString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Positional and named arguments by the names Python gives them. */
    private static final class Arguments {
        private final Map<String, Object> values = new java.util.HashMap<>();

        Arguments(Object[] arguments, String... names) {
            int position = 0;
            for (Object argument : arguments) {
                if (argument instanceof NamedParameter named) {
                    values.put(named.getName(), named.getValue());
                } else if (position < names.length) {
                    values.put(names[position++], argument);
                }
            }
        }

        Object get(String name) {
            return values.get(name);
        }
    }
}
