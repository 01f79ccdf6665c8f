package dev.baton.materialization;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that every record of a CSV file has as many fields as its header (RFC 4180 quoting),
 * so a ragged seed is refused with its line rather than loaded with shifted or missing values.
 */
final class CsvShape {
    private CsvShape() {}

    static void check(Path file, String shownPath) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int expected = -1;
            int fields = 1;
            int line = 1;
            int recordLine = 1;
            boolean inQuotes = false;
            boolean recordHasContent = false;
            int c;
            while ((c = reader.read()) != -1) {
                if (inQuotes) {
                    if (c == '"') {
                        reader.mark(1);
                        int next = reader.read();
                        if (next != '"') {
                            inQuotes = false;
                            if (next != -1) {
                                reader.reset();
                            }
                        }
                    } else if (c == '\n') {
                        line++;
                    }
                    continue;
                }
                switch (c) {
                    case '"' -> {
                        inQuotes = true;
                        recordHasContent = true;
                    }
                    case ',' -> {
                        fields++;
                        recordHasContent = true;
                    }
                    case '\r' -> {
                    }
                    case '\n' -> {
                        expected = endRecord(expected, fields, recordHasContent, recordLine, shownPath);
                        fields = 1;
                        recordHasContent = false;
                        line++;
                        recordLine = line;
                    }
                    default -> recordHasContent = true;
                }
            }
            if (inQuotes) {
                throw SeedMaterialization.malformed(shownPath, recordLine, "a quoted value starting on this line is never closed; add the closing \"");
            }
            expected = endRecord(expected, fields, recordHasContent, recordLine, shownPath);
            if (expected < 0) {
                throw SeedMaterialization.malformed(shownPath, 1, "the seed file is empty; a seed needs a header row naming its columns");
            }
        } catch (IOException e) {
            throw new BatonException(ErrorCode.SEED_MALFORMED, "cannot read seed " + shownPath + ": " + e.getMessage());
        }
    }

    private static int endRecord(int expected, int fields, boolean hasContent, int line, String shownPath) {
        if (!hasContent) {
            return expected;
        }
        if (expected < 0) {
            return fields;
        }
        if (fields != expected) {
            throw SeedMaterialization.malformed(shownPath, line, "this row has " + fields + " values but the header has " + expected
                    + " columns; add the missing values (empty between commas is NULL) or quote values that contain commas");
        }
        return expected;
    }
}
