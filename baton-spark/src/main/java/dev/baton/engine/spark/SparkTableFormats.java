package dev.baton.engine.spark;

import java.util.Map;

/** The Spark settings of each table format Baton writes. */
final class SparkTableFormats {
    private SparkTableFormats() {}

    /** The data source name tables are created with. */
    static String source(String fileFormat) {
        return fileFormat;
    }

    /** Extensions and catalog of the transactional formats; nothing for plain files. */
    static Map<String, String> conf(String fileFormat) {
        switch (fileFormat) {
            case "iceberg":
                return Map.of("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
                        "spark.sql.catalog.spark_catalog", "org.apache.iceberg.spark.SparkSessionCatalog",
                        "spark.sql.catalog.spark_catalog.type", "hadoop");
            case "delta":
                return Map.of("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
                        "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
            default:
                return Map.of();
        }
    }
}
