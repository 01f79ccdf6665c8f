package dev.baton.engine.spark;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.EngineTarget;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of a {@code type: spark} target, checked once.
 *
 * @param master the Spark master URL: {@code local[*]}, {@code spark://host:7077}, {@code yarn}, {@code k8s://https://host:443}
 * @param warehouse where managed tables are written ({@code spark.sql.warehouse.dir})
 * @param catalog {@code in-memory} (the default) or {@code hive} (a Hive metastore; needs spark-hive on the class path)
 * @param fileFormat the table format tables are written in: parquet, orc, iceberg or delta
 * @param conf further Spark settings, applied last
 */
record SparkSettings(String master, Path warehouse, String catalog, String fileFormat, Map<String, String> conf) {
    static final List<String> FILE_FORMATS = List.of("parquet", "orc", "iceberg", "delta");
    static final List<String> CATALOGS = List.of("in-memory", "hive");

    SparkSettings {
        requireNonNull(master, "master is null");
        requireNonNull(warehouse, "warehouse is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(fileFormat, "fileFormat is null");
        conf = Map.copyOf(conf);
    }

    static SparkSettings of(EngineTarget target) {
        String master = target.setting("master").orElse("local[*]").strip();
        Path warehouse = target.setting("warehouse").map(Path::of).map(path -> path.isAbsolute() ? path : target.projectRoot().resolve(path))
                .orElse(target.projectRoot().resolve("target").resolve("spark-warehouse")).toAbsolutePath().normalize();
        String catalog = oneOf(target, "catalog", target.setting("catalog").orElse("in-memory"), CATALOGS);
        String fileFormat = oneOf(target, "file_format", target.setting("file_format").orElse("parquet"), FILE_FORMATS);
        return new SparkSettings(master, warehouse, catalog, fileFormat, conf(target));
    }

    private static String oneOf(EngineTarget target, String key, String value, List<String> allowed) {
        String normalized = value.strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(normalized)) {
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, key + " of target '" + target.name() + "' is '" + value + "'; use one of "
                    + String.join(", ", allowed), target.location());
        }
        return normalized;
    }

    private static Map<String, String> conf(EngineTarget target) {
        Object value = target.settings().get("spark_conf");
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "spark_conf of target '" + target.name() + "' must be a map of Spark settings,"
                    + " such as 'spark_conf: {spark.executor.memory: 4g}'", target.location());
        }
        Map<String, String> conf = new LinkedHashMap<>();
        map.forEach((key, setting) -> conf.put(String.valueOf(key), String.valueOf(setting)));
        return conf;
    }

    boolean local() {
        return master.startsWith("local");
    }

    /** The host and port of a {@code spark://} or {@code k8s://} master, which can be checked before Spark starts. */
    Optional<URI> reachableAddress() {
        try {
            if (master.startsWith("spark://")) {
                URI uri = URI.create(master.split(",")[0]);
                return uri.getHost() == null ? Optional.empty() : Optional.of(uri);
            }
            if (master.startsWith("k8s://")) {
                URI uri = URI.create(master.substring("k8s://".length()));
                if (uri.getHost() == null) {
                    return Optional.empty();
                }
                int port = uri.getPort() > 0 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443;
                return Optional.of(URI.create("tcp://" + uri.getHost() + ":" + port));
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
