package dev.baton.server;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.artifact.Artifacts;
import dev.baton.server.auth.Role;
import dev.baton.server.auth.TokenRoutes;
import dev.baton.server.auth.Tokens;
import dev.baton.server.catalog.Catalog;
import dev.baton.server.catalog.CatalogRoutes;
import dev.baton.server.http.Access;
import dev.baton.server.http.Json;
import dev.baton.server.http.OpenApi;
import dev.baton.server.http.Problems;
import dev.baton.server.http.Route;
import dev.baton.server.metrics.RunMetrics;
import dev.baton.api.event.EventSink;
import dev.baton.operations.Operations;
import dev.baton.server.ops.OperationsRoutes;
import dev.baton.server.run.QueueJobExecutor;
import dev.baton.server.run.QueuedRun;
import dev.baton.server.run.RunExecutor;
import dev.baton.server.run.RunIo;
import dev.baton.server.run.RunQueue;
import dev.baton.server.run.RunRoutes;
import dev.baton.server.run.SerialRunQueue;
import dev.baton.state.RunLog;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code baton serve}: the REST API, metrics and the run queue of one project in one process.
 * While it runs it is the warehouse's one writer: the writing commands of the command line submit
 * their work to it (found through {@link DiscoveryFile}).
 */
public final class BatonServer implements AutoCloseable {
    /** How long a running run may take to stop after it is cancelled at shutdown. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
    private static final Duration HTTP_STOP_TIMEOUT = Duration.ofSeconds(2);

    private final ServerSettings settings;
    private final AtomicReference<Catalog> catalog;
    private final Tokens tokens;
    private final RunQueue queue;
    private final Optional<Operations> operations;
    private final RunMetrics metrics;
    private final List<Route> routes;
    private final Javalin app;
    private final String localToken = Tokens.newToken();
    private final AtomicBoolean closed = new AtomicBoolean();

    private BatonServer(ServerSettings settings) {
        this.settings = settings;
        this.catalog = new AtomicReference<>(new Catalog(settings.loader().get()));
        this.tokens = new Tokens(settings.store());
        this.tokens.acceptInMemory(localToken, Role.OPERATOR);
        AtomicReference<RunQueue> queueReference = new AtomicReference<>();
        this.metrics = new RunMetrics(() -> queueReference.get() == null ? 0 : queueReference.get().waiting());
        AtomicReference<Operations> operationsReference = new AtomicReference<>();
        RunExecutor executor = settings.operations().isEmpty() ? settings.executor()
                : withRunSinks(settings.executor(), operationsReference::get);
        this.queue = new SerialRunQueue(executor, metrics, run -> {
            saveLog(run);
            reload();
        });
        queueReference.set(queue);
        this.operations = settings.operations().map(factory -> factory.apply(new QueueJobExecutor(queueReference::get, settings.projectRoot()), queue));
        operations.ifPresent(operationsReference::set);
        operations.ifPresent(metrics::watch);
        this.routes = buildRoutes();
        this.app = Javalin.create(config -> {
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.startup.showJavalinBanner = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            // Runs are cancelled before the HTTP side stops; idle keep-alive connections must not hold the stop up.
            config.jetty.modifyServer(server -> server.setStopTimeout(HTTP_STOP_TIMEOUT.toMillis()));
            // A request refused before its handler reads the body (a wrong role, no token) would leave the body unread; the server
            // would then close the connection under a client that is still sending, and the client could lose the answer.
            config.routes.before(context -> {
                if (context.contentLength() > 0 || "chunked".equalsIgnoreCase(context.header("Transfer-Encoding"))) {
                    context.bodyAsBytes();
                }
            });
            for (Route route : routes) {
                switch (route.method()) {
                    case "GET":
                        config.routes.get(route.path(), Access.guard(route, tokens));
                        break;
                    case "POST":
                        config.routes.post(route.path(), Access.guard(route, tokens));
                        break;
                    case "DELETE":
                        config.routes.delete(route.path(), Access.guard(route, tokens));
                        break;
                    default:
                        throw new IllegalStateException("no such method: " + route.method());
                }
            }
            new dev.baton.server.ui.WebUi(catalog::get, settings.store(), tokens, queue, settings.projectRoot(), operations).register(config.routes);
            config.routes.exception(BatonException.class, (exception, context) -> Problems.write(context, exception));
            config.routes.exception(Exception.class, (exception, context) -> Problems.write(context, 500, ErrorCode.INTERNAL,
                    "internal error: " + exception.getClass().getSimpleName() + "; the server's log has the details"));
            config.routes.error(404, context -> {
                if (context.attribute(Problems.WRITTEN) == null) {
                    Problems.write(context, 404, ErrorCode.NOT_FOUND, "no route " + context.method() + " " + context.path()
                            + "; the routes are listed at /api/v1/openapi.json");
                }
            });
            config.routes.error(405, context -> Problems.write(context, 405, ErrorCode.MALFORMED_REQUEST,
                    "method " + context.method() + " is not allowed on " + context.path()));
        });
    }

    /**
     * Starts a server and writes the project's discovery file.
     *
     * @throws BatonException with {@code PORT_IN_USE} when the port is taken
     */
    public static BatonServer start(ServerSettings settings) {
        BatonServer server = new BatonServer(settings);
        try {
            server.startHttp();
        } catch (RuntimeException e) {
            server.operations.ifPresent(Operations::close);
            server.queue.shutdown(Duration.ZERO);
            throw e;
        }
        server.operations.ifPresent(Operations::start);
        return server;
    }

    private void startHttp() {
        BatonServer server = this;
        try {
            server.app.start();
        } catch (JavalinBindException e) {
            throw new BatonException(ErrorCode.PORT_IN_USE, "port " + settings.port() + " on " + settings.host()
                    + " is in use by another process; stop it, or choose another port with --port N (--port 0 picks a free one)");
        } catch (RuntimeException e) {
            if (e.getCause() instanceof java.net.BindException) {
                throw new BatonException(ErrorCode.PORT_IN_USE, "port " + settings.port() + " on " + settings.host()
                        + " is in use by another process; stop it, or choose another port with --port N (--port 0 picks a free one)");
            }
            throw e;
        }
        try {
            DiscoveryFile.write(settings.projectRoot(), server.endpoint());
        } catch (IOException e) {
            server.app.stop();
            throw new BatonException(ErrorCode.STATE_STORE_FAILED, "cannot write " + settings.projectRoot().resolve(DiscoveryFile.PATH) + ": "
                    + e.getMessage() + "; check that the project folder is writable");
        }
    }

    /** Gives every run the operations' event sinks (incidents, OpenLineage) besides the server's own. */
    private static RunExecutor withRunSinks(RunExecutor executor, Supplier<Operations> operations) {
        return (request, io) -> {
            Operations current = operations.get();
            List<EventSink> sinks = current == null ? List.of() : current.runSinks();
            EventSink all = event -> {
                io.events().accept(event);
                for (EventSink sink : sinks) {
                    sink.accept(event);
                }
            };
            try {
                return executor.execute(request, new RunIo() {
                    @Override
                    public PrintStream out() {
                        return io.out();
                    }

                    @Override
                    public PrintStream err() {
                        return io.err();
                    }

                    @Override
                    public EventSink events() {
                        return all;
                    }

                    @Override
                    public void onCancel(Runnable cancel) {
                        io.onCancel(cancel);
                    }
                });
            } finally {
                sinks.forEach(EventSink::close);
            }
        };
    }

    public int port() {
        return app.port();
    }

    public DiscoveryFile.Endpoint endpoint() {
        return new DiscoveryFile.Endpoint(settings.host(), port(), ProcessHandle.current().pid(), localToken);
    }

    /** Every route, as the OpenAPI description lists them. */
    public List<Route> routes() {
        return routes;
    }

    private List<Route> buildRoutes() {
        List<Route> all = new ArrayList<>();
        all.add(Route.open("/health", context -> Json.write(context, 200, Map.of("status", "ok", "project", catalog.get().project().name())))
                .doc("Whether the server is up; needs no token"));
        all.add(Route.get("/metrics", Role.VIEWER, context -> context.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()))
                .doc("Prometheus metrics: runs by status, node durations, check failures, freshness lag and open incidents by tier"));
        all.add(Route.get("/api/v1/openapi.json", Role.VIEWER, context -> Json.write(context, 200, OpenApi.describe(routes, Artifacts.batonVersion())))
                .doc("This description"));
        all.addAll(new CatalogRoutes(catalog::get, settings.store()).routes());
        all.addAll(new RunRoutes(settings.store(), queue, settings.projectRoot()).routes());
        all.addAll(new TokenRoutes(settings.store(), tokens).routes());
        operations.ifPresent(current -> all.addAll(new OperationsRoutes(current).routes()));
        return List.copyOf(all);
    }

    /** The project's scheduler, incidents and KPIs, when the server was started with them. */
    public Optional<Operations> operations() {
        return operations;
    }

    public RunQueue queue() {
        return queue;
    }

    /** Keeps what the run printed in the state store, for GET /api/v1/runs/{id}/logs after a restart. */
    private void saveLog(QueuedRun run) {
        try {
            List<RunLog.Chunk> chunks = new ArrayList<>();
            for (QueuedRun.Chunk chunk : run.output(0, 0)) {
                chunks.add(new RunLog.Chunk(chunk.stream(), chunk.text()));
            }
            settings.store().saveRunLog(new RunLog(run.id(), chunks));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (BatonException e) {
            // The output stays in memory while the server runs.
        }
    }

        /** Loads the project again, so that the API shows what the last run built; a project that no longer loads keeps the last good one. */
    private void reload() {
        try {
            catalog.set(new Catalog(settings.loader().get()));
        } catch (BatonException e) {
            // The next run reports the project's error to whoever started it.
        }
    }

    /** Stops taking requests and runs, cancels what waits or runs (it is recorded as cancelled), and removes the discovery file. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        DiscoveryFile.delete(settings.projectRoot());
        // The scheduler first: it cancels its running jobs through the queue, which still runs to record them.
        operations.ifPresent(Operations::close);
        queue.shutdown(SHUTDOWN_GRACE);
        app.stop();
    }
}
