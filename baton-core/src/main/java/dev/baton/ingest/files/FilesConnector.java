package dev.baton.ingest.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.ErrorCode;
import dev.baton.api.ingest.Connector;
import dev.baton.api.ingest.ConnectorOptions;
import dev.baton.api.ingest.ExtractRequest;
import dev.baton.api.ingest.Extraction;
import dev.baton.api.ingest.FileScan;
import dev.baton.api.ingest.LoadColumn;
import dev.baton.api.ingest.LoadMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Local files matched by a path or glob: CSV/TSV, JSON, NDJSON and Parquet, gzip-compressed by
 * extension. Incremental loads remember every file's checksum in the high-water mark and load only
 * new and changed files; each row keeps its file in {@link #FILE_COLUMN}, so a changed file's new
 * rows replace its earlier ones in the load's commit instead of doubling them.
 */
final class FilesConnector implements Connector {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OPTIONS = Set.of("path", "format", "delimiter", "quote", "header", "mode", "max_bad_rows", "nested");
    private static final List<String> FORMATS = List.of("csv", "tsv", "json", "ndjson", "parquet");
    /** The column of an incremental files load that holds each row's file, relative to the project folder. */
    static final String FILE_COLUMN = "_baton_source_file";

    @Override
    public String type() {
        return "files";
    }

    @Override
    public Set<String> optionNames() {
        return OPTIONS;
    }

    @Override
    public Set<String> requiredOptions() {
        return Set.of("path");
    }

    @Override
    public Extraction open(ExtractRequest request) {
        ConnectorOptions options = request.options();
        String pattern = options.required("path");
        List<Path> matched = match(request.projectDir(), pattern, options);
        String format = options.choice("format", FORMATS, formatOf(pattern, options));
        boolean incremental = options.choice("mode", List.of("full", "incremental"), "full").equals("incremental");
        Map<String, String> reader = new TreeMap<>();
        String scanFormat = switch (format) {
            case "tsv" -> {
                reader.put("delimiter", "\t");
                yield "csv";
            }
            case "ndjson" -> {
                reader.put("json_format", "newline_delimited");
                yield "json";
            }
            case "json" -> {
                reader.put("json_format", "auto");
                yield "json";
            }
            default -> format;
        };
        options.string("delimiter").ifPresent(value -> reader.put("delimiter", value));
        options.string("quote").ifPresent(value -> reader.put("quote", value));
        reader.put("header", Boolean.toString(options.flag("header", true)));
        reader.put("nested", options.choice("nested", List.of("struct", "json", "flatten"), "struct"));
        if (scanFormat.equals("json")) {
            reader.put("check_records", "true");
        }
        List<Path> files = matched;
        List<Path> replaced = new ArrayList<>();
        Optional<String> watermark = Optional.empty();
        if (incremental) {
            Map<String, String> previous = parseMark(request.previousWatermark(), options);
            Map<String, String> current = new TreeMap<>();
            files = new ArrayList<>();
            for (Path file : matched) {
                String key = request.projectDir().relativize(file).toString();
                String checksum = checksum(file, options);
                current.put(key, checksum);
                if (previous.containsKey(key) && !checksum.equals(previous.get(key))) {
                    // Its earlier rows are in the table already: the new ones replace them.
                    replaced.add(file);
                    files.add(file);
                } else if (!previous.containsKey(key)) {
                    files.add(file);
                }
            }
            Map<String, String> remembered = new TreeMap<>(previous);
            remembered.putAll(current);
            try {
                watermark = Optional.of(JSON.writeValueAsString(remembered));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        FileScan scan = new FileScan(files, scanFormat, reader, scanFormat.equals("csv") ? request.declaredTypes() : Map.of(), badRows(options),
                badPercent(options), incremental ? Optional.of(FILE_COLUMN) : Optional.empty(), replaced);
        return new FileExtraction(scan, incremental ? LoadMode.APPEND : LoadMode.FULL, watermark);
    }

    private static List<Path> match(Path projectDir, String pattern, ConnectorOptions options) {
        Path root = projectDir.toAbsolutePath().normalize();
        Path full = root.resolve(pattern).normalize();
        String text = full.toString();
        int firstGlob = indexOfGlob(text);
        List<Path> files = new ArrayList<>();
        if (firstGlob < 0) {
            if (Files.isRegularFile(full)) {
                files.add(full);
            }
        } else {
            Path base = Path.of(text.substring(0, text.lastIndexOf('/', firstGlob) + 1));
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + text);
            if (Files.isDirectory(base)) {
                try (Stream<Path> walk = Files.walk(base)) {
                    walk.filter(Files::isRegularFile).filter(matcher::matches).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw options.failure(ErrorCode.LOAD_FAILED, "cannot list the files of source " + options.sourceName() + " under " + base + ": "
                            + e.getMessage());
                }
            }
        }
        if (files.isEmpty()) {
            throw options.failure(ErrorCode.LOAD_FAILED, "path '" + pattern + "' of source " + options.sourceName()
                    + " matches no file; check the path (relative to the project folder) and the glob");
        }
        return files;
    }

    private static int indexOfGlob(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return i;
            }
        }
        return -1;
    }

    private static String formatOf(String pattern, ConnectorOptions options) {
        String name = pattern.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        for (String format : FORMATS) {
            if (name.endsWith("." + format)) {
                return format;
            }
        }
        if (name.endsWith(".jsonl")) {
            return "ndjson";
        }
        if (name.endsWith(".txt")) {
            return "csv";
        }
        throw options.failure(ErrorCode.INVALID_CONFIG_VALUE, "cannot tell the format of '" + pattern + "' for source " + options.sourceName()
                + " from its extension; add 'format:' with one of " + String.join(", ", FORMATS));
    }

    private static OptionalLong badRows(ConnectorOptions options) {
        String value = options.string("max_bad_rows").orElse("0").trim();
        if (value.endsWith("%")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(options.integer("max_bad_rows", 0));
    }

    private static OptionalDouble badPercent(ConnectorOptions options) {
        String value = options.string("max_bad_rows").orElse("0").trim();
        if (!value.endsWith("%")) {
            return OptionalDouble.empty();
        }
        try {
            double percent = Double.parseDouble(value.substring(0, value.length() - 1).trim());
            if (percent >= 0 && percent <= 100) {
                return OptionalDouble.of(percent);
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw options.failure(ErrorCode.INVALID_CONFIG_VALUE, "max_bad_rows of source " + options.sourceName() + " is '" + value
                + "'; give a count such as 10 or a percentage such as 0.5%");
    }

    private static Map<String, String> parseMark(Optional<String> mark, ConnectorOptions options) {
        if (mark.isEmpty() || !mark.get().startsWith("{")) {
            return Map.of();
        }
        try {
            return JSON.readValue(mark.get(), new TypeReference<TreeMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    /** CRC-32C and size of the content: cheap enough to run over every file on every load. */
    static String checksum(Path file, ConnectorOptions options) {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 16];
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                crc.update(buffer, 0, read);
                size += read;
            }
        } catch (IOException e) {
            throw options.failure(ErrorCode.LOAD_FAILED, "cannot read " + file + " of source " + options.sourceName() + ": " + e.getMessage());
        }
        return "crc32c:" + Long.toHexString(crc.getValue()) + ":" + size;
    }

    private record FileExtraction(FileScan scan, LoadMode mode, Optional<String> watermark) implements Extraction {
        @Override
        public List<LoadColumn> columns() {
            return List.of();
        }

        @Override
        public Optional<FileScan> fileScan() {
            return Optional.of(scan);
        }

        @Override
        public long writeCsv(OutputStream out) {
            throw new UnsupportedOperationException("the warehouse reads these files itself");
        }

        @Override
        public void cancel() {}

        @Override
        public void close() {}
    }
}
