package dev.baton.engine.spark;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.EngineTarget;

/** Checks, before Spark starts, that the jars a target's table format or catalog needs are on the class path. */
final class SparkClassPath {
    private SparkClassPath() {}

    static void check(EngineTarget target, SparkSettings settings) {
        switch (settings.fileFormat()) {
            case "iceberg" -> require(target, "file_format iceberg", "org.apache.iceberg.spark.SparkSessionCatalog",
                    "the Iceberg Spark runtime (iceberg-spark-runtime-4.0_2.13-<version>.jar)", "file_format: parquet");
            case "delta" -> require(target, "file_format delta", "io.delta.sql.DeltaSparkSessionExtension",
                    "Delta Lake (delta-spark_2.13-<version>.jar and delta-storage-<version>.jar)", "file_format: parquet");
            default -> {
                // Parquet and ORC come with Spark SQL.
            }
        }
        if (settings.catalog().equals("hive")) {
            require(target, "catalog hive", "org.apache.spark.sql.hive.HiveSessionStateBuilder", "Spark's Hive support (spark-hive_2.13-<version>.jar"
                    + " and its dependencies)", "catalog: in-memory");
        }
    }

    private static void require(EngineTarget target, String what, String className, String jars, String instead) {
        try {
            Class.forName(className, false, SparkClassPath.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new BatonException(ErrorCode.TABLE_FORMAT_UNAVAILABLE, "target '" + target.name() + "' uses " + what + ", which needs " + jars
                    + " on the class path, and " + className + " is not there; add the jar to BATON_CLASSPATH, or use '" + instead + "'",
                    target.location());
        }
    }
}
