package dev.baton.server.http;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;

/** Query parameters, validated: a bad value is a 400 problem that names the parameter. */
public final class Params {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    private Params() {}

    /** A page of a list: at most {@code limit} items after the first {@code offset}. */
    public record Page(int limit, int offset) {
        /** How many items to read: one more than the page holds, to know whether another page follows. */
        public int fetch() {
            return limit + 1;
        }

        /** The JSON body of the page from the items read with {@link #fetch()}: items, limit, offset and next_offset. */
        public java.util.Map<String, Object> body(java.util.List<?> fetched) {
            boolean more = fetched.size() > limit;
            java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("items", more ? fetched.subList(0, limit) : fetched);
            body.put("limit", limit);
            body.put("offset", offset);
            body.put("next_offset", more ? offset + limit : null);
            return body;
        }
    }

    public static Page page(Context context) {
        return new Page(integer(context, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT), integer(context, "offset", 0, 0, Integer.MAX_VALUE));
    }

    public static int integer(Context context, String name, int fallback, int min, int max) {
        String value = context.queryParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BatonException(ErrorCode.INVALID_ARGUMENT, "query parameter '" + name + "' must be a whole number from " + min + " to "
                + (max == Integer.MAX_VALUE ? "2147483647" : Integer.toString(max)) + ", not '" + shorten(value) + "'");
    }

    public static Optional<String> text(Context context, String name) {
        String value = context.queryParam(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** A parameter naming a constant of an enum, in lower case. */
    public static <E extends Enum<E>> Optional<E> choice(Context context, String name, Class<E> type) {
        Optional<String> value = text(context, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.get())) {
                return Optional.of(constant);
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
        }
        throw new BatonException(ErrorCode.INVALID_ARGUMENT, "query parameter '" + name + "' must be one of " + allowed + ", not '"
                + shorten(value.get()) + "'");
    }

    /** A value echoed in a message, cut to a readable length. */
    public static String shorten(String value) {
        return value.length() > 60 ? value.substring(0, 57) + "..." : value;
    }
}
