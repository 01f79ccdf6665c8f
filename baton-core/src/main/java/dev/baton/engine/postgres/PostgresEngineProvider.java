package dev.baton.engine.postgres;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineProvider;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.EngineTarget;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * {@code type: postgres}: a PostgreSQL server, with dbt's keys ({@code host}, {@code port},
 * {@code user}, {@code password}, {@code dbname}, {@code schema}).
 */
public final class PostgresEngineProvider implements EngineProvider {
    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public String defaultSchema() {
        return "public";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("host", "port", "user", "password", "pass", "dbname", "database", "connect_timeout", "sslmode", "keepalives_idle",
                "retries", "search_path", "role", "application_name");
    }

    @Override
    public Engine open(EngineTarget target) {
        String host = target.setting("host").orElse("localhost");
        int port = port(target);
        String database = target.setting("dbname").or(() -> target.setting("database")).orElseThrow(() -> missing(target, "dbname", "dbname: analytics"));
        String user = target.setting("user").orElseThrow(() -> missing(target, "user", "user: analytics"));
        Properties properties = new Properties();
        properties.setProperty("user", user);
        target.setting("password").or(() -> target.setting("pass")).ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("connectTimeout", target.setting("connect_timeout").orElse("10"));
        properties.setProperty("ApplicationName", target.setting("application_name").orElse("baton"));
        target.setting("sslmode").ifPresent(mode -> properties.setProperty("sslmode", mode));
        target.setting("keepalives_idle").ifPresent(idle -> properties.setProperty("tcpKeepAlive", "true"));
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + database;
        String description = "target '" + target.name() + "' (postgres at " + host + ":" + port + ", database " + database + ", user " + user + ")";
        return PostgresEngine.open(url, properties, description, target.schema(), Optional.of(target.location()));
    }

    @Override
    public String describeVersion(EngineSession session) throws SQLException {
        return session.query("select version()", 1).rows().get(0).get(0);
    }

    private static int port(EngineTarget target) {
        String text = target.setting("port").orElse("5432");
        try {
            int port = Integer.parseInt(text.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "port of target '" + target.name() + "' must be a number from 1 to 65535, not '"
                + text + "'", target.location());
    }

    private static BatonException missing(EngineTarget target, String key, String example) {
        return new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "target '" + target.name() + "' of type postgres has no " + key + "; add '"
                + example + "'", target.location());
    }
}
