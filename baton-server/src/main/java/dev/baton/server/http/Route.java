package dev.baton.server.http;

import static java.util.Objects.requireNonNull;

import dev.baton.server.auth.Role;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Optional;

/**
 * One route of the server, with what the OpenAPI description says about it.
 *
 * @param method GET, POST or DELETE
 * @param path Javalin's path syntax, which is also OpenAPI's: {@code /api/v1/models/{id}}
 * @param role the least role that may call it; empty for a public route
 * @param summary one line for the OpenAPI description
 * @param queryParameters the query parameters it reads
 */
public record Route(String method, String path, Optional<Role> role, Handler handler, String summary, List<String> queryParameters) {
    public Route {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(role, "role is null");
        requireNonNull(handler, "handler is null");
        requireNonNull(summary, "summary is null");
        queryParameters = List.copyOf(queryParameters);
    }

    public static Route get(String path, Role role, Handler handler) {
        return new Route("GET", path, Optional.of(role), handler, "", List.of());
    }

    public static Route post(String path, Role role, Handler handler) {
        return new Route("POST", path, Optional.of(role), handler, "", List.of());
    }

    public static Route delete(String path, Role role, Handler handler) {
        return new Route("DELETE", path, Optional.of(role), handler, "", List.of());
    }

    public static Route open(String path, Handler handler) {
        return new Route("GET", path, Optional.empty(), handler, "", List.of());
    }

    /** This route with its summary and query parameters. */
    public Route doc(String text, String... query) {
        return new Route(method, path, role, handler, text, List.of(query));
    }
}
