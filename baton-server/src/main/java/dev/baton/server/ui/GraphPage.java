package dev.baton.server.ui;

import static dev.baton.server.ui.Html.esc;

import dev.baton.api.event.NodeStatus;
import dev.baton.graph.Graph;
import dev.baton.project.Node;
import dev.baton.project.ResourceType;
import dev.baton.server.catalog.Catalog;
import dev.baton.state.StateStore;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The lineage graph: sources, seeds and models left to right, each with its last status and tier.
 * A selection larger than {@value #FOLDER_THRESHOLD} nodes is shown folder by folder (one box per
 * folder, opened by a click), so a project of thousands of models stays readable.
 */
final class GraphPage {
    static final int FOLDER_THRESHOLD = 300;
    private static final int FOLDER_COLUMNS = 5;
    private static final int NODE_WIDTH = 210;
    private static final int NODE_HEIGHT = 42;

    private final ProjectView view;
    private final StateStore store;

    GraphPage(Supplier<Catalog> catalog, StateStore store) {
        this.view = new ProjectView(catalog, store);
        this.store = store;
    }

    void render(Context context, Session session) {
        String selector = Optional.ofNullable(context.queryParam("select")).orElse("").strip();
        String mode = Optional.ofNullable(context.queryParam("view")).orElse("auto");
        StringBuilder body = new StringBuilder();
        body.append("<div class=\"toolbar\"><form class=\"filter\" method=\"get\" action=\"/graph\">")
                .append("<label for=\"select\">Selector</label>")
                .append("<input id=\"select\" name=\"select\" value=\"").append(esc(selector))
                .append("\" placeholder=\"+orders, tag:finance, path:models/marts\">")
                .append("<button id=\"apply-filter\" type=\"submit\">Filter</button>");
        if (!selector.isEmpty()) {
            body.append("<a class=\"button secondary\" href=\"/graph\">Show all</a>");
        }
        body.append("</form>");
        if (session.mayOperate()) {
            body.append("<form method=\"post\" action=\"/runs\" class=\"operate\">")
                    .append("<input type=\"hidden\" name=\"command\" value=\"build\">")
                    .append("<input type=\"hidden\" name=\"select\" value=\"").append(esc(selector)).append("\">")
                    .append("<button id=\"build-selection\" class=\"operator\" type=\"submit\">Build ")
                    .append(selector.isEmpty() ? "all" : "this selection").append("</button></form>");
        }
        body.append("</div>");
        Set<String> ids;
        Catalog catalog = view.catalog();
        try {
            ids = view.select(selector);
        } catch (dev.baton.api.BatonException e) {
            body.append("<p class=\"problem\" id=\"problem\">").append(esc(e.getMessage())).append("</p>");
            context.status(400);
            WebUi.html(context, 400, Layout.page(session, "/graph", "Lineage", body.toString()));
            return;
        }
        Map<String, NodeStatus> statuses = History.latestStatuses(store);
        boolean folders = mode.equals("folders") || (mode.equals("auto") && ids.size() > FOLDER_THRESHOLD);
        body.append(summary(catalog, ids, folders, selector));
        if (ids.isEmpty()) {
            body.append("<p class=\"empty\">The selector matches no source, seed or model.</p>");
        } else if (folders) {
            body.append(folderGraph(catalog, ids, statuses));
        } else {
            body.append(nodeGraph(catalog, ids, statuses));
        }
        body.append(legend());
        body.append("<script src=\"/ui/assets/graph.js\"></script>");
        WebUi.html(context, 200, Layout.page(session, "/graph", "Lineage", body.toString()));
    }

    private static String summary(Catalog catalog, Set<String> ids, boolean folders, String selector) {
        Map<ResourceType, Integer> counts = new TreeMap<>();
        for (String id : ids) {
            counts.merge(catalog.project().nodes().get(id).resourceType(), 1, Integer::sum);
        }
        StringBuilder text = new StringBuilder("<p class=\"summary\" id=\"graph-summary\" data-count=\"" + ids.size() + "\">");
        text.append("<strong>").append(ids.size()).append("</strong> nodes");
        List<String> parts = new ArrayList<>();
        for (Map.Entry<ResourceType, Integer> entry : counts.entrySet()) {
            parts.add(entry.getValue() + " " + entry.getKey().label() + (entry.getValue() == 1 ? "" : "s"));
        }
        if (!parts.isEmpty()) {
            text.append(" (").append(esc(String.join(", ", parts))).append(")");
        }
        if (folders) {
            String query = selector.isEmpty() ? "" : "select=" + Html.url(selector) + "&";
            text.append(" · shown by folder; click a folder to open it, or <a href=\"/graph?").append(query)
                    .append("view=nodes\">show every node</a>");
        }
        text.append(" · drag to pan, scroll to zoom</p>");
        return text.toString();
    }

    private String nodeGraph(Catalog catalog, Set<String> ids, Map<String, NodeStatus> statuses) {
        List<String> vertices = new ArrayList<>(ids);
        List<List<String>> edges = catalog.edges(ids);
        Map<String, LayeredLayout.Position> positions = LayeredLayout.layout(vertices, edges);
        StringBuilder svg = new StringBuilder();
        open(svg, positions);
        svg.append("<g class=\"edges\">");
        for (List<String> edge : edges) {
            edge(svg, positions.get(edge.get(0)), positions.get(edge.get(1)));
        }
        svg.append("</g><g class=\"nodes\">");
        for (String id : vertices) {
            Node node = catalog.project().nodes().get(id);
            LayeredLayout.Position at = positions.get(id);
            Optional<NodeStatus> status = Optional.ofNullable(statuses.get(id));
            String label = node.resourceType() == ResourceType.SOURCE ? sourceName(node) : node.name();
            // An ephemeral model is compiled into the models that read it and never runs on its own.
            String word = status.map(value -> value.name().toLowerCase(java.util.Locale.ROOT)).orElse(node.isEphemeral() ? "ephemeral" : "not run");
            svg.append("<a class=\"graph-node\" href=\"/nodes/").append(esc(Html.url(id))).append("\" data-node-id=\"").append(esc(id))
                    .append("\" data-status=\"").append(word)
                    .append("\"><title>").append(esc(node.resourceType().label() + " " + label + " · " + word)).append("</title>")
                    .append("<rect class=\"box kind-").append(node.resourceType().label()).append(" st-").append(Html.cssClass(status))
                    .append("\" x=\"").append(at.x()).append("\" y=\"").append(at.y()).append("\" width=\"").append(NODE_WIDTH)
                    .append("\" height=\"").append(NODE_HEIGHT).append("\" rx=\"6\"/>")
                    .append("<rect class=\"stripe st-").append(Html.cssClass(status)).append("\" x=\"").append(at.x()).append("\" y=\"").append(at.y())
                    .append("\" width=\"8\" height=\"").append(NODE_HEIGHT).append("\" rx=\"3\"/>")
                    .append("<text class=\"icon st-").append(Html.cssClass(status)).append("\" x=\"").append(at.x() + 22).append("\" y=\"").append(at.y() + 27)
                    .append("\" text-anchor=\"middle\">").append(Html.icon(status)).append("</text>")
                    .append("<text class=\"name\" x=\"").append(at.x() + 34).append("\" y=\"").append(at.y() + 18).append("\">")
                    .append(esc(shorten(label, 24))).append("</text>")
                    .append("<text class=\"kind\" x=\"").append(at.x() + 34).append("\" y=\"").append(at.y() + 34).append("\">")
                    .append(esc(node.resourceType().label())).append(" · ").append(word).append("</text>");
            Catalog.tier(node).ifPresent(tier -> svg.append("<rect class=\"tier-badge tier-").append(tier).append("\" x=\"").append(at.x() + NODE_WIDTH - 32)
                    .append("\" y=\"").append(at.y() + 6).append("\" width=\"26\" height=\"16\" rx=\"3\"/><text class=\"tier-text\" x=\"")
                    .append(at.x() + NODE_WIDTH - 19).append("\" y=\"").append(at.y() + 18).append("\" text-anchor=\"middle\">T").append(tier).append("</text>"));
            svg.append("</a>");
        }
        svg.append("</g></svg></div>");
        return svg.toString();
    }

    private String folderGraph(Catalog catalog, Set<String> ids, Map<String, NodeStatus> statuses) {
        Map<String, List<String>> members = new LinkedHashMap<>();
        Map<String, String> folderOf = new LinkedHashMap<>();
        for (String id : ids) {
            String folder = folder(catalog.project().nodes().get(id));
            members.computeIfAbsent(folder, key -> new ArrayList<>()).add(id);
            folderOf.put(id, folder);
        }
        Set<List<String>> edges = new LinkedHashSet<>();
        for (List<String> edge : catalog.edges(ids)) {
            String from = folderOf.get(edge.get(0));
            String to = folderOf.get(edge.get(1));
            if (!from.equals(to)) {
                edges.add(List.of(from, to));
            }
        }
        // Folders often read each other both ways, so a layered drawing of them degenerates into one long
        // chain: they are shown as a grid instead, upstream folders first, each saying how many folders it reads.
        List<String> vertices = new ArrayList<>(members.keySet());
        Map<String, LayeredLayout.Position> layered = LayeredLayout.layout(vertices, edges);
        vertices.sort(java.util.Comparator.<String>comparingInt(folder -> layered.get(folder).column()).thenComparing(folder -> folder));
        Map<String, Integer> reads = new java.util.HashMap<>();
        for (List<String> edge : edges) {
            reads.merge(edge.get(1), 1, Integer::sum);
        }
        Map<String, LayeredLayout.Position> positions = new LinkedHashMap<>();
        for (int i = 0; i < vertices.size(); i++) {
            positions.put(vertices.get(i), new LayeredLayout.Position(i % FOLDER_COLUMNS, i / FOLDER_COLUMNS, 20 + (i % FOLDER_COLUMNS) * LayeredLayout.COLUMN_WIDTH,
                    20 + (i / FOLDER_COLUMNS) * LayeredLayout.ROW_HEIGHT));
        }
        StringBuilder svg = new StringBuilder();
        open(svg, positions);
        svg.append("<g class=\"nodes\">");
        for (String folder : vertices) {
            LayeredLayout.Position at = positions.get(folder);
            List<String> inside = members.get(folder);
            long failing = inside.stream().filter(id -> statuses.containsKey(id) && statuses.get(id).isFailure()).count();
            Optional<NodeStatus> status = failing > 0 ? Optional.of(NodeStatus.ERROR)
                    : inside.stream().anyMatch(statuses::containsKey) ? Optional.of(NodeStatus.SUCCESS) : Optional.empty();
            svg.append("<a class=\"graph-folder\" href=\"/graph?select=").append(esc(Html.url("path:" + folder))).append("\" data-folder=\"")
                    .append(esc(folder)).append("\" data-members=\"").append(inside.size()).append("\"><title>").append(esc(folder)).append("</title>")
                    .append("<rect class=\"box folder st-").append(Html.cssClass(status)).append("\" x=\"").append(at.x()).append("\" y=\"").append(at.y())
                    .append("\" width=\"").append(NODE_WIDTH).append("\" height=\"").append(NODE_HEIGHT).append("\" rx=\"6\"/>")
                    .append("<text class=\"icon st-").append(Html.cssClass(status)).append("\" x=\"").append(at.x() + 16).append("\" y=\"").append(at.y() + 27)
                    .append("\" text-anchor=\"middle\">").append(Html.icon(status)).append("</text>")
                    .append("<text class=\"name\" x=\"").append(at.x() + 30).append("\" y=\"").append(at.y() + 18).append("\">")
                    .append(esc(shorten(folder, 26))).append("</text>")
                    .append("<text class=\"kind\" x=\"").append(at.x() + 30).append("\" y=\"").append(at.y() + 34).append("\">")
                    .append(inside.size()).append(inside.size() == 1 ? " node" : " nodes").append(failing > 0 ? " · " + failing + " failing" : "")
                    .append(reads.containsKey(folder) ? " · reads " + reads.get(folder) + (reads.get(folder) == 1 ? " folder" : " folders") : "").append("</text></a>");
        }
        svg.append("</g></svg></div>");
        return svg.toString();
    }

    private static void open(StringBuilder svg, Map<String, LayeredLayout.Position> positions) {
        int width = positions.values().stream().mapToInt(LayeredLayout.Position::x).max().orElse(0) + NODE_WIDTH + 40;
        int height = positions.values().stream().mapToInt(LayeredLayout.Position::y).max().orElse(0) + NODE_HEIGHT + 40;
        svg.append("<div class=\"graph-frame\"><div class=\"zoom\"><button type=\"button\" data-zoom=\"in\" title=\"Zoom in\">+</button>")
                .append("<button type=\"button\" data-zoom=\"out\" title=\"Zoom out\">−</button><button type=\"button\" data-zoom=\"fit\" title=\"Fit\">Fit</button></div>")
                .append("<svg id=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" data-width=\"").append(width).append("\" data-height=\"").append(height).append("\" role=\"img\" aria-label=\"lineage graph\">")
                .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">")
                .append("<path d=\"M0,0 L10,5 L0,10 z\" class=\"arrowhead\"/></marker></defs>");
    }

    private static void edge(StringBuilder svg, LayeredLayout.Position from, LayeredLayout.Position to) {
        int x1 = from.x() + NODE_WIDTH;
        int y1 = from.y() + NODE_HEIGHT / 2;
        int x2 = to.x();
        int y2 = to.y() + NODE_HEIGHT / 2;
        int bend = Math.max(30, Math.abs(x2 - x1) / 2);
        svg.append("<path class=\"edge\" marker-end=\"url(#arrow)\" d=\"M").append(x1).append(',').append(y1).append(" C").append(x1 + bend).append(',').append(y1)
                .append(' ').append(x2 - bend).append(',').append(y2).append(' ').append(x2).append(',').append(y2).append("\"/>");
    }

    private static String legend() {
        return "<p class=\"legend\">" + Html.status(Optional.of(NodeStatus.SUCCESS)) + Html.status(Optional.of(NodeStatus.ERROR))
                + Html.status(Optional.of(NodeStatus.WARN)) + Html.status(Optional.of(NodeStatus.SKIPPED)) + Html.status(Optional.empty())
                + "<span class=\"tier tier-0\">T0</span> tier badge</p>";
    }

    static String folder(Node node) {
        String path = node.path().replace('\\', '/');
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "." : path.substring(0, slash);
    }

    static String sourceName(Node node) {
        List<String> fqn = node.fqn();
        return fqn.size() >= 2 ? fqn.get(fqn.size() - 2) + "." + node.name() : node.name();
    }

    static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
