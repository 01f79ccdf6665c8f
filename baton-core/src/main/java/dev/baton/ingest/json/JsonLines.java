package dev.baton.ingest.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Checks JSON files record by record before the warehouse reads them: a file is either one array
 * of records or one record per line (NDJSON). A line that does not parse, or is not an object, is
 * set aside with its file, line, raw text and the reason; the good records are written, one per
 * line and flattened if asked, to a file the warehouse then reads.
 */
public final class JsonLines {
    /** Longest raw text kept for a bad line. */
    static final int RAW_LIMIT = 10_000;
    private static final ObjectMapper JSON = JsonRecords.mapper();
    private static final com.fasterxml.jackson.databind.ObjectReader STRICT = JSON.reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonLines() {}

    /** A line that was set aside. */
    public record BadLine(Path file, long line, String raw, String reason) {}

    /** How many good records were written, and the lines set aside. */
    public record Result(long records, List<BadLine> bad) {}

    /** A file that is an array of records but does not parse as a whole; it cannot be split into good and bad records. */
    public static final class MalformedFileException extends RuntimeException {
        private final Path file;

        MalformedFileException(Path file, String message) {
            super(message);
            this.file = file;
        }

        public Path file() {
            return file;
        }
    }

    public static Result check(List<Path> files, boolean flatten, Path out) {
        return check(files, flatten, out, null, file -> "");
    }

    /**
     * As {@link #check(List, boolean, Path)}, adding to every record a field {@code fileField} with
     * its file as {@code shown} names it (no field when {@code fileField} is null).
     */
    public static Result check(List<Path> files, boolean flatten, Path out, String fileField, java.util.function.Function<Path, String> shown) {
        long records = 0;
        List<BadLine> bad = new ArrayList<>();
        try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (Path file : files) {
                try (PushbackInputStream in = new PushbackInputStream(open(file), 1 << 12)) {
                    RecordWriter recordWriter = new RecordWriter(writer, flatten, fileField, fileField == null ? "" : shown.apply(file));
                    if (startsWithArray(in)) {
                        records += array(file, in, recordWriter);
                    } else {
                        records += lines(file, in, recordWriter, bad);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(records, List.copyOf(bad));
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** Whether the first character that is not white space is {@code [}; reads nothing away. */
    private static boolean startsWithArray(PushbackInputStream in) throws IOException {
        byte[] head = new byte[1 << 12];
        int read = in.readNBytes(head, 0, head.length);
        if (read > 0) {
            in.unread(head, 0, read);
        }
        for (int i = 0; i < read; i++) {
            if (!Character.isWhitespace(head[i])) {
                return head[i] == '[';
            }
        }
        return false;
    }

    private static long array(Path file, InputStream in, RecordWriter writer) throws IOException {
        long records = 0;
        try (JsonParser parser = JSON.getFactory().createParser(in)) {
            parser.nextToken();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() == null) {
                    throw new MalformedFileException(file, "the array of records ends too early");
                }
                JsonNode node = JSON.readTree(parser);
                writer.write(JsonRecords.asRecord(node));
                records++;
            }
        } catch (JsonProcessingException e) {
            throw new MalformedFileException(file, e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr());
        }
        return records;
    }

    private static long lines(Path file, InputStream in, RecordWriter writer, List<BadLine> bad) throws IOException {
        long records = 0;
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        BufferedReader lines = new BufferedReader(reader, 1 << 16);
        String line;
        long number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = STRICT.readTree(line);
            } catch (JsonProcessingException e) {
                String reason = e.getOriginalMessage().startsWith("Trailing token") ? "more than one JSON value on the line" : e.getOriginalMessage();
                bad.add(new BadLine(file, number, raw(line), reason + " at column " + e.getLocation().getColumnNr()));
                continue;
            }
            if (!(node instanceof ObjectNode object)) {
                bad.add(new BadLine(file, number, raw(line), "a record must be a JSON object, not " + kind(node)));
                continue;
            }
            writer.write(object);
            records++;
        }
        return records;
    }

    /** Writes records one per line: flattened if asked, with the file field if asked. */
    private record RecordWriter(Writer out, boolean flatten, String fileField, String file) {
        void write(ObjectNode record) throws IOException {
            ObjectNode written = flatten ? JsonRecords.flatten(record) : record;
            if (fileField != null) {
                written.put(fileField, file);
            }
            out.write(JSON.writeValueAsString(written));
            out.write('\n');
        }
    }

    private static String raw(String line) {
        return line.length() <= RAW_LIMIT ? line : line.substring(0, RAW_LIMIT);
    }

    private static String kind(JsonNode node) {
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return "null";
    }
}
