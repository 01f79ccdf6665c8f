package dev.baton.engine.postgres;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The columns of a CSV file with a header row, with a PostgreSQL type inferred for each the way
 * DuckDB's reader infers them: the narrowest of boolean, bigint, double precision, date and
 * timestamp that every non-empty value fits, else text. A seed then gets the same column types on
 * both engines.
 */
record CsvColumns(List<String> names, List<String> types) {
    private static final CsvMapper MAPPER = new CsvMapper();
    private static final Pattern DOUBLE = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?");
    private static final String[] CANDIDATES = {"boolean", "bigint", "double precision", "date", "timestamp"};

    static CsvColumns infer(Path file) throws IOException {
        List<String> names = new ArrayList<>();
        List<boolean[]> possible = new ArrayList<>();
        List<Boolean> seen = new ArrayList<>();
        try (MappingIterator<List<String>> rows = MAPPER.readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(file.toFile())) {
            if (!rows.hasNext()) {
                return new CsvColumns(List.of(), List.of());
            }
            for (String name : rows.next()) {
                names.add(name.strip());
                boolean[] all = new boolean[CANDIDATES.length];
                java.util.Arrays.fill(all, true);
                possible.add(all);
                seen.add(false);
            }
            while (rows.hasNext()) {
                List<String> row = rows.next();
                for (int column = 0; column < Math.min(row.size(), names.size()); column++) {
                    String value = row.get(column);
                    if (value == null || value.isEmpty()) {
                        continue;
                    }
                    seen.set(column, true);
                    boolean[] candidates = possible.get(column);
                    for (int candidate = 0; candidate < CANDIDATES.length; candidate++) {
                        candidates[candidate] = candidates[candidate] && fits(candidate, value);
                    }
                }
            }
        }
        List<String> types = new ArrayList<>();
        for (int column = 0; column < names.size(); column++) {
            String type = "text";
            if (seen.get(column)) {
                for (int candidate = 0; candidate < CANDIDATES.length; candidate++) {
                    if (possible.get(column)[candidate]) {
                        type = CANDIDATES[candidate];
                        break;
                    }
                }
            }
            types.add(type);
        }
        return new CsvColumns(List.copyOf(names), List.copyOf(types));
    }

    private static boolean fits(int candidate, String value) {
        switch (candidate) {
            case 0:
                return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
            case 1:
                try {
                    Long.parseLong(value.startsWith("+") ? value.substring(1) : value);
                    return true;
                } catch (NumberFormatException e) {
                    return false;
                }
            case 2:
                return DOUBLE.matcher(value).matches();
            case 3:
                if (!DATE.matcher(value).matches()) {
                    return false;
                }
                try {
                    LocalDate.parse(value);
                    return true;
                } catch (DateTimeParseException e) {
                    return false;
                }
            default:
                return TIMESTAMP.matcher(value).matches();
        }
    }
}
