package dev.baton.api;

/**
 * What kind of failure an error is. The type decides the CLI exit code and the HTTP status.
 */
public enum ErrorType {
    /** The user's project, command line or configuration is wrong. */
    USER_ERROR(2, 400),
    /** Something outside Baton failed: the engine rejected SQL, a host was unreachable. */
    EXTERNAL(1, 502),
    /** A resource is busy, such as a warehouse file locked by another process. */
    INSUFFICIENT_RESOURCES(2, 409),
    /** A bug in Baton. */
    INTERNAL_ERROR(3, 500);

    private final int exitCode;
    private final int httpStatus;

    ErrorType(int exitCode, int httpStatus) {
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
    }

    public int exitCode() {
        return exitCode;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
