package dev.baton.api;

import static dev.baton.api.ErrorType.EXTERNAL;
import static dev.baton.api.ErrorType.INSUFFICIENT_RESOURCES;
import static dev.baton.api.ErrorType.INTERNAL_ERROR;
import static dev.baton.api.ErrorType.USER_ERROR;

/**
 * Every error Baton reports. A code is never reused: retire it instead.
 */
public enum ErrorCode {
    PROJECT_NOT_FOUND(1, USER_ERROR),
    YAML_SYNTAX(2, USER_ERROR),
    UNKNOWN_CONFIG_KEY(3, USER_ERROR),
    INVALID_CONFIG_VALUE(4, USER_ERROR),
    UNKNOWN_REF(5, USER_ERROR),
    UNKNOWN_SOURCE(6, USER_ERROR),
    TEMPLATE_SYNTAX(7, USER_ERROR),
    UNDEFINED_MACRO(8, USER_ERROR),
    DUPLICATE_NODE(9, USER_ERROR),
    DEPENDENCY_CYCLE(10, USER_ERROR),
    SEED_MALFORMED(11, USER_ERROR),
    INVALID_SELECTOR(12, USER_ERROR),
    UNKNOWN_TARGET(13, USER_ERROR),
    UNKNOWN_TEST(14, USER_ERROR),
    INVALID_ARGUMENT(15, USER_ERROR),
    TEMPLATE_RUNTIME(16, USER_ERROR),
    UNKNOWN_CONNECTOR(17, USER_ERROR),
    PORT_IN_USE(20, USER_ERROR),
    UNAUTHENTICATED(21, USER_ERROR),
    FORBIDDEN(22, USER_ERROR),
    NOT_FOUND(23, USER_ERROR),
    MALFORMED_REQUEST(24, USER_ERROR),
    /** An incremental model's configuration is wrong: strategy, batch size, begin, lookback, a missing event_time. */
    INVALID_INCREMENTAL_CONFIG(30, USER_ERROR),
    /** A unique_key names a column the model's result does not have. */
    UNKNOWN_UNIQUE_KEY(31, USER_ERROR),
    /** An insert_overwrite model's partition_by names a column the model does not select. */
    UNKNOWN_PARTITION_COLUMN(80, USER_ERROR),
    /** on_schema_change: fail, and the model's columns changed. */
    SCHEMA_CHANGE_REFUSED(32, USER_ERROR),
    /** An --event-time-start/--event-time-end range that is malformed or empty. */
    INVALID_BACKFILL_RANGE(33, USER_ERROR),
    /** A column's type changed in a way on_schema_change cannot apply to the live table. */
    INCOMPATIBLE_SCHEMA_CHANGE(34, USER_ERROR),
    UNKNOWN_COLUMN(45, USER_ERROR),
    INVALID_CONTRACT(46, USER_ERROR),
    UNKNOWN_TARGET_TYPE(40, USER_ERROR),
    ENGINE_LACKS_CAPABILITY(41, USER_ERROR),
    DISPATCH_NOT_FOUND(42, USER_ERROR),
    SOURCE_ACCESS_DENIED(50, USER_ERROR),
    /** A target's table format (Iceberg, Delta) needs jars that are not on the class path. */
    TABLE_FORMAT_UNAVAILABLE(60, USER_ERROR),
    SOURCE_NOT_FOUND(51, USER_ERROR),
    INVALID_SCHEDULE(25, USER_ERROR),
    UNKNOWN_JOB(26, USER_ERROR),
    UNKNOWN_TIER(27, USER_ERROR),
    INVALID_TRANSITION(28, USER_ERROR),
    UNKNOWN_RECORD(29, USER_ERROR),
    SNAPSHOT_CONFIG_MISSING(35, USER_ERROR),
    SNAPSHOT_CONFIG_INVALID(36, USER_ERROR),
    SNAPSHOT_BLOCK_MALFORMED(37, USER_ERROR),
    STATE_MANIFEST_INVALID(38, USER_ERROR),
    SQL_ERROR(100, EXTERNAL),
    CONNECTION_FAILED(101, EXTERNAL),
    STATE_STORE_FAILED(102, EXTERNAL),
    PUBLISH_FAILED(103, EXTERNAL),
    LOAD_FAILED(104, EXTERNAL),
    SOURCE_UNREACHABLE(105, EXTERNAL),
    SERVER_UNREACHABLE(110, EXTERNAL),
    SERVER_REQUEST_FAILED(111, EXTERNAL),
    /** One or more batches of a microbatch model failed; the others were published. */
    BATCH_FAILED(115, EXTERNAL),
    ENGINE_UNREACHABLE(118, EXTERNAL),
    /** The engine's session could not be started (Spark refused the configuration, or its driver failed to start). */
    ENGINE_START_FAILED(120, EXTERNAL),
    SOURCE_REQUEST_FAILED(116, EXTERNAL),
    ALERT_DELIVERY_FAILED(113, EXTERNAL),
    LINEAGE_DELIVERY_FAILED(114, EXTERNAL),
    WAREHOUSE_LOCKED(200, INSUFFICIENT_RESOURCES),
    INTERNAL(900, INTERNAL_ERROR);

    private final int code;
    private final ErrorType type;

    ErrorCode(int code, ErrorType type) {
        this.code = code;
        this.type = type;
    }

    public int code() {
        return code;
    }

    public ErrorType type() {
        return type;
    }

    /** The code as users see it in logs and the API, such as {@code BTN-0005}. */
    public String label() {
        return String.format("BTN-%04d", code);
    }
}
