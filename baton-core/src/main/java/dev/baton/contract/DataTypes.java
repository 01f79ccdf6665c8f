package dev.baton.contract;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares SQL types as DuckDB reads them: {@code int}, {@code integer}, {@code int4} and
 * {@code signed} are one type; so are {@code varchar}, {@code text} and {@code string}; a
 * {@code decimal} without precision is {@code decimal(18,3)}.
 */
public final class DataTypes {
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("INT", "INTEGER"), Map.entry("INT4", "INTEGER"), Map.entry("SIGNED", "INTEGER"), Map.entry("INTEGER", "INTEGER"),
            Map.entry("INT8", "BIGINT"), Map.entry("LONG", "BIGINT"), Map.entry("BIGINT", "BIGINT"),
            Map.entry("INT2", "SMALLINT"), Map.entry("SHORT", "SMALLINT"), Map.entry("SMALLINT", "SMALLINT"),
            Map.entry("INT1", "TINYINT"), Map.entry("TINYINT", "TINYINT"), Map.entry("HUGEINT", "HUGEINT"),
            Map.entry("UINTEGER", "UINTEGER"), Map.entry("UBIGINT", "UBIGINT"), Map.entry("USMALLINT", "USMALLINT"), Map.entry("UTINYINT", "UTINYINT"),
            Map.entry("VARCHAR", "VARCHAR"), Map.entry("TEXT", "VARCHAR"), Map.entry("STRING", "VARCHAR"), Map.entry("CHAR", "VARCHAR"),
            Map.entry("BPCHAR", "VARCHAR"), Map.entry("NVARCHAR", "VARCHAR"), Map.entry("CHARACTER VARYING", "VARCHAR"), Map.entry("CHARACTER", "VARCHAR"),
            Map.entry("DOUBLE", "DOUBLE"), Map.entry("FLOAT8", "DOUBLE"), Map.entry("DOUBLE PRECISION", "DOUBLE"),
            Map.entry("FLOAT", "FLOAT"), Map.entry("FLOAT4", "FLOAT"), Map.entry("REAL", "FLOAT"),
            Map.entry("BOOLEAN", "BOOLEAN"), Map.entry("BOOL", "BOOLEAN"), Map.entry("LOGICAL", "BOOLEAN"),
            Map.entry("DATE", "DATE"), Map.entry("TIME", "TIME"), Map.entry("INTERVAL", "INTERVAL"), Map.entry("UUID", "UUID"), Map.entry("JSON", "JSON"),
            Map.entry("TIMESTAMP", "TIMESTAMP"), Map.entry("DATETIME", "TIMESTAMP"), Map.entry("TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP"),
            Map.entry("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"), Map.entry("TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE"),
            Map.entry("BLOB", "BLOB"), Map.entry("BYTEA", "BLOB"), Map.entry("BINARY", "BLOB"), Map.entry("VARBINARY", "BLOB"));
    private static final Pattern SIZED = Pattern.compile("^([A-Z ]+?)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)$");
    /** Integer types from narrowest to widest, for telling a narrowing change from a widening one. */
    private static final java.util.List<String> INTEGER_WIDTHS = java.util.List.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT");

    private DataTypes() {}

    /** The canonical spelling of a type: upper case, aliases resolved, text lengths dropped (DuckDB ignores them). */
    public static String normalize(String type) {
        String upper = type.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        Matcher sized = SIZED.matcher(upper);
        if (sized.matches()) {
            String base = sized.group(1).trim();
            if (base.equals("DECIMAL") || base.equals("NUMERIC")) {
                return "DECIMAL(" + sized.group(2) + "," + (sized.group(3) == null ? "0" : sized.group(3)) + ")";
            }
            String alias = ALIASES.get(base);
            if ("VARCHAR".equals(alias)) {
                return "VARCHAR";
            }
            return alias == null ? upper.replace(" ", "") : alias;
        }
        if (upper.equals("DECIMAL") || upper.equals("NUMERIC")) {
            return "DECIMAL(18,3)";
        }
        return ALIASES.getOrDefault(upper, upper);
    }

    public static boolean same(String left, String right) {
        return normalize(left).equals(normalize(right));
    }

    /**
     * Whether a column of type {@code before} changed to {@code after} can no longer hold every value it
     * could: a narrower integer, fewer decimal digits, or any change between unrelated types.
     */
    public static boolean narrowed(String before, String after) {
        String from = normalize(before);
        String to = normalize(after);
        if (from.equals(to) || to.equals("VARCHAR")) {
            return false;
        }
        int fromWidth = INTEGER_WIDTHS.indexOf(from);
        int toWidth = INTEGER_WIDTHS.indexOf(to);
        if (fromWidth >= 0 && toWidth >= 0) {
            return toWidth < fromWidth;
        }
        if (fromWidth >= 0 && (to.equals("DOUBLE") || to.startsWith("DECIMAL("))) {
            return to.startsWith("DECIMAL(") && digits(to)[0] - digits(to)[1] < new int[] {3, 5, 10, 19, 39}[fromWidth];
        }
        if (from.equals("FLOAT") && to.equals("DOUBLE")) {
            return false;
        }
        if (from.startsWith("DECIMAL(") && to.startsWith("DECIMAL(")) {
            int[] a = digits(from);
            int[] b = digits(to);
            return b[1] < a[1] || b[0] - b[1] < a[0] - a[1];
        }
        if (from.equals("TIMESTAMP") && to.equals("TIMESTAMP WITH TIME ZONE") || from.equals("DATE") && to.startsWith("TIMESTAMP")) {
            return false;
        }
        return true;
    }

    private static int[] digits(String decimal) {
        String[] parts = decimal.substring("DECIMAL(".length(), decimal.length() - 1).split(",");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }
}
