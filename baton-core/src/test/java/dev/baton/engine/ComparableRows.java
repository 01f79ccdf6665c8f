package dev.baton.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Query rows made comparable across engines: values as text, with the one spelling that differs
 * only in display (the JDBC drivers' timestamps: DuckDB's {@code 2024-01-01 00:00:00.0} is
 * PostgreSQL's {@code 2024-01-01 00:00:00}) brought to one form.
 */
public final class ComparableRows {
    private static final Pattern ZERO_FRACTION = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})\\.0$");

    private ComparableRows() {}

    public static List<List<String>> of(List<List<String>> rows) {
        List<List<String>> normalized = new ArrayList<>();
        for (List<String> row : rows) {
            List<String> values = new ArrayList<>();
            for (String value : row) {
                values.add(value == null ? null : ZERO_FRACTION.matcher(value).replaceFirst("$1"));
            }
            normalized.add(values);
        }
        return normalized;
    }
}
