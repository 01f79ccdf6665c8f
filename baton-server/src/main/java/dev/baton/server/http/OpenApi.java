package dev.baton.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The OpenAPI 3.1 description of the server, generated from its routes so that it lists every one. */
public final class OpenApi {
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");

    private OpenApi() {}

    public static Map<String, Object> describe(List<Route> routes, String version) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.1.0");
        document.put("info", Map.of("title", "Baton server API", "version", version,
                "description", "Models, sources, seeds and checks of a Baton project, their lineage, runs and check results."
                        + " Send 'Authorization: Bearer <token>'; create tokens with 'baton token create --role viewer|operator|admin'."
                        + " Errors are RFC 9457 problem documents."));
        document.put("components", Map.of(
                "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer")),
                "schemas", Map.of("Problem", Map.of("type", "object", "properties", Map.of(
                        "type", Map.of("type", "string"), "title", Map.of("type", "string"), "status", Map.of("type", "integer"),
                        "detail", Map.of("type", "string"), "code", Map.of("type", "string"))))));
        Map<String, Map<String, Object>> paths = new LinkedHashMap<>();
        for (Route route : routes) {
            Map<String, Object> operation = new LinkedHashMap<>();
            operation.put("summary", route.summary());
            operation.put("operationId", route.method().toLowerCase(Locale.ROOT) + route.path().replaceAll("[^A-Za-z0-9]+", "_"));
            List<Map<String, Object>> parameters = new ArrayList<>();
            Matcher matcher = PATH_PARAMETER.matcher(route.path());
            while (matcher.find()) {
                parameters.add(Map.of("name", matcher.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
            }
            for (String query : route.queryParameters()) {
                parameters.add(Map.of("name", query, "in", "query", "required", false,
                        "schema", Map.of("type", List.of("limit", "offset", "depth", "tier").contains(query) ? "integer" : "string")));
            }
            operation.put("parameters", parameters);
            Map<String, Object> responses = new LinkedHashMap<>();
            responses.put(route.method().equals("POST") ? "202" : route.method().equals("DELETE") ? "204" : "200", Map.of("description", "success"));
            Map<String, Object> problem = Map.of("description", "a problem document",
                    "content", Map.of("application/problem+json", Map.of("schema", Map.of("$ref", "#/components/schemas/Problem"))));
            responses.put("400", problem);
            if (route.role().isPresent()) {
                responses.put("401", problem);
                responses.put("403", problem);
                operation.put("security", List.of(Map.of("bearer", List.of())));
                operation.put("x-baton-role", route.role().get().label());
            } else {
                operation.put("security", List.of());
            }
            operation.put("responses", responses);
            paths.computeIfAbsent(route.path(), key -> new LinkedHashMap<>()).put(route.method().toLowerCase(Locale.ROOT), operation);
        }
        document.put("paths", paths);
        return document;
    }
}
