package dev.baton.server.ui;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.kpi.KpiTargets;
import dev.baton.operations.Operations;
import dev.baton.server.auth.Role;
import dev.baton.server.auth.Tokens;
import dev.baton.server.catalog.Catalog;
import dev.baton.server.run.RunQueue;
import dev.baton.state.StateStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The web UI: server-rendered pages over the loaded project and the state store, with htmx for
 * the parts that update in place. A browser signs in with an API token and gets a session cookie;
 * buttons a role may not use are not rendered, and the actions behind them check the role again.
 */
public final class WebUi {
    static final String HTMX_VERSION = "2.0.4";
    private static final Map<String, String> ASSETS = Map.of(
            "htmx.min.js", "META-INF/resources/webjars/htmx.org/" + HTMX_VERSION + "/dist/htmx.min.js",
            "baton.css", "ui/baton.css",
            "graph.js", "ui/graph.js");

    private final Sessions sessions = new Sessions();
    private final Tokens tokens;
    private final GraphPage graphPage;
    private final NodePage nodePage;
    private final RunPages runPages;
    private final SearchPage searchPage;
    private final IncidentsPage incidentsPage;
    private final KpiPage kpiPage;

    public WebUi(Supplier<Catalog> catalog, StateStore store, Tokens tokens, RunQueue queue, Path projectRoot) {
        this(catalog, store, tokens, queue, projectRoot, Optional.empty());
    }

    /**
     * @param operations the server's incidents, KPIs and jobs, for the incidents board, the KPI
     *     dashboard and the runs' job filter; without them those pages say the server does not track them
     * @throws BatonException when {@code kpi_targets:} of the project file is wrong (with its file and line)
     */
    public WebUi(Supplier<Catalog> catalog, StateStore store, Tokens tokens, RunQueue queue, Path projectRoot, Optional<Operations> operations) {
        requireNonNull(catalog, "catalog is null");
        requireNonNull(store, "store is null");
        requireNonNull(operations, "operations is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.graphPage = new GraphPage(catalog, store);
        this.nodePage = new NodePage(catalog, store);
        this.runPages = new RunPages(catalog, store, queue, projectRoot, operations);
        this.searchPage = new SearchPage(catalog);
        this.incidentsPage = new IncidentsPage(catalog, operations);
        this.kpiPage = new KpiPage(catalog, operations);
        KpiTargets.read(catalog.get().project());
    }

    /** Adds the UI's routes: pages at /, /graph, /nodes, /runs, /incidents, /kpis and /search, and its assets under /ui/assets. */
    public void register(RoutesConfig routes) {
        routes.get("/", context -> context.redirect("/graph"));
        routes.get("/sign-in", context -> html(context, 200, SignIn.page(context.queryParam("next"), Optional.empty())));
        routes.post("/sign-in", this::signIn);
        routes.post("/sign-out", context -> {
            sessions.close(context.cookie(Sessions.COOKIE));
            context.removeCookie(Sessions.COOKIE, "/");
            context.redirect("/sign-in");
        });
        routes.get("/ui/assets/{file}", this::asset);
        routes.get("/graph", page(Role.VIEWER, graphPage::render));
        routes.get("/nodes/{id}", page(Role.VIEWER, nodePage::render));
        routes.get("/runs", page(Role.VIEWER, runPages::list));
        routes.get("/runs/{id}", page(Role.VIEWER, runPages::show));
        routes.get("/runs/{id}/live", page(Role.VIEWER, runPages::live));
        routes.post("/runs", page(Role.OPERATOR, runPages::trigger));
        routes.post("/runs/{id}/cancel", page(Role.OPERATOR, runPages::cancel));
        routes.post("/runs/{id}/rerun", page(Role.OPERATOR, runPages::rerun));
        routes.get("/incidents", page(Role.VIEWER, incidentsPage::render));
        routes.post("/incidents/{id}/acknowledge", page(Role.OPERATOR, incidentsPage::acknowledge));
        routes.post("/incidents/{id}/resolve", page(Role.OPERATOR, incidentsPage::resolve));
        routes.get("/kpis", page(Role.VIEWER, kpiPage::render));
        routes.get("/search", page(Role.VIEWER, searchPage::render));
        routes.get("/search/suggest", page(Role.VIEWER, searchPage::suggest));
    }

    /** A page handler that knows who is signed in. */
    interface PageHandler {
        void handle(Context context, Session session) throws Exception;
    }

    private io.javalin.http.Handler page(Role required, PageHandler handler) {
        return context -> {
            Optional<Session> session = sessions.find(context.cookie(Sessions.COOKIE));
            if (session.isEmpty()) {
                if (context.method().name().equals("GET") && context.header("HX-Request") == null) {
                    String next = context.path() + (context.queryString() == null ? "" : "?" + context.queryString());
                    context.redirect("/sign-in?next=" + Html.url(next));
                } else {
                    html(context, 401, Layout.error(Optional.empty(), "Signed out", "Your session has ended; sign in again."));
                }
                return;
            }
            if (!session.get().role().allows(required)) {
                html(context, 403, Layout.error(session, "Not allowed", "This needs the " + required.label() + " role; you signed in as "
                        + session.get().role().label() + "."));
                return;
            }
            try {
                handler.handle(context, session.get());
            } catch (BatonException e) {
                int status = dev.baton.server.http.Problems.status(e.errorCode());
                html(context, status, Layout.error(session, "Error " + e.errorCode().label(), e.getMessage()));
            }
        };
    }

    private void signIn(Context context) {
        String token = Optional.ofNullable(context.formParam("token")).orElse("").strip();
        String next = context.formParam("next");
        Optional<Role> role = token.isEmpty() ? Optional.empty() : tokens.roleOf(token);
        if (role.isEmpty()) {
            html(context, 401, SignIn.page(next, Optional.of(token.isEmpty()
                    ? "Paste a token; create one with 'baton token create --role viewer'."
                    : "This token is not known to this server: it was deleted, or belongs to another project's state store.")));
            return;
        }
        Session session = sessions.open(role.get());
        Cookie cookie = new Cookie(Sessions.COOKIE, session.id());
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSameSite(SameSite.STRICT);
        cookie.setMaxAge((int) Sessions.LIFETIME.toSeconds());
        context.cookie(cookie);
        context.redirect(next != null && next.startsWith("/") && !next.startsWith("//") ? next : "/graph");
    }

    private void asset(Context context) throws IOException {
        String resource = ASSETS.get(context.pathParam("file"));
        if (resource == null) {
            context.status(404).result("no such asset");
            return;
        }
        try (InputStream in = WebUi.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                context.status(404).result("no such asset");
                return;
            }
            String type = resource.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
            context.header("Cache-Control", "max-age=3600").contentType(type).result(in.readAllBytes());
        }
    }

    static void html(Context context, int status, String body) {
        context.status(status).contentType("text/html; charset=utf-8").result(body);
    }
}
