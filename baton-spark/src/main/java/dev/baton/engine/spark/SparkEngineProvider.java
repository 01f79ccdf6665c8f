package dev.baton.engine.spark;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineProvider;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.EngineTarget;
import java.util.Set;

/**
 * {@code type: spark}: Apache Spark SQL, local ({@code master: local[*]}) or on a cluster. One
 * Spark session is started when the target is opened and shared by every node of the run.
 */
public final class SparkEngineProvider implements EngineProvider {
    @Override
    public String type() {
        return "spark";
    }

    @Override
    public String defaultSchema() {
        return "default";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("master", "warehouse", "catalog", "file_format", "spark_conf");
    }

    @Override
    public Engine open(EngineTarget target) {
        return SparkEngine.start(target, SparkSettings.of(target));
    }

    @Override
    public String describeVersion(EngineSession session) throws java.sql.SQLException {
        return "Spark " + session.query("select version()", 1).rows().get(0).get(0);
    }
}
