package dev.baton.server.http;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Errors as RFC 9457 problem documents: type, title, status, detail, and Baton's error code. */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";
    /** A request attribute set once a problem is written, so that the error pages leave it alone. */
    public static final String WRITTEN = "baton.problem";

    private Problems() {}

    public static int status(ErrorCode code) {
        switch (code) {
            case UNAUTHENTICATED:
                return 401;
            case FORBIDDEN:
                return 403;
            case NOT_FOUND:
            case UNKNOWN_JOB:
            case UNKNOWN_RECORD:
                return 404;
            case INVALID_TRANSITION:
                return 409;
            default:
                return code.type().httpStatus();
        }
    }

    public static void write(Context context, BatonException exception) {
        write(context, status(exception.errorCode()), exception.errorCode(), exception.getMessage());
        if (exception.errorCode() == ErrorCode.UNAUTHENTICATED) {
            context.header("WWW-Authenticate", "Bearer realm=\"baton\"");
        }
    }

    public static void write(Context context, int status, ErrorCode code, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://baton.dev/problems/" + code.label());
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code.label());
        body.put("instance", context.path());
        context.attribute(WRITTEN, Boolean.TRUE);
        context.status(status).contentType(CONTENT_TYPE).result(Json.text(body));
    }

    private static String title(int status) {
        switch (status) {
            case 400:
                return "Bad Request";
            case 401:
                return "Unauthorized";
            case 403:
                return "Forbidden";
            case 404:
                return "Not Found";
            case 405:
                return "Method Not Allowed";
            case 409:
                return "Conflict";
            case 502:
                return "Bad Gateway";
            default:
                return status >= 500 ? "Internal Server Error" : "Error";
        }
    }
}
