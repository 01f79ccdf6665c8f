package dev.baton.project;

import static java.util.Objects.requireNonNull;

import dev.baton.api.SourceLocation;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How an incremental model adds to its table, validated when the project loads.
 *
 * @param strategy how new rows are applied
 * @param uniqueKey the columns that identify a row (merge, delete+insert); empty for none
 * @param partitionBy the columns whose values the new rows replace as a whole (insert_overwrite); empty for none
 * @param onSchemaChange what happens when the model's columns differ from the table's
 * @param eventTime the column that places a row in a batch (microbatch)
 * @param batchSize the length of one batch (microbatch)
 * @param lookback how many complete batches before the current one every build runs again (microbatch)
 * @param begin the start of the first batch (microbatch)
 * @param concurrentBatches whether batches may run at once; empty to decide from the SQL
 * @param incrementalSql the compiled SQL with {@code is_incremental()} true (the same as the
 *     node's compiled SQL when the model never asks)
 * @param keyLocations where each incremental config key was set, for errors found while building
 */
public record IncrementalConfig(
        Strategy strategy,
        List<String> uniqueKey,
        List<String> partitionBy,
        OnSchemaChange onSchemaChange,
        Optional<String> eventTime,
        BatchSize batchSize,
        int lookback,
        Optional<LocalDateTime> begin,
        Optional<Boolean> concurrentBatches,
        String incrementalSql,
        Map<String, SourceLocation> keyLocations) {
    /** Marks the start of a batch window in compiled SQL; replaced with a timestamp when a batch runs. */
    public static final String BATCH_START = "__BATON_EVENT_TIME_START__";
    /** Marks the end (exclusive) of a batch window in compiled SQL. */
    public static final String BATCH_END = "__BATON_EVENT_TIME_END__";

    public IncrementalConfig {
        requireNonNull(strategy, "strategy is null");
        uniqueKey = List.copyOf(uniqueKey);
        partitionBy = List.copyOf(partitionBy);
        requireNonNull(onSchemaChange, "onSchemaChange is null");
        requireNonNull(eventTime, "eventTime is null");
        requireNonNull(batchSize, "batchSize is null");
        requireNonNull(begin, "begin is null");
        requireNonNull(concurrentBatches, "concurrentBatches is null");
        requireNonNull(incrementalSql, "incrementalSql is null");
        keyLocations = Map.copyOf(keyLocations);
    }

    IncrementalConfig withIncrementalSql(String sql) {
        return new IncrementalConfig(strategy, uniqueKey, partitionBy, onSchemaChange, eventTime, batchSize, lookback, begin, concurrentBatches, sql, keyLocations);
    }

    /** The columns whose matching rows an increment replaces: partition_by for insert_overwrite, else unique_key. */
    public List<String> replacedBy() {
        return strategy == Strategy.INSERT_OVERWRITE ? partitionBy : uniqueKey;
    }

    /** Where {@code key} was set, else the model's file. */
    public SourceLocation location(String key, SourceLocation fallback) {
        return keyLocations.getOrDefault(key, fallback);
    }

    /** A date ({@code 2024-01-01}) or a timestamp ({@code 2024-01-01 06:00:00} or ISO's {@code T} form). */
    public static Optional<LocalDateTime> parseTime(String text) {
        String trimmed = text.strip();
        try {
            if (trimmed.length() == 10) {
                return Optional.of(LocalDate.parse(trimmed).atStartOfDay());
            }
            String iso = trimmed.replace(' ', 'T');
            if (iso.endsWith("Z")) {
                iso = iso.substring(0, iso.length() - 1);
            }
            return Optional.of(LocalDateTime.parse(iso));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public enum Strategy {
        APPEND("append"),
        MERGE("merge"),
        DELETE_INSERT("delete+insert"),
        INSERT_OVERWRITE("insert_overwrite"),
        MICROBATCH("microbatch");

        private final String label;

        Strategy(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Optional<Strategy> fromLabel(String text) {
            for (Strategy value : values()) {
                if (value.label.equals(text)) {
                    return Optional.of(value);
                }
            }
            return Optional.empty();
        }
    }

    public enum OnSchemaChange {
        IGNORE,
        FAIL,
        APPEND_NEW_COLUMNS,
        SYNC_ALL_COLUMNS;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The length of a microbatch. */
    public enum BatchSize {
        HOUR(ChronoUnit.HOURS),
        DAY(ChronoUnit.DAYS),
        MONTH(ChronoUnit.MONTHS),
        YEAR(ChronoUnit.YEARS);

        private final ChronoUnit unit;

        BatchSize(ChronoUnit unit) {
            this.unit = unit;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The start of the batch that holds {@code time}. */
        public LocalDateTime truncate(LocalDateTime time) {
            return switch (this) {
                case HOUR -> time.truncatedTo(ChronoUnit.HOURS);
                case DAY -> time.truncatedTo(ChronoUnit.DAYS);
                case MONTH -> time.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
                case YEAR -> time.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
            };
        }

        /** The start of the batch after the one starting at {@code start}. */
        public LocalDateTime next(LocalDateTime start) {
            return start.plus(1, unit);
        }

        /** The start of the batch {@code count} batches before the one starting at {@code start}. */
        public LocalDateTime minus(LocalDateTime start, int count) {
            return start.minus(count, unit);
        }
    }
}
