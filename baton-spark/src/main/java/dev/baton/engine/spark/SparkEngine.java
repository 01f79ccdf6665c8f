package dev.baton.engine.spark;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineCapabilities;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.EngineTarget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;

/**
 * Apache Spark SQL. One Spark session is started per run; every Baton session is a light
 * {@code newSession()} of it, with its own current schema and SQL settings, sharing the catalog
 * and the executors. Spark has no transactions: see {@link SparkEngineSession#executeAtomically}.
 */
final class SparkEngine implements Engine {
    private static final int CONNECT_TIMEOUT_MILLIS = 3000;

    private final SparkSession spark;
    private final boolean ownsSpark;
    private final String defaultSchema;
    private final String fileFormat;
    private final String description;
    private final EngineCapabilities capabilities;
    private final Set<SparkEngineSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SparkCancellations cancellations;
    private final Optional<java.nio.file.Path> catalogFiles;

    private SparkEngine(SparkSession spark, boolean ownsSpark, String defaultSchema, String fileFormat, String description,
            Optional<java.nio.file.Path> catalogFiles) {
        this.catalogFiles = catalogFiles;
        this.spark = requireNonNull(spark, "spark is null");
        this.ownsSpark = ownsSpark;
        this.defaultSchema = requireNonNull(defaultSchema, "defaultSchema is null");
        this.fileFormat = requireNonNull(fileFormat, "fileFormat is null");
        this.description = requireNonNull(description, "description is null");
        this.capabilities = capabilities(fileFormat);
        this.cancellations = new SparkCancellations(spark.sparkContext());
        spark.sparkContext().addSparkListener(cancellations);
    }

    /** What Spark can do with tables of the format: transactional formats merge and replace in one statement. */
    static EngineCapabilities capabilities(String fileFormat) {
        EngineCapabilities.Builder builder = EngineCapabilities.builder().replaceViewChangingColumns().schemas().tableComments().cancelStatements();
        if (fileFormat.equals("iceberg") || fileFormat.equals("delta")) {
            builder.merge().createOrReplaceTable().updateDelete();
        }
        return builder.build();
    }

    /**
     * Checks the target, starts its Spark session and creates the default schema.
     *
     * @throws BatonException {@code TABLE_FORMAT_UNAVAILABLE} when the format's jars are missing,
     *     {@code ENGINE_UNREACHABLE} when a cluster master does not answer, {@code ENGINE_START_FAILED} when Spark fails to start
     */
    static SparkEngine start(EngineTarget target, SparkSettings settings) {
        String description = "target '" + target.name() + "' (spark, master " + settings.master() + ")";
        SparkClassPath.check(target, settings);
        settings.reachableAddress().ifPresent(address -> checkReachable(target, settings, address));
        SparkSession spark;
        // A JVM that already runs a Spark session (a driver started by spark-submit, a notebook, a test) is built on with
        // that session, which is left running at the end of the run; its master and static settings are the ones it has.
        boolean running = SparkSession.getDefaultSession().isDefined() && !SparkSession.getDefaultSession().get().sparkContext().isStopped();
        try {
            SparkSession.Builder builder = SparkSession.builder().master(settings.master());
            sessionConf(settings).forEach(builder::config);
            spark = builder.getOrCreate();
        } catch (Exception e) {
            throw new BatonException(ErrorCode.ENGINE_START_FAILED, "could not start Spark for " + description + ": " + SparkErrors.firstLine(e)
                    + "; check master and spark_conf of the target", Optional.of(target.location()), e);
        }
        Optional<java.nio.file.Path> catalogFiles = settings.catalog().equals("in-memory") && SparkTableFormats.conf(settings.fileFormat()).isEmpty()
                ? Optional.of(settings.warehouse()) : Optional.empty();
        try {
            if (catalogFiles.isPresent()) {
                SparkCatalogFiles.restore(spark, catalogFiles.get());
            }
        } catch (Exception e) {
            if (!running) {
                spark.stop();
            }
            throw new BatonException(ErrorCode.ENGINE_START_FAILED, "could not read the Spark warehouse " + settings.warehouse() + " of "
                    + description + ": " + SparkErrors.firstLine(e), Optional.of(target.location()), e);
        }
        SparkEngine engine = new SparkEngine(spark, !running, target.schema(), settings.fileFormat(), description, catalogFiles);
        engine.createDefaultSchema(Optional.of(target));
        return engine;
    }

    /** An engine on a Spark session someone else started and stops (tests share one per class). */
    static SparkEngine onSession(SparkSession spark, String defaultSchema, String fileFormat) {
        SparkEngine engine = new SparkEngine(spark, false, defaultSchema, fileFormat, "spark session " + spark.sparkContext().applicationId(),
                Optional.empty());
        engine.createDefaultSchema(Optional.empty());
        return engine;
    }

    /** The Spark settings Baton starts a session with; the target's {@code spark_conf} comes last and wins. */
    static Map<String, String> sessionConf(SparkSettings settings) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.app.name", "baton");
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.ui.showConsoleProgress", "false");
        conf.put("spark.sql.warehouse.dir", settings.warehouse().toUri().toString());
        conf.put("spark.sql.catalogImplementation", settings.catalog());
        if (settings.local()) {
            conf.put("spark.driver.host", "127.0.0.1");
            conf.put("spark.driver.bindAddress", "127.0.0.1");
            conf.put("spark.sql.shuffle.partitions", "4");
        }
        conf.putAll(SparkTableFormats.conf(settings.fileFormat()));
        conf.putAll(sqlConf(settings.fileFormat()));
        conf.putAll(settings.conf());
        return conf;
    }

    /**
     * The SQL settings every Baton session has: ANSI SQL with double-quoted identifiers (as DuckDB
     * and PostgreSQL quote), timestamps without time zone, and the table format.
     */
    static Map<String, String> sqlConf(String fileFormat) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.sql.ansi.enabled", "true");
        conf.put("spark.sql.ansi.doubleQuotedIdentifiers", "true");
        conf.put("spark.sql.timestampType", "TIMESTAMP_NTZ");
        conf.put("spark.sql.sources.default", SparkTableFormats.source(fileFormat));
        return conf;
    }

    private static void checkReachable(EngineTarget target, SparkSettings settings, URI address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            throw new BatonException(ErrorCode.ENGINE_UNREACHABLE, "could not reach the Spark master of target '" + target.name() + "' at "
                    + settings.master() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "; check master of the target and that the master is running and accepts connections from this machine",
                    Optional.of(target.location()), e);
        }
    }

    private void createDefaultSchema(Optional<EngineTarget> target) {
        try {
            spark.sql("create database if not exists " + quoteIdentifier(defaultSchema));
        } catch (Exception e) {
            throw new BatonException(ErrorCode.CONNECTION_FAILED, "could not create the schema " + defaultSchema + " of " + description + ": "
                    + SparkErrors.firstLine(e), target.map(EngineTarget::location), e);
        }
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public EngineCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public EngineSession openSession() {
        if (closed.get()) {
            throw new IllegalStateException(description + " is closed");
        }
        SparkSession child = spark.newSession();
        sqlConf(fileFormat).forEach((key, value) -> child.conf().set(key, value));
        SparkEngineSession session = new SparkEngineSession(child, fileFormat, cancellations, sessions::remove);
        session.use(defaultSchema);
        sessions.add(session);
        return session;
    }

    @Override
    public String quote(String identifier) {
        return quoteIdentifier(identifier);
    }

    static String quoteIdentifier(String identifier) {
        requireNonNull(identifier, "identifier is null");
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String quoteLiteral(String value) {
        requireNonNull(value, "value is null");
        return '\'' + value.replace("\\", "\\\\").replace("'", "\\'") + '\'';
    }

    @Override
    public String defaultSchema() {
        return defaultSchema;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (SparkEngineSession session : List.copyOf(sessions)) {
            session.close();
        }
        spark.sparkContext().removeSparkListener(cancellations);
        if (catalogFiles.isPresent()) {
            try {
                SparkCatalogFiles.saveViews(spark, catalogFiles.get());
            } catch (Exception e) {
                // The tables are kept in any case; views missing next time are created again by the build.
            }
        }
        if (ownsSpark) {
            spark.stop();
        }
    }

    @Override
    public String toString() {
        return "SparkEngine[" + description + "]";
    }
}
