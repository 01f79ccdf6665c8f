package dev.baton.server.ui;

import dev.baton.project.ColumnInfo;
import dev.baton.project.Node;
import dev.baton.project.Project;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failing-row samples as a check's message carries them ({@code {column=value, ...}} lines under
 * {@code failing rows (first n):}), and their masking: the auditor masks PII columns when it takes
 * a sample, and the UI masks them again for viewers, for samples taken before a column was flagged.
 */
final class Samples {
    static final String MASK = "***";
    private static final String HEADER = "failing rows (first ";
    private static final Pattern ROW = Pattern.compile("^(\\s*)\\{(.*)}\\s*$");
    private static final Pattern CELL_START = Pattern.compile("(?:^|, )([A-Za-z_][A-Za-z0-9_]*)=");

    private Samples() {}

    /** The columns flagged as PII ({@code meta: {pii: true}} or a {@code pii} tag) in any model, seed or source, lower case. */
    static Set<String> piiColumns(Project project) {
        Set<String> columns = new TreeSet<>();
        for (Node node : project.nodes().values()) {
            for (ColumnInfo column : node.columns()) {
                if (column.pii()) {
                    columns.add(column.name().toLowerCase(Locale.ROOT));
                }
            }
        }
        return columns;
    }

    /** The sample rows of a check's message, each as its columns and values in order; empty when it has none. */
    static List<Map<String, String>> rows(String message) {
        List<Map<String, String>> rows = new ArrayList<>();
        int header = message.indexOf(HEADER);
        if (header < 0) {
            return rows;
        }
        String[] lines = message.substring(header).split("\n");
        for (int i = 1; i < lines.length; i++) {
            Matcher row = ROW.matcher(lines[i]);
            if (!row.matches()) {
                break;
            }
            rows.add(cells(row.group(2)));
        }
        return rows;
    }

    private static Map<String, String> cells(String body) {
        Map<String, String> cells = new LinkedHashMap<>();
        Matcher start = CELL_START.matcher(body);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (start.find()) {
            starts.add(new int[] {start.start(), start.end()});
            names.add(start.group(1));
        }
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : body.length();
            cells.put(names.get(i), body.substring(starts.get(i)[1], end));
        }
        return cells;
    }

    /** A sample row with the values of PII columns replaced by the mask. */
    static Map<String, String> mask(Map<String, String> row, Set<String> piiColumns) {
        Map<String, String> masked = new LinkedHashMap<>();
        row.forEach((column, value) -> masked.put(column, piiColumns.contains(column.toLowerCase(Locale.ROOT)) ? MASK : value));
        return masked;
    }

    /** A message or log with the PII values of every sample row in it masked. */
    static String mask(String text, Set<String> piiColumns) {
        if (piiColumns.isEmpty() || !text.contains(HEADER)) {
            return text;
        }
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < lines.length; i++) {
            Matcher row = ROW.matcher(lines[i]);
            if (row.matches()) {
                StringBuilder cells = new StringBuilder();
                for (Map.Entry<String, String> cell : mask(cells(row.group(2)), piiColumns).entrySet()) {
                    cells.append(cells.length() == 0 ? "" : ", ").append(cell.getKey()).append('=').append(cell.getValue());
                }
                out.append(row.group(1)).append('{').append(cells).append('}');
            } else {
                out.append(lines[i]);
            }
            if (i + 1 < lines.length) {
                out.append('\n');
            }
        }
        return out.toString();
    }
}
