package dev.baton.project;

import static dev.baton.api.ErrorCode.INVALID_INCREMENTAL_CONFIG;

import dev.baton.api.BatonException;
import dev.baton.api.SourceLocation;
import dev.baton.api.Suggestions;
import dev.baton.project.IncrementalConfig.BatchSize;
import dev.baton.project.IncrementalConfig.OnSchemaChange;
import dev.baton.project.IncrementalConfig.Strategy;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads and validates the incremental keys of a model's gathered config (dbt's names and defaults). */
final class IncrementalConfigReader {
    private static final List<String> KEYS = List.of("incremental_strategy", "unique_key", "on_schema_change", "event_time", "batch_size", "lookback",
            "begin", "concurrent_batches", "partition_by");

    private IncrementalConfigReader() {}

    static IncrementalConfig read(ConfigValues config, SourceLocation fallback) {
        Map<String, SourceLocation> locations = new LinkedHashMap<>();
        for (String key : KEYS) {
            if (config.get(key).isPresent()) {
                locations.put(key, config.location(key, fallback));
            }
        }
        List<String> uniqueKey = uniqueKey(config.get("unique_key").orElse(null), config.location("unique_key", fallback));
        Strategy strategy = strategy(config, fallback, uniqueKey);
        List<String> partitionBy = partitionBy(config.get("partition_by").orElse(null), config.location("partition_by", fallback));
        if (strategy == Strategy.INSERT_OVERWRITE && partitionBy.isEmpty()) {
            throw new BatonException(INVALID_INCREMENTAL_CONFIG, "incremental_strategy 'insert_overwrite' needs partition_by, the column or columns "
                    + "whose values the new rows replace; add partition_by='<column>'", config.location("incremental_strategy", fallback));
        }
        OnSchemaChange onSchemaChange = onSchemaChange(config, fallback);
        Optional<String> eventTime = config.string("event_time").map(String::strip).filter(s -> !s.isEmpty());
        BatchSize batchSize = BatchSize.DAY;
        Optional<LocalDateTime> begin = Optional.empty();
        int lookback = 1;
        if (strategy == Strategy.MICROBATCH) {
            SourceLocation at = config.location("incremental_strategy", fallback);
            if (eventTime.isEmpty()) {
                throw new BatonException(INVALID_INCREMENTAL_CONFIG, "incremental_strategy 'microbatch' needs event_time, the column that places each row "
                        + "in a batch; add event_time='<column>' to the model's config", at);
            }
            Optional<String> size = config.string("batch_size").map(s -> s.strip().toLowerCase(Locale.ROOT));
            if (size.isEmpty()) {
                throw new BatonException(INVALID_INCREMENTAL_CONFIG, "incremental_strategy 'microbatch' needs batch_size: hour, day, month or year", at);
            }
            batchSize = batchSize(size.get(), config.location("batch_size", fallback));
            Optional<String> beginText = config.string("begin").map(String::strip);
            if (beginText.isEmpty()) {
                throw new BatonException(INVALID_INCREMENTAL_CONFIG, "incremental_strategy 'microbatch' needs begin, the start of the first batch, "
                        + "such as begin='2024-01-01'", at);
            }
            begin = Optional.of(IncrementalConfig.parseTime(beginText.get()).orElseThrow(() -> new BatonException(INVALID_INCREMENTAL_CONFIG, "begin '" + beginText.get()
                    + "' is not a date or timestamp; write it as 2024-01-01 or 2024-01-01 06:00:00", config.location("begin", fallback))));
            lookback = lookback(config.get("lookback").orElse(1), config.location("lookback", fallback));
        }
        Optional<Boolean> concurrent = config.get("concurrent_batches").map(value -> value instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(value)));
        return new IncrementalConfig(strategy, uniqueKey, partitionBy, onSchemaChange, eventTime, batchSize, lookback, begin, concurrent, "", locations);
    }

    private static Strategy strategy(ConfigValues config, SourceLocation fallback, List<String> uniqueKey) {
        Optional<String> text = config.string("incremental_strategy").map(s -> s.strip().toLowerCase(Locale.ROOT));
        if (text.isEmpty()) {
            return uniqueKey.isEmpty() ? Strategy.APPEND : Strategy.DELETE_INSERT;
        }
        SourceLocation at = config.location("incremental_strategy", fallback);
        List<String> labels = Arrays.stream(Strategy.values()).map(Strategy::label).toList();
        Strategy strategy = Strategy.fromLabel(text.get()).orElseThrow(() -> new BatonException(INVALID_INCREMENTAL_CONFIG,
                "unknown incremental_strategy '" + text.get() + "'" + Suggestions.didYouMeanOr(text.get(), labels, "use append, merge, delete+insert, insert_overwrite or microbatch"),
                at));
        if (strategy == Strategy.DELETE_INSERT && uniqueKey.isEmpty()) {
            throw new BatonException(INVALID_INCREMENTAL_CONFIG, "incremental_strategy 'delete+insert' needs unique_key, the column or columns "
                    + "whose rows the new rows replace; add unique_key='<column>' or use 'append'", at);
        }
        return strategy;
    }

    private static OnSchemaChange onSchemaChange(ConfigValues config, SourceLocation fallback) {
        Optional<String> text = config.string("on_schema_change").map(s -> s.strip().toLowerCase(Locale.ROOT));
        if (text.isEmpty()) {
            return OnSchemaChange.IGNORE;
        }
        List<String> labels = Arrays.stream(OnSchemaChange.values()).map(OnSchemaChange::label).toList();
        for (OnSchemaChange value : OnSchemaChange.values()) {
            if (value.label().equals(text.get())) {
                return value;
            }
        }
        throw new BatonException(INVALID_INCREMENTAL_CONFIG, "unknown on_schema_change '" + text.get() + "'"
                + Suggestions.didYouMeanOr(text.get(), labels, "use ignore, fail, append_new_columns or sync_all_columns"),
                config.location("on_schema_change", fallback));
    }

    private static List<String> uniqueKey(Object value, SourceLocation at) {
        return columns("unique_key", value, at);
    }

    /** A config naming columns: a list, one column, or (as dbt also accepts) {@code "a, b"} in one string. */
    private static List<String> columns(String key, Object value, SourceLocation at) {
        List<String> columns = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> columns.add(String.valueOf(item).strip()));
        } else if (value != null) {
            for (String part : String.valueOf(value).split(",")) {
                columns.add(part.strip());
            }
        }
        if (columns.stream().anyMatch(String::isEmpty)) {
            throw new BatonException(INVALID_INCREMENTAL_CONFIG, key + " has an empty column name; give a column or a list of columns", at);
        }
        return columns;
    }

    /** {@code partition_by}: a column, a list, {@code "a, b"}, or dbt-bigquery's mapping with {@code field}. */
    private static List<String> partitionBy(Object value, SourceLocation at) {
        if (value instanceof Map<?, ?> map) {
            Object field = map.get("field");
            if (field == null) {
                throw new BatonException(INVALID_INCREMENTAL_CONFIG, "partition_by has no field; write partition_by='<column>' or {'field': '<column>'}", at);
            }
            value = field;
        }
        return columns("partition_by", value, at);
    }

    private static BatchSize batchSize(String text, SourceLocation at) {
        for (BatchSize value : BatchSize.values()) {
            if (value.label().equals(text)) {
                return value;
            }
        }
        throw new BatonException(INVALID_INCREMENTAL_CONFIG, "unknown batch_size '" + text + "'"
                + Suggestions.didYouMeanOr(text, Arrays.stream(BatchSize.values()).map(BatchSize::label).toList(), "use hour, day, month or year"), at);
    }

    private static int lookback(Object value, SourceLocation at) {
        try {
            int lookback = value instanceof Number number ? number.intValue() : Integer.parseInt(String.valueOf(value).strip());
            if (lookback >= 0) {
                return lookback;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BatonException(INVALID_INCREMENTAL_CONFIG, "lookback must be a whole number of batches (0 or more), not '" + value + "'", at);
    }
}
