package dev.baton.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.server.http.Json;
import dev.baton.server.http.Params;
import dev.baton.server.http.Route;
import dev.baton.state.StateStore;
import dev.baton.state.TokenRecord;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Token management for admins. A created token is in the response once and nowhere else. */
public final class TokenRoutes {
    private final StateStore store;
    private final Tokens tokens;

    public TokenRoutes(StateStore store, Tokens tokens) {
        this.store = store;
        this.tokens = tokens;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/tokens", Role.ADMIN, this::list).doc("The API tokens (never the tokens themselves)"),
                Route.post("/api/v1/tokens", Role.ADMIN, this::create).doc("Create a token; the response holds it once"),
                Route.delete("/api/v1/tokens/{id}", Role.ADMIN, this::delete).doc("Delete a token"));
    }

    private void list(Context context) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (TokenRecord record : store.tokens()) {
            items.add(view(record));
        }
        Json.write(context, 200, Map.of("items", items));
    }

    private void create(Context context) {
        JsonNode body = Json.body(context);
        JsonNode role = body.get("role");
        if (role == null || !role.isTextual()) {
            throw new BatonException(ErrorCode.MALFORMED_REQUEST, "the request needs 'role': viewer, operator or admin");
        }
        Role parsed;
        try {
            parsed = Role.fromLabel(role.asText());
        } catch (BatonException e) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "unknown role '" + Params.shorten(role.asText()) + "'; use viewer, operator or admin");
        }
        String name = body.path("name").isTextual() ? body.get("name").asText() : parsed.label();
        Tokens.Created created = Tokens.create(store, parsed, name);
        Map<String, Object> view = view(created.record());
        view.put("token", created.token());
        Json.write(context, 201, view);
    }

    private void delete(Context context) {
        String id = context.pathParam("id");
        if (!tokens.delete(id)) {
            throw new BatonException(ErrorCode.NOT_FOUND, "no token with id '" + Params.shorten(id) + "'; list them with GET /api/v1/tokens");
        }
        context.status(204);
    }

    private static Map<String, Object> view(TokenRecord record) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", record.id());
        view.put("name", record.name());
        view.put("role", record.role());
        view.put("created_at", record.createdAt().toString());
        return view;
    }
}
