package dev.baton.engine.duckdb;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineProvider;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.EngineTarget;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Set;

/** {@code type: duckdb}: the embedded engine, on a database file under the project folder unless the path is absolute. */
public final class DuckDbEngineProvider implements EngineProvider {
    @Override
    public String type() {
        return "duckdb";
    }

    @Override
    public String defaultSchema() {
        return "main";
    }

    @Override
    public dev.baton.api.engine.EngineCapabilities capabilities() {
        return DuckDbEngine.CAPABILITIES;
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("path", "database", "settings", "extensions");
    }

    @Override
    public Engine open(EngineTarget target) {
        Path file = target.projectRoot().resolve(target.setting("path").orElse("target/" + target.name() + ".duckdb"));
        return DuckDbEngine.openFile(file, target.schema(), target.threads());
    }

    @Override
    public String describeVersion(EngineSession session) throws SQLException {
        return "duckdb " + session.query("select version()", 1).rows().get(0).get(0);
    }
}
