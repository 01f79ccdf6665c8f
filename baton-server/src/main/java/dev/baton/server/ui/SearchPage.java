package dev.baton.server.ui;

import static dev.baton.server.ui.Html.esc;

import dev.baton.project.ColumnInfo;
import dev.baton.project.Node;
import dev.baton.project.ResourceType;
import dev.baton.server.catalog.Catalog;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** Search across the names, columns, tags and owners of sources, seeds and models. */
final class SearchPage {
    private static final int SUGGESTIONS = 8;
    private static final int RESULTS = 200;

    private final Supplier<Catalog> catalog;

    SearchPage(Supplier<Catalog> catalog) {
        this.catalog = catalog;
    }

    /** One node that matched, and what of it matched. */
    record Hit(Node node, List<String> matched) {}

    List<Hit> search(String query, int limit) {
        String needle = query.strip().toLowerCase(Locale.ROOT);
        List<Hit> hits = new ArrayList<>();
        if (needle.isEmpty()) {
            return hits;
        }
        Catalog current = catalog.get();
        for (ResourceType type : List.of(ResourceType.MODEL, ResourceType.SOURCE, ResourceType.SEED)) {
            for (Node node : current.nodes(type)) {
                List<String> matched = new ArrayList<>();
                if (node.name().toLowerCase(Locale.ROOT).contains(needle)) {
                    matched.add("name");
                }
                for (ColumnInfo column : node.columns()) {
                    if (column.name().toLowerCase(Locale.ROOT).contains(needle)) {
                        matched.add("column " + column.name());
                    }
                }
                for (String tag : node.tags()) {
                    if (tag.toLowerCase(Locale.ROOT).contains(needle)) {
                        matched.add("tag " + tag);
                    }
                }
                Catalog.owner(node).filter(owner -> owner.toLowerCase(Locale.ROOT).contains(needle)).ifPresent(owner -> matched.add("owner " + owner));
                if (!matched.isEmpty()) {
                    hits.add(new Hit(node, matched));
                    if (hits.size() >= limit) {
                        return hits;
                    }
                }
            }
        }
        return hits;
    }

    void render(Context context, Session session) {
        String query = Optional.ofNullable(context.queryParam("q")).orElse("");
        List<Hit> hits = search(query, RESULTS);
        StringBuilder body = new StringBuilder("<h1>Search</h1><form class=\"filter\" method=\"get\" action=\"/search\"><label for=\"q\">Find</label>")
                .append("<input id=\"q\" name=\"q\" value=\"").append(esc(query)).append("\"><button type=\"submit\">Search</button></form>");
        if (query.isBlank()) {
            body.append("<p class=\"empty\">Type a name, a column, a tag or an owner.</p>");
        } else if (hits.isEmpty()) {
            body.append("<p class=\"empty\" id=\"no-results\">Nothing matches '").append(esc(query)).append("'.</p>");
        } else {
            body.append("<p class=\"muted\" id=\"result-count\">").append(hits.size()).append(hits.size() >= RESULTS ? "+" : "")
                    .append(" results</p><table id=\"search-results\"><thead><tr><th>Name</th><th>Kind</th><th>Owner</th><th>Tier</th><th>Matched</th></tr></thead><tbody>");
            for (Hit hit : hits) {
                Node node = hit.node();
                body.append("<tr class=\"search-hit\"><td><a href=\"/nodes/").append(esc(Html.url(node.uniqueId()))).append("\">").append(esc(label(node)))
                        .append("</a></td><td>").append(esc(node.resourceType().label())).append("</td><td>").append(esc(Catalog.owner(node).orElse("—")))
                        .append("</td><td>").append(Html.tier(Catalog.tier(node))).append("</td><td>").append(esc(String.join(", ", hit.matched())))
                        .append("</td></tr>");
            }
            body.append("</tbody></table>");
        }
        WebUi.html(context, 200, Layout.page(session, "", "Search", body.toString()));
    }

    /** The few best hits, for the list under the search box. */
    void suggest(Context context, Session session) {
        String query = Optional.ofNullable(context.queryParam("q")).orElse("");
        List<Hit> hits = search(query, SUGGESTIONS);
        StringBuilder html = new StringBuilder();
        if (!query.isBlank()) {
            html.append("<ul>");
            for (Hit hit : hits) {
                html.append("<li><a href=\"/nodes/").append(esc(Html.url(hit.node().uniqueId()))).append("\"><strong>").append(esc(label(hit.node())))
                        .append("</strong> <span class=\"muted small\">").append(esc(hit.node().resourceType().label())).append(" · ")
                        .append(esc(String.join(", ", hit.matched()))).append("</span></a></li>");
            }
            if (hits.isEmpty()) {
                html.append("<li class=\"muted\">no match</li>");
            }
            html.append("<li><a href=\"/search?q=").append(esc(Html.url(query))).append("\">All results…</a></li></ul>");
        }
        WebUi.html(context, 200, html.toString());
    }

    private static String label(Node node) {
        return node.resourceType() == ResourceType.SOURCE ? GraphPage.sourceName(node) : node.name();
    }
}
