package dev.baton.server.http;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.server.auth.Role;
import dev.baton.server.auth.Tokens;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/** Wraps a route's handler with the token check its role asks for. */
public final class Access {
    private Access() {}

    public static Handler guard(Route route, Tokens tokens) {
        if (route.role().isEmpty()) {
            return route.handler();
        }
        Role required = route.role().get();
        return context -> {
            Role role = roleOf(context, tokens);
            if (!role.allows(required)) {
                throw new BatonException(ErrorCode.FORBIDDEN, route.method() + " " + route.path() + " needs the " + required.label()
                        + " role; this token has " + role.label() + "; create one with 'baton token create --role " + required.label() + "'");
            }
            route.handler().handle(context);
        };
    }

    private static Role roleOf(Context context, Tokens tokens) {
        String header = context.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new BatonException(ErrorCode.UNAUTHENTICATED, "this route needs a token: send 'Authorization: Bearer <token>'; "
                    + "create one with 'baton token create --role viewer'");
        }
        String[] parts = header.strip().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            throw new BatonException(ErrorCode.UNAUTHENTICATED, "the Authorization header must be 'Bearer <token>'");
        }
        return tokens.roleOf(parts[1].strip()).orElseThrow(() -> new BatonException(ErrorCode.UNAUTHENTICATED,
                "the token is not known to this server (it was deleted, or belongs to another project's state store)"));
    }
}
