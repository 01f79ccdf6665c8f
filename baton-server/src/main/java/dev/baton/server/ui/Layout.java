package dev.baton.server.ui;

import static dev.baton.server.ui.Html.esc;

import java.util.Optional;

/** The frame of every page: header with navigation, search and who is signed in. */
final class Layout {
    private Layout() {}

    static String page(Session session, String active, String title, String body) {
        return page(Optional.of(session), active, title, body);
    }

    static String page(Optional<Session> session, String active, String title, String body) {
        StringBuilder html = new StringBuilder(body.length() + 2048);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" · Baton</title>")
                .append("<link rel=\"stylesheet\" href=\"/ui/assets/baton.css\">")
                .append("<script src=\"/ui/assets/htmx.min.js\"></script></head><body>");
        html.append("<header class=\"top\"><a class=\"brand\" href=\"/graph\">Baton</a>");
        if (session.isPresent()) {
            html.append("<nav>").append(link("/graph", "Lineage", active)).append(link("/runs", "Runs", active))
                    .append(link("/incidents", "Incidents", active)).append(link("/kpis", "KPIs", active)).append("</nav>");
            html.append("<form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">")
                    .append("<input id=\"search-box\" type=\"search\" name=\"q\" placeholder=\"Search models, columns, tags, owners\" autocomplete=\"off\"")
                    .append(" hx-get=\"/search/suggest\" hx-trigger=\"input changed delay:250ms\" hx-target=\"#search-suggest\">")
                    .append("<div id=\"search-suggest\" class=\"suggest\"></div></form>");
            html.append("<div class=\"who\"><span class=\"role\" id=\"role\">").append(esc(session.get().role().label())).append("</span>")
                    .append("<form method=\"post\" action=\"/sign-out\"><button class=\"link\" type=\"submit\">Sign out</button></form></div>");
        }
        html.append("</header><main>").append(body).append("</main></body></html>");
        return html.toString();
    }

    static String error(Optional<Session> session, String title, String message) {
        return page(session, "", title, "<h1>" + esc(title) + "</h1><p class=\"problem\" id=\"problem\">" + esc(message) + "</p>");
    }

    private static String link(String href, String label, String active) {
        return "<a href=\"" + href + "\"" + (href.equals(active) ? " class=\"active\" aria-current=\"page\"" : "") + ">" + label + "</a>";
    }
}
