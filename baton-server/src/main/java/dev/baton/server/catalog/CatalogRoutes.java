package dev.baton.server.catalog;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.project.ColumnInfo;
import dev.baton.project.Node;
import dev.baton.project.ResourceType;
import dev.baton.server.auth.Role;
import dev.baton.server.http.Json;
import dev.baton.server.http.Params;
import dev.baton.server.http.Route;
import dev.baton.state.MetricRecord;
import dev.baton.state.StateStore;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Models, sources, seeds and checks of the loaded project; lineage; search; metric history. */
public final class CatalogRoutes {
    private static final int MAX_DEPTH = 50;

    private final Supplier<Catalog> catalog;
    private final StateStore store;

    public CatalogRoutes(Supplier<Catalog> catalog, StateStore store) {
        this.catalog = catalog;
        this.store = store;
    }

    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (ResourceType type : List.of(ResourceType.MODEL, ResourceType.SOURCE, ResourceType.SEED, ResourceType.TEST)) {
            String base = "/api/v1/" + Catalog.plural(type);
            routes.add(Route.get(base, Role.VIEWER, context -> list(context, type))
                    .doc("A page of the project's " + Catalog.plural(type) + ", filtered", "limit", "offset", "name", "tag", "owner", "tier", "materialized"));
            routes.add(Route.get(base + "/{id}", Role.VIEWER, context -> Json.write(context, 200,
                    catalog.get().detail(catalog.get().node(type, context.pathParam("id")))))
                    .doc("One " + type.label() + " by unique id or name: columns, owner, tier, SLA, description, checks"));
        }
        routes.add(Route.get("/api/v1/models/{id}/lineage", Role.VIEWER, this::lineage)
                .doc("Nodes upstream and downstream of a model, to a depth", "depth", "direction"));
        routes.add(Route.get("/api/v1/models/{id}/metrics", Role.VIEWER, this::metricHistory)
                .doc("The history of one audit metric of a model, newest first", "metric", "column", "limit"));
        routes.add(Route.get("/api/v1/search", Role.VIEWER, this::search)
                .doc("Models, sources and seeds whose name, column, tag or owner matches", "q", "in", "limit", "offset"));
        return routes;
    }

    private void list(Context context, ResourceType type) {
        Params.Page page = Params.page(context);
        Optional<Predicate<Node>> filter = filter(context, type);
        Catalog current = catalog.get();
        List<Map<String, Object>> items = new ArrayList<>();
        List<Node> nodes = current.nodes(type);
        if (filter.isEmpty()) {
            for (Node node : nodes.subList(Math.min(page.offset(), nodes.size()), Math.min(nodes.size(), page.offset() + page.limit()))) {
                items.add(current.summary(node.uniqueId()));
            }
            Json.write(context, 200, pageOf(items, nodes.size(), page));
            return;
        }
        int total = 0;
        for (Node node : nodes) {
            if (filter.get().test(node)) {
                if (total >= page.offset() && items.size() < page.limit()) {
                    items.add(current.summary(node.uniqueId()));
                }
                total++;
            }
        }
        Json.write(context, 200, pageOf(items, total, page));
    }

    static Map<String, Object> pageOf(List<?> items, int total, Params.Page page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("total", total);
        body.put("limit", page.limit());
        body.put("offset", page.offset());
        body.put("next_offset", page.offset() + items.size() < total ? page.offset() + items.size() : null);
        return body;
    }

    /** The filters the query asks for; empty when it asks for none. */
    private static Optional<Predicate<Node>> filter(Context context, ResourceType type) {
        Predicate<Node> filter = null;
        Optional<String> name = Params.text(context, "name").map(value -> value.toLowerCase(Locale.ROOT));
        if (name.isPresent()) {
            filter = and(filter, node -> node.name().toLowerCase(Locale.ROOT).contains(name.get()));
        }
        Optional<String> tag = Params.text(context, "tag");
        if (tag.isPresent()) {
            filter = and(filter, node -> node.tags().contains(tag.get()));
        }
        Optional<String> owner = Params.text(context, "owner");
        if (owner.isPresent()) {
            filter = and(filter, node -> Catalog.owner(node).map(owner.get()::equals).orElse(false));
        }
        if (Params.text(context, "tier").isPresent()) {
            int tier = Params.integer(context, "tier", 0, 0, 2);
            filter = and(filter, node -> Catalog.tier(node).map(value -> value == tier).orElse(false));
        }
        Optional<String> materialized = Params.text(context, "materialized");
        if (materialized.isPresent()) {
            if (type != ResourceType.MODEL || dev.baton.project.Materialization.fromLabel(materialized.get()).isEmpty()) {
                throw new BatonException(ErrorCode.INVALID_ARGUMENT, "query parameter 'materialized' must be view, table, incremental or ephemeral"
                        + " and applies to models only, not '" + Params.shorten(materialized.get()) + "'");
            }
            filter = and(filter, node -> node.config().materialized().label().equals(materialized.get()));
        }
        return Optional.ofNullable(filter);
    }

    private static Predicate<Node> and(Predicate<Node> left, Predicate<Node> right) {
        return left == null ? right : left.and(right);
    }

    private void lineage(Context context) {
        Catalog current = catalog.get();
        Node node = current.node(ResourceType.MODEL, context.pathParam("id"));
        int depth = Params.integer(context, "depth", 1, 1, MAX_DEPTH);
        String direction = Params.text(context, "direction").orElse("both");
        if (!List.of("both", "upstream", "downstream").contains(direction)) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "query parameter 'direction' must be both, upstream or downstream, not '"
                    + Params.shorten(direction) + "'");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", node.uniqueId());
        body.put("depth", depth);
        Set<String> ids = new LinkedHashSet<>();
        ids.add(node.uniqueId());
        for (String side : List.of("upstream", "downstream")) {
            if (direction.equals("both") || direction.equals(side)) {
                List<Map<String, Object>> steps = new ArrayList<>();
                for (Catalog.LineageStep step : current.lineage(node.uniqueId(), depth, side.equals("upstream"))) {
                    Map<String, Object> view = new LinkedHashMap<>();
                    Map<String, Object> summary = current.summary(step.nodeId());
                    view.put("id", step.nodeId());
                    view.put("name", summary.get("name"));
                    view.put("resource_type", summary.get("resource_type"));
                    view.put("depth", step.depth());
                    steps.add(view);
                    ids.add(step.nodeId());
                }
                body.put(side, steps);
            }
        }
        body.put("edges", current.edges(ids));
        Json.write(context, 200, body);
    }

    private void metricHistory(Context context) {
        Node node = catalog.get().node(ResourceType.MODEL, context.pathParam("id"));
        String metric = Params.text(context, "metric").orElse("row_count");
        String column = Params.text(context, "column").orElse("");
        int limit = Params.integer(context, "limit", Params.DEFAULT_LIMIT, 1, Params.MAX_LIMIT);
        List<Map<String, Object>> items = new ArrayList<>();
        for (MetricRecord record : store.metricHistory(node.uniqueId(), column, metric, limit)) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("run_id", record.runId());
            view.put("column", record.column());
            view.put("metric", record.metric());
            view.put("value", record.value().orElse(null));
            view.put("published", record.published());
            view.put("recorded_at", record.recordedAt().toString());
            items.add(view);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", node.uniqueId());
        body.put("metric", metric);
        body.put("column", column);
        body.put("items", items);
        Json.write(context, 200, body);
    }

    private void search(Context context) {
        String query = Params.text(context, "q").orElseThrow(() -> new BatonException(ErrorCode.INVALID_ARGUMENT,
                "query parameter 'q' is required: the text to look for in names, columns, tags and owners"));
        String needle = query.toLowerCase(Locale.ROOT);
        String in = Params.text(context, "in").orElse("name,column,tag,owner");
        Set<String> fields = new LinkedHashSet<>(List.of(in.split(",")));
        if (!List.of("name", "column", "tag", "owner").containsAll(fields)) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "query parameter 'in' must list name, column, tag or owner (comma-separated), not '"
                    + Params.shorten(in) + "'");
        }
        Params.Page page = Params.page(context);
        Catalog current = catalog.get();
        List<Map<String, Object>> items = new ArrayList<>();
        int total = 0;
        for (ResourceType type : List.of(ResourceType.MODEL, ResourceType.SOURCE, ResourceType.SEED)) {
            for (Node node : current.nodes(type)) {
                List<String> matched = matches(node, needle, fields);
                if (matched.isEmpty()) {
                    continue;
                }
                if (total >= page.offset() && items.size() < page.limit()) {
                    Map<String, Object> view = new LinkedHashMap<>(current.summary(node.uniqueId()));
                    view.put("matched", matched);
                    items.add(view);
                }
                total++;
            }
        }
        Json.write(context, 200, pageOf(items, total, page));
    }

    private static List<String> matches(Node node, String needle, Set<String> fields) {
        List<String> matched = new ArrayList<>();
        if (fields.contains("name") && node.name().toLowerCase(Locale.ROOT).contains(needle)) {
            matched.add("name");
        }
        if (fields.contains("column")) {
            for (ColumnInfo column : node.columns()) {
                if (column.name().toLowerCase(Locale.ROOT).contains(needle)) {
                    matched.add("column:" + column.name());
                }
            }
        }
        if (fields.contains("tag") && node.tags().stream().anyMatch(tag -> tag.toLowerCase(Locale.ROOT).equals(needle))) {
            matched.add("tag");
        }
        if (fields.contains("owner") && Catalog.owner(node).map(owner -> owner.toLowerCase(Locale.ROOT).contains(needle)).orElse(false)) {
            matched.add("owner");
        }
        return matched;
    }
}
