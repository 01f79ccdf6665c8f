package dev.baton.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.ingest.ConnectorOptions;
import dev.baton.ingest.json.JsonRecords;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pages of one load: each fetched with retries (exponential backoff with jitter; a 429 or 503
 * waits as long as its {@code Retry-After} asks), parsed whole, its records appended to a file,
 * and the next page found by the pagination the source declares.
 */
final class HttpPages {
    private static final ObjectMapper JSON = JsonRecords.mapper();
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)");
    private static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(10);

    private final HttpSettings settings;
    private final ConnectorOptions options;
    private final Optional<String> previousWatermark;
    private final HttpClient client;

    /** Records written, and the highest {@code updated_field} seen (or the previous mark when none was). */
    record Result(long records, Optional<String> watermark) {}

    HttpPages(HttpSettings settings, ConnectorOptions options, Optional<String> previousWatermark) {
        this.settings = settings;
        this.options = options;
        this.previousWatermark = previousWatermark;
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    Result readInto(Path file) {
        long records = 0;
        Optional<String> highest = previousWatermark;
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            long page = 1;
            long offset = 0;
            URI uri = pageUri(Map.of(pagingParam(), firstPagingValue()));
            while (true) {
                HttpResponse<byte[]> response = fetch(uri, page);
                JsonNode body = parse(response, uri, page);
                JsonNode found = JsonRecords.at(body, settings.recordsPath());
                if (found.isMissingNode() || found.isNull() && !settings.recordsPath().isEmpty()) {
                    throw failure(ErrorCode.LOAD_FAILED, uri, page, "has no records at '" + settings.recordsPath()
                            + "'; set records_path to where the API puts them (such as data.items)");
                }
                List<JsonNode> pageRecords = new ArrayList<>();
                if (found.isArray()) {
                    found.forEach(pageRecords::add);
                } else if (!found.isNull()) {
                    pageRecords.add(found);
                }
                for (JsonNode node : pageRecords) {
                    ObjectNode record = JsonRecords.asRecord(node);
                    if (settings.incremental()) {
                        highest = higher(highest, record.path(settings.updatedField()));
                    }
                    out.write(JSON.writeValueAsString(settings.nested().equals("flatten") ? JsonRecords.flatten(record) : record));
                    out.write('\n');
                }
                records += pageRecords.size();
                offset += pageRecords.size();
                Optional<URI> next = next(response, body, uri, pageRecords.size(), page, offset);
                if (next.isEmpty()) {
                    break;
                }
                if (page >= settings.maxPages()) {
                    throw failure(ErrorCode.LOAD_FAILED, uri, page, "is followed by more pages than max_pages (" + settings.maxPages()
                            + ") allows; raise max_pages, or check that the pagination ends");
                }
                uri = next.get();
                page++;
            }
        } catch (IOException e) {
            throw options.failure(ErrorCode.LOAD_FAILED, "cannot write the records of source " + options.sourceName() + " to " + file + ": "
                    + e.getMessage());
        }
        return new Result(records, highest);
    }

    private String pagingParam() {
        switch (settings.pagination()) {
            case "page":
                return settings.pageParam();
            case "offset":
                return settings.offsetParam();
            default:
                return "";
        }
    }

    private String firstPagingValue() {
        return settings.pagination().equals("page") ? Long.toString(settings.startPage()) : "0";
    }

    private Optional<URI> next(HttpResponse<byte[]> response, JsonNode body, URI current, int pageRecords, long page, long offset) {
        switch (settings.pagination()) {
            case "page":
                if (pageRecords == 0 || settings.pageSize() > 0 && pageRecords < settings.pageSize()) {
                    return Optional.empty();
                }
                return Optional.of(pageUri(Map.of(settings.pageParam(), Long.toString(settings.startPage() + page))));
            case "offset":
                if (pageRecords == 0 || settings.pageSize() > 0 && pageRecords < settings.pageSize()) {
                    return Optional.empty();
                }
                return Optional.of(pageUri(Map.of(settings.offsetParam(), Long.toString(offset))));
            case "cursor":
                JsonNode cursor = JsonRecords.at(body, settings.cursorPath());
                if (cursor.isMissingNode() || cursor.isNull() || cursor.asText().isEmpty() || pageRecords == 0) {
                    return Optional.empty();
                }
                return Optional.of(pageUri(Map.of(settings.cursorParam(), cursor.asText())));
            case "link":
                return nextLink(response.headers().allValues("Link")).map(current::resolve);
            default:
                return Optional.empty();
        }
    }

    /** The target of {@code rel="next"} in RFC 8288 {@code Link} headers. */
    static Optional<String> nextLink(List<String> headers) {
        for (String header : headers) {
            Matcher matcher = LINK.matcher(header);
            while (matcher.find()) {
                for (String parameter : matcher.group(2).split(";")) {
                    String[] pair = parameter.strip().split("=", 2);
                    if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("rel")) {
                        for (String rel : pair[1].strip().replace("\"", "").split("\\s+")) {
                            if (rel.equalsIgnoreCase("next")) {
                                return Optional.of(matcher.group(1).strip());
                            }
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The URL with the fixed parameters, the updated-since parameter and the given paging parameters added to its query. */
    private URI pageUri(Map<String, String> paging) {
        Map<String, String> parameters = new LinkedHashMap<>(settings.params());
        if (settings.incremental() && previousWatermark.isPresent()) {
            parameters.put(settings.updatedSinceParam(), previousWatermark.get());
        }
        settings.pageSizeParam().filter(name -> settings.pageSize() > 0).ifPresent(name -> parameters.put(name, Long.toString(settings.pageSize())));
        if (settings.pagination().equals("offset") && settings.pageSize() > 0) {
            parameters.put(settings.limitParam(), Long.toString(settings.pageSize()));
        }
        paging.forEach((name, value) -> {
            if (!name.isEmpty()) {
                parameters.put(name, value);
            }
        });
        StringBuilder query = new StringBuilder(settings.url().getRawQuery() == null ? "" : settings.url().getRawQuery());
        parameters.forEach((name, value) -> {
            if (query.length() > 0) {
                query.append('&');
            }
            query.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        String base = settings.url().toString();
        int cut = base.indexOf('?');
        if (cut < 0) {
            cut = base.indexOf('#');
        }
        return URI.create((cut < 0 ? base : base.substring(0, cut)) + (query.length() == 0 ? "" : "?" + query));
    }

    private HttpResponse<byte[]> fetch(URI uri, long page) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().timeout(settings.timeout()).header("Accept", "application/json");
        settings.bearerToken().filter(token -> !token.isBlank()).ifPresent(token -> builder.header("Authorization", "Bearer " + token));
        settings.headers().forEach(builder::header);
        HttpRequest request = builder.build();
        String lastProblem = "";
        int attempts = settings.maxRetries() + 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Duration wait;
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response;
                }
                if (status == 401 || status == 403) {
                    throw failure(ErrorCode.SOURCE_ACCESS_DENIED, uri, page, "was refused with HTTP " + status
                            + "; check bearer_token or headers in the connector block");
                }
                if (status != 408 && status != 429 && status < 500) {
                    throw failure(ErrorCode.SOURCE_REQUEST_FAILED, uri, page, "failed with HTTP " + status + snippet(response.body())
                            + "; check url and params in the connector block");
                }
                lastProblem = "HTTP " + status;
                wait = backoff(attempt);
                if (status == 429 || status == 503) {
                    Optional<Duration> retryAfter = retryAfter(response.headers().firstValue("Retry-After"));
                    if (retryAfter.isPresent()) {
                        wait = retryAfter.get();
                    }
                }
            } catch (HttpTimeoutException e) {
                lastProblem = "no answer within " + describe(settings.timeout());
                wait = backoff(attempt);
            } catch (IOException e) {
                lastProblem = "the connection failed (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure(ErrorCode.LOAD_FAILED, uri, page, "was interrupted; nothing was committed");
            }
            if (attempt < attempts) {
                sleep(wait, uri, page);
            }
        }
        throw failure(ErrorCode.SOURCE_REQUEST_FAILED, uri, page, "failed " + attempts + (attempts == 1 ? " time" : " times") + ", last with "
                + lastProblem + "; nothing was committed, run the load again later or raise max_retries or timeout");
    }

    private JsonNode parse(HttpResponse<byte[]> response, URI uri, long page) {
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body == null || body.isMissingNode()) {
                throw failure(ErrorCode.LOAD_FAILED, uri, page, "answered with an empty body instead of JSON; nothing was committed");
            }
            return body;
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage();
            throw failure(ErrorCode.LOAD_FAILED, uri, page, "answered with a body that is not whole JSON (" + problem + " at byte "
                    + e.getLocation().getByteOffset() + " of " + response.body().length + "); nothing was committed");
        } catch (IOException e) {
            throw failure(ErrorCode.LOAD_FAILED, uri, page, "answered with a body that cannot be read: " + e.getMessage());
        }
    }

    /** {@code initial * 2^(attempt-1)}, with full jitter over its upper half, so clients that failed together do not retry together. */
    private Duration backoff(int attempt) {
        long base = settings.retryBackoff().toMillis() << Math.min(attempt - 1, 16);
        long capped = Math.min(base, Duration.ofMinutes(5).toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    /** {@code Retry-After} as seconds or an HTTP date. */
    static Optional<Duration> retryAfter(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(value));
        } catch (NumberFormatException e) {
            try {
                wait = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException unparsed) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        return Optional.of(wait.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : wait);
    }

    private void sleep(Duration wait, URI uri, long page) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(ErrorCode.LOAD_FAILED, uri, page, "was interrupted; nothing was committed");
        }
    }

    private Optional<String> higher(Optional<String> current, JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return current;
        }
        String text = value.asText();
        if (current.isEmpty()) {
            return Optional.of(text);
        }
        return compare(text, current.get()) > 0 ? Optional.of(text) : current;
    }

    /** Numbers by value, anything else (ISO dates and times) as text. */
    static int compare(String left, String right) {
        try {
            return new java.math.BigDecimal(left).compareTo(new java.math.BigDecimal(right));
        } catch (NumberFormatException e) {
            return left.compareTo(right);
        }
    }

    private static String snippet(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return text.isEmpty() ? "" : " (" + text + ")";
    }

    private static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }

    private BatonException failure(ErrorCode code, URI uri, long page, String detail) {
        return options.failure(code, "GET " + uri + " (page " + page + ") of source " + options.sourceName() + " " + detail);
    }
}
