package dev.baton.server.ui;

import static dev.baton.server.ui.Html.esc;

import dev.baton.api.event.NodeStatus;
import dev.baton.graph.Graph;
import dev.baton.project.ColumnInfo;
import dev.baton.project.Node;
import dev.baton.project.ResourceType;
import dev.baton.server.catalog.Catalog;
import dev.baton.sla.FreshnessSla;
import dev.baton.sla.SlaStatus;
import dev.baton.state.MetricRecord;
import dev.baton.state.NodeResultRecord;
import dev.baton.state.StateStore;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** One source, seed or model: what it is, who owns it, its columns and checks, its SQL, lineage and history. */
final class NodePage {
    private static final int CHECK_HISTORY = 20;
    private static final int RUNS_SHOWN = 15;

    private final ProjectView view;
    private final StateStore store;

    NodePage(Supplier<Catalog> catalog, StateStore store) {
        this.view = new ProjectView(catalog, store);
        this.store = store;
    }

    void render(Context context, Session session) {
        Catalog catalog = view.catalog();
        String id = context.pathParam("id");
        Node node = catalog.project().nodes().get(id);
        if (node == null || node.resourceType() == ResourceType.TEST) {
            WebUi.html(context, 404, Layout.error(Optional.of(session), "Not found",
                    "No source, seed or model '" + GraphPage.shorten(id, 200) + "' in project " + catalog.project().name() + "; search for it above."));
            return;
        }
        List<String> checks = catalog.checksOf(id);
        Map<String, List<History.Entry>> history = History.resultsOf(store, Set.of(id));
        List<History.Entry> runs = history.getOrDefault(id, List.of());
        Optional<NodeStatus> latest = runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0).result().status());
        String label = node.resourceType() == ResourceType.SOURCE ? GraphPage.sourceName(node) : node.name();
        StringBuilder body = new StringBuilder();
        body.append("<h1 id=\"node-title\"><span class=\"kind-label\">").append(esc(node.resourceType().label())).append("</span> ")
                .append(esc(label)).append(' ').append(Html.tier(Catalog.tier(node))).append(' ').append(Html.status(latest)).append("</h1>");
        if (!node.description().isBlank()) {
            body.append("<p class=\"description\" id=\"description\">").append(esc(Html.description(node.description(), catalog.project().docs())))
                    .append("</p>");
        }
        body.append(facts(node, freshness(node, runs)));
        body.append("<p><a class=\"button secondary\" id=\"show-in-graph\" href=\"/graph?select=").append(esc(Html.url(neighbourhood(node))))
                .append("\">Show its neighbourhood in the graph</a></p>");
        body.append("<div class=\"columns-2\"><section><h2>Columns</h2>").append(columns(catalog, node, checks)).append("</section>");
        body.append("<section><h2>Lineage</h2>").append(lineage(catalog, node)).append("</section></div>");
        body.append("<section><h2>Checks</h2>").append(checks(catalog, checks)).append("</section>");
        body.append(failingRows(catalog, checks, session));
        body.append(metrics(node));
        body.append("<section><h2>Last runs</h2>").append(runs(runs)).append("</section>");
        body.append(sql(node));
        WebUi.html(context, 200, Layout.page(session, "", label, body.toString()));
    }

    /**
     * How fresh the node is, from what the state store knows: a model's last successful build, a
     * source's last load; judged against its freshness SLA when it declares one.
     */
    private String freshness(Node node, List<History.Entry> runs) {
        if (node.resourceType() != ResourceType.MODEL && node.resourceType() != ResourceType.SOURCE && node.resourceType() != ResourceType.SEED) {
            return "";
        }
        Optional<java.time.Instant> updated = Optional.empty();
        if (node.resourceType() == ResourceType.SOURCE) {
            updated = store.loads(node.uniqueId(), 1).stream().findFirst().map(load -> load.startedAt().plus(load.duration()));
        } else {
            for (History.Entry entry : runs) {
                if (entry.result().status() == NodeStatus.SUCCESS) {
                    updated = Optional.of(entry.result().startedAt().plus(entry.result().duration()));
                    break;
                }
            }
        }
        Optional<FreshnessSla> sla;
        try {
            sla = FreshnessSla.of(node);
        } catch (dev.baton.api.BatonException e) {
            return "<span class=\"missing\">" + esc(e.getMessage()) + "</span>";
        }
        StringBuilder html = new StringBuilder("<span id=\"freshness\"");
        if (updated.isEmpty()) {
            html.append(" data-status=\"unknown\">").append(sla.isPresent() ? Html.status("unknown") + " " : "")
                    .append(node.resourceType() == ResourceType.SOURCE ? "no load recorded; a source read by SQL only is judged by 'baton source freshness'"
                            : "not built successfully in the recent runs");
        } else {
            java.time.Duration lag = java.time.Duration.between(updated.get(), java.time.Instant.now());
            if (lag.isNegative()) {
                lag = java.time.Duration.ZERO;
            }
            String verdict = sla.isPresent() ? sla.get().judge(lag).label() : "none";
            html.append(" data-status=\"").append(verdict).append("\">");
            if (sla.isPresent()) {
                html.append(freshnessStatus(sla.get().judge(lag))).append(' ');
            }
            html.append("updated ").append(IncidentsPage.age(lag)).append(" ago (").append(Html.time(updated.get())).append(')');
        }
        if (sla.isPresent()) {
            html.append("; SLA: ").append(sla.get().warnAfter().map(limit -> "warn after " + IncidentsPage.age(limit)).orElse(""))
                    .append(sla.get().warnAfter().isPresent() && sla.get().errorAfter().isPresent() ? ", " : "")
                    .append(sla.get().errorAfter().map(limit -> "error after " + IncidentsPage.age(limit)).orElse(""));
        } else {
            html.append("; no freshness SLA");
        }
        return html.append("</span>").toString();
    }

    private static String freshnessStatus(SlaStatus status) {
        switch (status) {
            case PASS:
                return "<span class=\"status status-ok\" data-status=\"fresh\">✓ fresh</span>";
            case WARN:
                return "<span class=\"status status-warn\" data-status=\"late\">⚠ late</span>";
            default:
                return "<span class=\"status status-bad\" data-status=\"stale\">✗ stale</span>";
        }
    }

    /** The failing rows each failed check last sampled, with PII values masked for viewers. */
    private String failingRows(Catalog catalog, List<String> checks, Session session) {
        java.util.Set<String> pii = session.mayOperate() ? java.util.Set.of() : Samples.piiColumns(catalog.project());
        StringBuilder html = new StringBuilder();
        for (String checkId : checks) {
            for (NodeResultRecord result : store.checkResults(Optional.of(checkId), Optional.empty(), CHECK_HISTORY, 0)) {
                if (result.status() != NodeStatus.FAIL && result.status() != NodeStatus.WARN) {
                    continue;
                }
                List<Map<String, String>> rows = Samples.rows(result.errorMessage().orElse(result.message()));
                if (rows.isEmpty()) {
                    continue;
                }
                Node check = catalog.project().nodes().get(checkId);
                html.append("<div class=\"sample\" data-check-id=\"").append(esc(checkId)).append("\"><h3>").append(esc(check.testMetadata().orElse(check.name())))
                        .append(check.columnName().map(column -> " on " + column).map(Html::esc).orElse("")).append(" · ").append(Html.status(Optional.of(result.status())))
                        .append(" in run <a href=\"/runs/").append(esc(Html.url(result.runId()))).append("\"><code>").append(esc(result.runId().substring(0, Math.min(8, result.runId().length()))))
                        .append("</code></a>, ").append(Html.time(result.startedAt())).append("</h3><table class=\"sample-rows\"><thead><tr>");
                java.util.Set<String> columns = new java.util.LinkedHashSet<>();
                rows.forEach(row -> columns.addAll(row.keySet()));
                for (String column : columns) {
                    html.append("<th>").append(esc(column)).append("</th>");
                }
                html.append("</tr></thead><tbody>");
                for (Map<String, String> row : rows) {
                    Map<String, String> shown = Samples.mask(row, pii);
                    html.append("<tr>");
                    for (String column : columns) {
                        String value = shown.getOrDefault(column, "");
                        html.append("<td data-column=\"").append(esc(column)).append("\"").append(Samples.MASK.equals(value) ? " class=\"masked\" title=\"PII: masked\"" : "")
                                .append('>').append(esc(value)).append("</td>");
                    }
                    html.append("</tr>");
                }
                html.append("</tbody></table></div>");
                break;
            }
        }
        if (html.length() == 0) {
            return "";
        }
        return "<section id=\"failing-rows\"><h2>Failing rows</h2><p class=\"muted small\">The last sample of each failed check"
                + (session.mayOperate() ? "." : "; values of PII columns are masked for viewers.") + "</p>" + html + "</section>";
    }

    private static String facts(Node node, String freshness) {
        Map<String, Object> meta = node.config().meta();
        StringBuilder html = new StringBuilder("<dl class=\"facts\" id=\"facts\">");
        fact(html, "Owner", Catalog.owner(node).map(Html::esc).orElse("<span class=\"missing\">none</span>"));
        fact(html, "Tier", Catalog.tier(node).map(tier -> Html.tier(Optional.of(tier)) + " tier " + tier).orElse("<span class=\"missing\">none</span>"));
        fact(html, "SLA", meta.get("sla") == null ? "<span class=\"missing\">none</span>" : esc(meta.get("sla")));
        if (!freshness.isEmpty()) {
            fact(html, "Freshness", freshness);
        }
        Object runbook = meta.get("runbook");
        if (runbook != null) {
            String link = runbook.toString();
            fact(html, "Runbook", link.startsWith("https://") || link.startsWith("http://")
                    ? "<a id=\"runbook\" href=\"" + esc(link) + "\" rel=\"noopener\">" + esc(link) + "</a>" : esc(link));
        }
        if (node.resourceType() == ResourceType.MODEL) {
            fact(html, "Materialized", esc(node.config().materialized().label()));
        }
        node.relation().ifPresent(relation -> fact(html, "Relation", "<code>" + esc(relation) + "</code>"));
        if (!node.tags().isEmpty()) {
            StringBuilder tags = new StringBuilder();
            for (String tag : node.tags()) {
                tags.append("<a class=\"tag\" href=\"/graph?select=").append(esc(Html.url("tag:" + tag))).append("\">").append(esc(tag)).append("</a> ");
            }
            fact(html, "Tags", tags.toString());
        }
        fact(html, "File", "<code>" + esc(node.path()) + ":" + node.location().line() + "</code>");
        return html.append("</dl>").toString();
    }

    private static void fact(StringBuilder html, String term, String value) {
        html.append("<dt>").append(term).append("</dt><dd>").append(value).append("</dd>");
    }

    private String columns(Catalog catalog, Node node, List<String> checks) {
        if (node.columns().isEmpty()) {
            return "<p class=\"empty\">No documented columns.</p>";
        }
        Map<String, NodeStatus> statuses = History.latestStatuses(store);
        StringBuilder html = new StringBuilder("<table id=\"columns\"><thead><tr><th>Column</th><th>Type</th><th>Description</th><th>Checks</th></tr></thead><tbody>");
        for (ColumnInfo column : node.columns()) {
            boolean pii = Boolean.TRUE.equals(column.meta().get("pii")) || "true".equals(String.valueOf(column.meta().get("pii")));
            html.append("<tr class=\"column\" data-column=\"").append(esc(column.name())).append("\"><td><code>").append(esc(column.name())).append("</code>");
            if (pii) {
                html.append(" <span class=\"pii\" title=\"personal data: samples are masked\">PII</span>");
            }
            html.append("</td><td>").append(esc(column.dataType().orElse("—"))).append("</td><td>").append(describe(Html.description(column.description(), catalog.project().docs())))
                    .append("</td><td>");
            for (String checkId : checks) {
                Node check = catalog.project().nodes().get(checkId);
                if (check.columnName().map(column.name()::equalsIgnoreCase).orElse(false)) {
                    html.append("<span class=\"check-chip\" data-check=\"").append(esc(check.testMetadata().orElse(check.name()))).append("\">")
                            .append(Html.icon(Optional.ofNullable(statuses.get(checkId)))).append(' ')
                            .append(esc(check.testMetadata().orElse(check.name()))).append("</span> ");
                }
            }
            html.append("</td></tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    private String lineage(Catalog catalog, Node node) {
        Graph graph = view.graph();
        StringBuilder html = new StringBuilder();
        html.append("<h3>Upstream</h3>").append(list(catalog, graph.parents(node.uniqueId()), "upstream"));
        html.append("<h3>Downstream</h3>").append(list(catalog, graph.children(node.uniqueId()), "downstream"));
        return html.toString();
    }

    private static String list(Catalog catalog, List<String> ids, String cssId) {
        StringBuilder html = new StringBuilder("<ul class=\"lineage\" id=\"" + cssId + "\">");
        int shown = 0;
        for (String id : ids) {
            Node other = catalog.project().nodes().get(id);
            if (other == null || other.resourceType() == ResourceType.TEST) {
                continue;
            }
            shown++;
            html.append("<li><a href=\"/nodes/").append(esc(Html.url(id))).append("\">")
                    .append(esc(other.resourceType() == ResourceType.SOURCE ? GraphPage.sourceName(other) : other.name()))
                    .append("</a> <span class=\"muted\">").append(esc(other.resourceType().label())).append("</span></li>");
        }
        if (shown == 0) {
            html.append("<li class=\"muted\">none</li>");
        }
        return html.append("</ul>").toString();
    }

    private String checks(Catalog catalog, List<String> checks) {
        if (checks.isEmpty()) {
            return "<p class=\"empty\">No checks.</p>";
        }
        StringBuilder html = new StringBuilder("<table id=\"checks\"><thead><tr><th>Check</th><th>Column</th><th>Severity</th><th>Last</th>"
                + "<th>History (oldest → newest)</th></tr></thead><tbody>");
        for (String checkId : checks) {
            Node check = catalog.project().nodes().get(checkId);
            List<NodeResultRecord> results = new ArrayList<>(store.checkResults(Optional.of(checkId), Optional.empty(), CHECK_HISTORY, 0));
            Optional<NodeStatus> last = results.isEmpty() ? Optional.empty() : Optional.of(results.get(0).status());
            Collections.reverse(results);
            long passed = results.stream().filter(result -> result.status() == NodeStatus.PASS).count();
            html.append("<tr class=\"check\" data-check-id=\"").append(esc(checkId)).append("\"><td>").append(esc(check.testMetadata().orElse(check.name())))
                    .append("<div class=\"muted small\">").append(esc(check.name())).append("</div></td><td>")
                    .append(esc(check.columnName().orElse("—"))).append("</td><td>").append(esc(check.config().severity())).append("</td><td>")
                    .append(Html.status(last)).append("</td><td><span class=\"history\" aria-label=\"").append(passed).append(" of ").append(results.size())
                    .append(" passed\">");
            for (NodeResultRecord result : results) {
                Optional<NodeStatus> status = Optional.of(result.status());
                html.append("<a class=\"tick st-").append(Html.cssClass(status)).append("\" href=\"/runs/").append(esc(Html.url(result.runId())))
                        .append("\" title=\"").append(esc(result.status().name().toLowerCase(Locale.ROOT) + " · " + Html.time(result.startedAt())))
                        .append("\">").append(Html.icon(status)).append("</a>");
            }
            html.append("</span> <span class=\"muted small\">").append(passed).append('/').append(results.size()).append(" passed</span></td></tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    private String metrics(Node node) {
        List<MetricRecord> rows = new ArrayList<>(store.metricHistory(node.uniqueId(), "", "row_count", CHECK_HISTORY));
        if (rows.isEmpty()) {
            return "";
        }
        Collections.reverse(rows);
        double max = rows.stream().mapToDouble(row -> row.numericValue().orElse(0)).max().orElse(1);
        int width = 320;
        int height = 60;
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            double x = rows.size() == 1 ? width / 2.0 : 6 + i * (width - 12.0) / (rows.size() - 1);
            double y = height - 6 - (max <= 0 ? 0 : rows.get(i).numericValue().orElse(0) / max * (height - 12));
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        MetricRecord newest = rows.get(rows.size() - 1);
        return "<section><h2>Row count history</h2><svg class=\"spark\" id=\"row-count\" width=\"" + width + "\" height=\"" + height
                + "\" role=\"img\" aria-label=\"row count over the last " + rows.size() + " audits\"><polyline points=\"" + points
                + "\"/></svg><p class=\"muted small\">Latest: " + esc(newest.value().orElse("—")) + " rows, " + Html.time(newest.recordedAt())
                + " · " + rows.size() + " audits</p></section>";
    }

    private static String runs(List<History.Entry> entries) {
        if (entries.isEmpty()) {
            return "<p class=\"empty\">Not run yet.</p>";
        }
        StringBuilder html = new StringBuilder("<table id=\"node-runs\"><thead><tr><th>Run</th><th>Started</th><th>Status</th><th>Duration</th><th>Rows</th>"
                + "<th>Message</th></tr></thead><tbody>");
        for (History.Entry entry : entries.subList(0, Math.min(RUNS_SHOWN, entries.size()))) {
            NodeResultRecord result = entry.result();
            html.append("<tr><td><a href=\"/runs/").append(esc(Html.url(entry.run().id()))).append("\"><code>").append(esc(entry.run().id().substring(0, 8)))
                    .append("</code></a> ").append(esc(RunPages.shownCommand(entry.run()))).append("</td><td>").append(Html.time(result.startedAt())).append("</td><td>")
                    .append(Html.status(Optional.of(result.status()))).append("</td><td class=\"num\">").append(Html.duration(result.duration()))
                    .append("</td><td class=\"num\">").append(result.rowsAffected().isPresent() ? String.valueOf(result.rowsAffected().getAsLong()) : "—")
                    .append("</td><td>").append(esc(result.errorMessage().orElse(result.message()))).append("</td></tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    private static String sql(Node node) {
        if (node.rawSql().isBlank() && node.compiledSql().isBlank()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<section><h2>SQL</h2>");
        if (!node.rawSql().isBlank()) {
            html.append("<details open><summary>Source</summary><pre id=\"raw-sql\"><code>").append(esc(node.rawSql())).append("</code></pre></details>");
        }
        if (!node.compiledSql().isBlank()) {
            html.append("<details><summary>Compiled</summary><pre id=\"compiled-sql\"><code>").append(esc(node.compiledSql())).append("</code></pre></details>");
        }
        return html.append("</section>").toString();
    }

    /** A description's first line, and the rest (such as a docs block's table) folded away. */
    private static String describe(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        if (newline < 0) {
            return esc(stripped);
        }
        return esc(stripped.substring(0, newline)) + "<details class=\"more\"><summary>more</summary><pre>" + esc(stripped.substring(newline + 1).strip())
                + "</pre></details>";
    }

    /** The selector of a node and everything two edges around it. */
    static String neighbourhood(Node node) {
        String criterion = node.resourceType() == ResourceType.SOURCE ? "source:" + GraphPage.sourceName(node) : node.name();
        return "2+" + criterion + "+2";
    }
}
