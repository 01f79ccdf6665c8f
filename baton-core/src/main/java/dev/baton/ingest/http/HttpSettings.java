package dev.baton.ingest.http;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The validated options of one HTTP source. */
record HttpSettings(URI url, String recordsPath, Map<String, String> headers, Optional<String> bearerToken, Map<String, String> params,
        String pagination, String pageParam, long startPage, Optional<String> pageSizeParam, long pageSize, String offsetParam, String limitParam,
        String cursorPath, String cursorParam, boolean incremental, String updatedSinceParam, String updatedField, Duration timeout, int maxRetries,
        Duration retryBackoff, long maxPages, String nested) {
    HttpSettings {
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }
}
