package dev.baton.ingest.jdbc;

import java.io.IOException;
import java.io.Writer;

/** RFC 4180 fields as the loader reads them: NULL is an unquoted empty field, the empty string is {@code ""}. */
final class CsvFields {
    private CsvFields() {}

    static void write(Writer writer, String value) throws IOException {
        if (value == null) {
            return;
        }
        if (value.isEmpty()) {
            writer.write("\"\"");
            return;
        }
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            writer.write(value);
            return;
        }
        writer.write('"');
        writer.write(value.replace("\"", "\"\""));
        writer.write('"');
    }
}
