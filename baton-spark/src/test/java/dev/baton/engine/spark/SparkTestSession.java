package dev.baton.engine.spark;

import dev.baton.api.SourceLocation;
import dev.baton.api.engine.EngineTarget;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The one Spark session a test class starts (local[2]) and stops, as Baton would start it for a target. */
final class SparkTestSession {
    private SparkTestSession() {}

    static SparkSession start(Path warehouse) {
        EngineTarget target = new EngineTarget("spark", "spark", "analytics", 2, Map.of("master", "local[2]", "warehouse", warehouse.toString()),
                warehouse, SourceLocation.of("baton.yml", 1));
        SparkSession.Builder builder = SparkSession.builder().master("local[2]");
        SparkEngine.sessionConf(SparkSettings.of(target)).forEach(builder::config);
        return builder.getOrCreate();
    }
}
