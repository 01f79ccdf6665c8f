package dev.baton.ingest.http;

import dev.baton.api.ErrorCode;
import dev.baton.api.ingest.Connector;
import dev.baton.api.ingest.ConnectorOptions;
import dev.baton.api.ingest.ExtractRequest;
import dev.baton.api.ingest.Extraction;
import dev.baton.api.ingest.FetchedFile;
import dev.baton.api.ingest.FileScan;
import dev.baton.api.ingest.LoadMode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads the records of an HTTP JSON API page by page with GET, into a newline-delimited JSON file
 * that the warehouse then reads. Every page must arrive whole and parse, or the load fails and
 * commits nothing.
 */
final class HttpApiConnector implements Connector {
    private static final Set<String> OPTIONS = Set.of("url", "records_path", "headers", "bearer_token", "params", "pagination", "page_param",
            "start_page", "page_size_param", "page_size", "offset_param", "limit_param", "cursor_path", "cursor_param", "mode", "updated_since_param",
            "updated_field", "timeout", "max_retries", "retry_backoff", "max_pages", "nested");
    static final List<String> PAGINATIONS = List.of("none", "page", "offset", "cursor", "link");

    @Override
    public String type() {
        return "http";
    }

    @Override
    public Set<String> optionNames() {
        return OPTIONS;
    }

    @Override
    public Set<String> requiredOptions() {
        return Set.of("url");
    }

    @Override
    public Extraction open(ExtractRequest request) {
        ConnectorOptions options = request.options();
        HttpSettings settings = settings(options);
        Path file;
        try {
            file = Files.createTempFile("baton-http-", ".ndjson");
        } catch (IOException e) {
            throw options.failure(ErrorCode.LOAD_FAILED, "cannot create a temporary file for source " + options.sourceName() + ": " + e.getMessage());
        }
        try {
            HttpPages.Result result = new HttpPages(settings, options, request.previousWatermark()).readInto(file);
            FileScan scan = new FileScan(result.records() == 0 ? List.of() : List.of(file), "json",
                    Map.of("json_format", "newline_delimited", "nested", settings.nested()), Map.of(), OptionalLong.empty(), OptionalDouble.empty());
            return new FetchedFile(file, scan, settings.incremental() ? LoadMode.APPEND : LoadMode.FULL,
                    settings.incremental() ? result.watermark() : Optional.empty(), result.records());
        } catch (RuntimeException e) {
            FetchedFile.deleteQuietly(file);
            throw e;
        }
    }

    static HttpSettings settings(ConnectorOptions options) {
        String url = options.required("url");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
            throw options.failure(ErrorCode.INVALID_CONFIG_VALUE, "url '" + options.redact(url) + "' of source " + options.sourceName()
                    + " is not an http:// or https:// URL");
        }
        String pagination = options.choice("pagination", PAGINATIONS, "none");
        if (pagination.equals("cursor") && options.string("cursor_path").isEmpty()) {
            throw options.failure(ErrorCode.INVALID_CONFIG_VALUE, "pagination: cursor of source " + options.sourceName()
                    + " needs 'cursor_path', where the next page's cursor is in the response (such as meta.next_cursor)");
        }
        boolean incremental = options.choice("mode", List.of("full", "incremental"), "full").equals("incremental");
        if (incremental && (options.string("updated_since_param").isEmpty() || options.string("updated_field").isEmpty())) {
            throw options.failure(ErrorCode.INVALID_CONFIG_VALUE, "mode: incremental of source " + options.sourceName()
                    + " needs 'updated_since_param' (the query parameter the API filters by) and 'updated_field' (the record field it compares)");
        }
        long maxRetries = options.integer("max_retries", 5);
        long maxPages = options.integer("max_pages", 100_000);
        if (maxRetries < 0 || maxPages < 1) {
            throw options.failure(ErrorCode.INVALID_CONFIG_VALUE, "max_retries of source " + options.sourceName()
                    + " must be 0 or more and max_pages 1 or more");
        }
        return new HttpSettings(uri, options.string("records_path").orElse(""), stringMap(options, "headers"), options.string("bearer_token"),
                stringMap(options, "params"), pagination, options.string("page_param").orElse("page"), options.integer("start_page", 1),
                options.string("page_size_param"), options.integer("page_size", 0), options.string("offset_param").orElse("offset"),
                options.string("limit_param").orElse("limit"), options.string("cursor_path").orElse(""), options.string("cursor_param").orElse("cursor"),
                incremental, options.string("updated_since_param").orElse(""), options.string("updated_field").orElse(""),
                seconds(options, "timeout", 30), (int) maxRetries, seconds(options, "retry_backoff", 1), maxPages,
                options.choice("nested", List.of("struct", "json", "flatten"), "struct"));
    }

    private static Duration seconds(ConnectorOptions options, String key, double defaultSeconds) {
        String text = options.string(key).orElse(Double.toString(defaultSeconds)).strip();
        try {
            double value = Double.parseDouble(text.endsWith("s") ? text.substring(0, text.length() - 1) : text);
            if (value > 0 && value < 86_400) {
                return Duration.ofMillis(Math.round(value * 1000));
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw options.failure(ErrorCode.INVALID_CONFIG_VALUE, "connector option '" + key + "' of source " + options.sourceName() + " is '"
                + options.redact(text) + "'; give seconds, such as 30 or 0.5");
    }

    private static Map<String, String> stringMap(ConnectorOptions options, String key) {
        Object value = options.values().get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw options.failure(ErrorCode.INVALID_CONFIG_VALUE, "connector option '" + key + "' of source " + options.sourceName()
                    + " must be a mapping of names to values, such as {X-Api-Key: \"{{ env_var('API_KEY') }}\"}");
        }
        Map<String, String> result = new LinkedHashMap<>();
        map.forEach((name, inner) -> result.put(String.valueOf(name), inner == null ? "" : String.valueOf(inner)));
        return result;
    }
}
