package dev.baton.server.ui;

import static dev.baton.server.ui.Html.esc;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.incident.Incident;
import dev.baton.incident.IncidentService;
import dev.baton.incident.IncidentStatus;
import dev.baton.incident.ResolutionReason;
import dev.baton.operations.Operations;
import dev.baton.project.Node;
import dev.baton.project.ResourceType;
import dev.baton.server.catalog.Catalog;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The incidents board: open incidents by tier, oldest first, with acknowledge and resolve for
 * operators; resolved ones below with their times to acknowledge and resolve.
 */
final class IncidentsPage {
    private static final int OPEN_SHOWN = 500;
    private static final int RESOLVED_SHOWN = 50;
    /** Who acts from the UI: sessions know a role, not a person. */
    static final String ACTOR = "web UI";

    private final Supplier<Catalog> catalog;
    private final Optional<Operations> operations;

    IncidentsPage(Supplier<Catalog> catalog, Optional<Operations> operations) {
        this.catalog = catalog;
        this.operations = operations;
    }

    void render(Context context, Session session) {
        WebUi.html(context, 200, Layout.page(session, "/incidents", "Incidents", "<h1>Incidents</h1><div id=\"board\">" + board(session, Optional.empty()) + "</div>"));
    }

    void acknowledge(Context context, Session session) {
        act(context, session, () -> service().acknowledge(context.pathParam("id"), ACTOR));
    }

    void resolve(Context context, Session session) {
        act(context, session, () -> {
            String reason = Optional.ofNullable(context.formParam("reason")).orElse("");
            if (reason.isBlank()) {
                throw new BatonException(ErrorCode.INVALID_ARGUMENT, "choose why the incident is resolved: fixed, upstream_issue, false_positive, expected_change or other");
            }
            return service().resolve(context.pathParam("id"), ACTOR, ResolutionReason.parse(reason), context.formParam("note"));
        });
    }

    /** Runs an action; htmx gets the board back (with the problem, if any), a plain form post a redirect or an error page. */
    private void act(Context context, Session session, Supplier<Incident> action) {
        boolean htmx = context.header("HX-Request") != null;
        try {
            action.get();
        } catch (BatonException e) {
            if (!htmx) {
                throw e;
            }
            WebUi.html(context, 200, board(session, Optional.of(e.getMessage())));
            return;
        }
        if (htmx) {
            WebUi.html(context, 200, board(session, Optional.empty()));
        } else {
            context.redirect("/incidents", io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    private IncidentService service() {
        return operations.orElseThrow(() -> new BatonException(ErrorCode.NOT_FOUND, "this server does not track incidents")).incidents();
    }

    private String board(Session session, Optional<String> problem) {
        if (operations.isEmpty()) {
            return "<p class=\"empty\">This server does not track incidents: it was started without the scheduler and monitors.</p>";
        }
        IncidentService incidents = operations.get().incidents();
        StringBuilder html = new StringBuilder();
        problem.ifPresent(text -> html.append("<p class=\"problem\" id=\"board-problem\">").append(esc(text)).append("</p>"));
        List<Incident> open = new ArrayList<>(incidents.list(Optional.of(IncidentStatus.NEW), Optional.empty(), OPEN_SHOWN, 0));
        open.addAll(incidents.list(Optional.of(IncidentStatus.ACKNOWLEDGED), Optional.empty(), OPEN_SHOWN, 0));
        Instant now = Instant.now();
        html.append("<p class=\"summary\" id=\"open-count\">").append(open.size()).append(open.size() == 1 ? " open incident" : " open incidents")
                .append(session.mayOperate() ? "" : " · sign in as an operator to acknowledge or resolve").append("</p>");
        TreeMap<Integer, List<Incident>> byTier = new TreeMap<>();
        for (Incident incident : open) {
            byTier.computeIfAbsent(incident.tier().orElse(Integer.MAX_VALUE), key -> new ArrayList<>()).add(incident);
        }
        if (open.isEmpty()) {
            html.append("<p class=\"empty\">Nothing is open.</p>");
        }
        Catalog current = catalog.get();
        for (var entry : byTier.entrySet()) {
            List<Incident> group = entry.getValue();
            group.sort(Comparator.comparing(Incident::openedAt));
            boolean tiered = entry.getKey() != Integer.MAX_VALUE;
            html.append("<section class=\"tier-group\" data-tier=\"").append(tiered ? entry.getKey().toString() : "none").append("\"><h2>")
                    .append(tiered ? Html.tier(Optional.of(entry.getKey())) + " Tier " + entry.getKey() : "No tier").append(" <span class=\"muted small\">")
                    .append(group.size()).append(" open, oldest first</span></h2>");
            html.append("<table class=\"incidents\"><thead><tr><th>Status</th><th>Asset</th><th>Cause</th><th>What happened</th><th>Opened</th>")
                    .append("<th>Age</th><th>Owner</th><th>Runbook</th>").append(session.mayOperate() ? "<th>Actions</th>" : "").append("</tr></thead><tbody>");
            for (Incident incident : group) {
                openRow(html, current, incident, now, session);
            }
            html.append("</tbody></table></section>");
        }
        html.append(resolved(current, incidents.list(Optional.of(IncidentStatus.RESOLVED), Optional.empty(), RESOLVED_SHOWN, 0)));
        return html.toString();
    }

    private static void openRow(StringBuilder html, Catalog catalog, Incident incident, Instant now, Session session) {
        String id = esc(Html.url(incident.id()));
        html.append("<tr class=\"incident\" data-incident-id=\"").append(esc(incident.id())).append("\" data-status=\"").append(incident.status().label())
                .append("\"><td>").append(status(incident.status())).append("</td><td>").append(asset(catalog, incident.asset())).append("</td><td>")
                .append(esc(incident.cause().label().replace('_', ' '))).append(incident.occurrences() > 1 ? " <span class=\"muted small\">×" + incident.occurrences() + "</span>" : "")
                .append("</td><td class=\"summary-cell\">").append(esc(summary(incident.summary()))).append("</td><td>")
                .append(Html.time(incident.openedAt())).append("</td><td class=\"num age\">").append(age(Duration.between(incident.openedAt(), now)))
                .append("</td><td>").append(esc(incident.owner().orElse("—"))).append("</td><td>").append(runbook(incident)).append("</td>");
        if (session.mayOperate()) {
            html.append("<td class=\"incident-actions\">");
            if (incident.status() == IncidentStatus.NEW) {
                html.append("<form method=\"post\" action=\"/incidents/").append(id).append("/acknowledge\" hx-post=\"/incidents/").append(id)
                        .append("/acknowledge\" hx-target=\"#board\"><button class=\"operator acknowledge\" type=\"submit\">Acknowledge</button></form>");
            }
            html.append("<details class=\"resolve\"><summary class=\"button secondary operator\">Resolve…</summary><form class=\"resolve-form\" method=\"post\" action=\"/incidents/")
                    .append(id).append("/resolve\" hx-post=\"/incidents/").append(id).append("/resolve\" hx-target=\"#board\">")
                    .append("<label>Reason <select name=\"reason\" required><option value=\"\">choose…</option>");
            for (ResolutionReason reason : ResolutionReason.values()) {
                html.append("<option value=\"").append(reason.label()).append("\">").append(reason.label().replace('_', ' ')).append("</option>");
            }
            html.append("</select></label><label>Note <textarea name=\"note\" rows=\"2\" required placeholder=\"What was done or found\"></textarea></label>")
                    .append("<button class=\"operator resolve-button\" type=\"submit\">Resolve</button></form></details></td>");
        }
        html.append("</tr>");
    }

    private static String resolved(Catalog catalog, List<Incident> resolved) {
        StringBuilder html = new StringBuilder("<section id=\"resolved\"><h2>Recently resolved</h2>");
        if (resolved.isEmpty()) {
            return html.append("<p class=\"empty\">None yet.</p></section>").toString();
        }
        html.append("<table class=\"incidents\"><thead><tr><th>Status</th><th>Tier</th><th>Asset</th><th>Cause</th><th>Opened</th><th>Time to acknowledge</th>")
                .append("<th>Time to resolve</th><th>Reason</th><th>Note</th><th>By</th></tr></thead><tbody>");
        for (Incident incident : resolved) {
            html.append("<tr class=\"resolved-incident\" data-incident-id=\"").append(esc(incident.id())).append("\"><td>").append(status(incident.status()))
                    .append("</td><td>").append(Html.tier(incident.tier())).append("</td><td>").append(asset(catalog, incident.asset())).append("</td><td>")
                    .append(esc(incident.cause().label().replace('_', ' '))).append("</td><td>").append(Html.time(incident.openedAt()))
                    .append("</td><td class=\"num tta\">").append(incident.timeToAcknowledge().map(IncidentsPage::age).orElse("not acknowledged"))
                    .append("</td><td class=\"num ttr\">").append(incident.timeToResolve().map(IncidentsPage::age).orElse("—")).append("</td><td class=\"reason\">")
                    .append(esc(incident.resolutionReason().map(reason -> reason.label().replace('_', ' ')).orElse("—"))).append("</td><td class=\"note\">")
                    .append(esc(incident.resolutionNote().orElse(""))).append("</td><td>").append(esc(incident.resolvedBy().orElse(""))).append("</td></tr>");
        }
        return html.append("</tbody></table></section>").toString();
    }

    /** An incident's status as colour, icon and word. */
    static String status(IncidentStatus status) {
        String css;
        String icon;
        switch (status) {
            case NEW:
                css = "bad";
                icon = "✗";
                break;
            case ACKNOWLEDGED:
                css = "warn";
                icon = "◔";
                break;
            default:
                css = "ok";
                icon = "✓";
        }
        return "<span class=\"status status-" + css + "\" data-status=\"" + status.label() + "\">" + icon + " " + status.label() + "</span>";
    }

    /** The asset's page: a model, seed or source's own; a check's the one of what it checks. */
    private static String asset(Catalog catalog, String asset) {
        Node node = catalog.project().nodes().get(asset);
        if (node == null) {
            return "<code>" + esc(asset) + "</code>";
        }
        String page = node.resourceType() == ResourceType.TEST ? node.attachedNode().orElse(null) : asset;
        String label = node.resourceType() == ResourceType.SOURCE ? GraphPage.sourceName(node) : node.name();
        if (node.resourceType() == ResourceType.TEST && page != null && catalog.project().nodes().containsKey(page)) {
            Node model = catalog.project().nodes().get(page);
            label = node.testMetadata().orElse(node.name()) + " on " + model.name() + node.columnName().map(column -> "." + column).orElse("");
        }
        if (page == null || !catalog.project().nodes().containsKey(page)) {
            return esc(label) + " <span class=\"muted small\">" + esc(node.resourceType().label()) + "</span>";
        }
        return "<a class=\"asset\" href=\"/nodes/" + esc(Html.url(page)) + "\">" + esc(label) + "</a> <span class=\"muted small\">" + esc(node.resourceType().label())
                + "</span>";
    }

    /**
     * What happened, without the failing-row sample a check's summary carries: the node page shows
     * samples, masked for viewers.
     */
    static String summary(String text) {
        String shown = text.strip();
        int sample = shown.indexOf("failing rows (first ");
        if (sample >= 0) {
            shown = shown.substring(0, sample).strip();
        }
        int newline = shown.indexOf('\n');
        if (newline >= 0) {
            shown = shown.substring(0, newline);
        }
        return GraphPage.shorten(shown, 240) + (sample >= 0 ? " (failing rows on the model's page)" : "");
    }

    private static String runbook(Incident incident) {
        if (incident.runbook().isEmpty()) {
            return "<span class=\"muted\">—</span>";
        }
        String link = incident.runbook().get();
        return link.startsWith("https://") || link.startsWith("http://")
                ? "<a class=\"runbook\" href=\"" + esc(link) + "\" rel=\"noopener\">runbook</a>" : esc(link);
    }

    /** A duration for people: 45 s, 12 min, 3 h 5 min, 2 d 4 h. */
    static String age(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
        }
        return seconds / 86_400 + " d" + (seconds % 86_400 / 3600 == 0 ? "" : " " + seconds % 86_400 / 3600 + " h");
    }
}
