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
