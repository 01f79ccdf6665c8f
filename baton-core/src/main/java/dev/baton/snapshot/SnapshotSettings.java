package dev.baton.snapshot;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import dev.baton.api.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a snapshot detects changes, validated from its config as dbt spells it: {@code strategy},
 * {@code unique_key}, {@code updated_at}, {@code check_cols}, {@code hard_deletes} (or the older
 * {@code invalidate_hard_deletes: true}).
 *
 * @param strategy how a changed row is recognised
 * @param uniqueKey the columns that identify a row, one or more
 * @param updatedAt the column (or expression) that changes with every update; required for {@code timestamp}
 * @param checkColumns the columns compared by {@code check}; empty with {@code checkAll}
 * @param checkAll {@code check_cols: all}: every column of the query is compared
 * @param hardDeletes what happens to a row that disappears from the query
 */
public record SnapshotSettings(Strategy strategy, List<String> uniqueKey, Optional<String> updatedAt, List<String> checkColumns, boolean checkAll,
        HardDeletes hardDeletes) {
    public SnapshotSettings {
        requireNonNull(strategy, "strategy is null");
        uniqueKey = List.copyOf(uniqueKey);
        requireNonNull(updatedAt, "updatedAt is null");
        checkColumns = List.copyOf(checkColumns);
        requireNonNull(hardDeletes, "hardDeletes is null");
    }

    /** dbt's two snapshot strategies. */
    public enum Strategy {
        TIMESTAMP,
        CHECK
    }

    /** dbt 1.9's {@code hard_deletes}. */
    public enum HardDeletes {
        /** A row that disappears stays current in the snapshot. */
        IGNORE,
        /** A row that disappears gets {@code dbt_valid_to} set to the time of the snapshot. */
        INVALIDATE,
        /** As invalidate, and a new current row with {@code dbt_is_deleted = 'True'} records the deletion. */
        NEW_RECORD
    }

    /**
     * Reads and checks a snapshot's config.
     *
     * @param name the snapshot's name, for messages
     * @param config the config keys as set
     * @param where the place a key was set, or the snapshot's own place for a key that is missing
     * @throws BatonException SNAPSHOT_CONFIG_MISSING or SNAPSHOT_CONFIG_INVALID, pointing at the place
     */
    public static SnapshotSettings of(String name, Map<String, Object> config, Function<String, SourceLocation> where) {
        Object strategyValue = config.get("strategy");
        if (strategyValue == null) {
            throw new BatonException(ErrorCode.SNAPSHOT_CONFIG_MISSING, "snapshot '" + name + "' has no strategy; set strategy='timestamp' (with updated_at)"
                    + " or strategy='check' (with check_cols)", where.apply("strategy"));
        }
        String strategyText = String.valueOf(strategyValue).toLowerCase(Locale.ROOT);
        Strategy strategy = switch (strategyText) {
            case "timestamp" -> Strategy.TIMESTAMP;
            case "check" -> Strategy.CHECK;
            default -> throw new BatonException(ErrorCode.SNAPSHOT_CONFIG_INVALID, "unknown snapshot strategy '" + strategyValue + "' in snapshot '"
                    + name + "'" + Suggestions.didYouMeanOr(strategyText, List.of("timestamp", "check"), "use timestamp or check"),
                    where.apply("strategy"));
        };
        List<String> uniqueKey = columns(config.get("unique_key"));
        if (uniqueKey.isEmpty()) {
            throw new BatonException(ErrorCode.SNAPSHOT_CONFIG_MISSING, "snapshot '" + name + "' has no unique_key; name the column that identifies"
                    + " a row, such as unique_key='id', or a list of columns", where.apply("unique_key"));
        }
        Optional<String> updatedAt = Optional.ofNullable(config.get("updated_at")).map(String::valueOf).map(String::strip).filter(text -> !text.isEmpty());
        if (strategy == Strategy.TIMESTAMP && updatedAt.isEmpty()) {
            throw new BatonException(ErrorCode.SNAPSHOT_CONFIG_MISSING, "snapshot '" + name + "' uses the timestamp strategy but has no updated_at;"
                    + " name the column that changes with every update, such as updated_at='updated_at'", where.apply("updated_at"));
        }
        Object checkValue = config.get("check_cols");
        boolean checkAll = checkValue instanceof String text && text.strip().equalsIgnoreCase("all");
        List<String> checkColumns = checkAll ? List.of() : columns(checkValue);
        if (strategy == Strategy.CHECK && !checkAll && checkColumns.isEmpty()) {
            throw new BatonException(ErrorCode.SNAPSHOT_CONFIG_MISSING, "snapshot '" + name + "' uses the check strategy but has no check_cols;"
                    + " list the columns to compare, such as check_cols=['status', 'amount'], or check_cols='all'", where.apply("check_cols"));
        }
        return new SnapshotSettings(strategy, uniqueKey, updatedAt, checkColumns, checkAll, hardDeletes(name, config, where));
    }

    private static HardDeletes hardDeletes(String name, Map<String, Object> config, Function<String, SourceLocation> where) {
        Object value = config.get("hard_deletes");
        if (value == null) {
            Object legacy = config.get("invalidate_hard_deletes");
            boolean invalidate = legacy instanceof Boolean flag ? flag : legacy != null && Boolean.parseBoolean(String.valueOf(legacy));
            return invalidate ? HardDeletes.INVALIDATE : HardDeletes.IGNORE;
        }
        String text = String.valueOf(value).toLowerCase(Locale.ROOT);
        return switch (text) {
            case "ignore" -> HardDeletes.IGNORE;
            case "invalidate" -> HardDeletes.INVALIDATE;
            case "new_record" -> HardDeletes.NEW_RECORD;
            default -> throw new BatonException(ErrorCode.SNAPSHOT_CONFIG_INVALID, "unknown hard_deletes '" + value + "' in snapshot '" + name + "'"
                    + Suggestions.didYouMeanOr(text, List.of("ignore", "invalidate", "new_record"), "use ignore, invalidate or new_record"),
                    where.apply("hard_deletes"));
        };
    }

    private static List<String> columns(Object value) {
        List<String> columns = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> {
                if (item != null && !String.valueOf(item).isBlank()) {
                    columns.add(String.valueOf(item).strip());
                }
            });
        } else if (value != null && !String.valueOf(value).isBlank()) {
            columns.add(String.valueOf(value).strip());
        }
        return columns;
    }
}
