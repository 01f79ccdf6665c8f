package dev.baton.state;

import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Brings a new or older store's schema up to date. Kept apart so that Flyway loads only when needed. */
final class FlywayMigration {
    /**
     * Flyway reports every step at INFO; when it logs through java.util.logging (no SLF4J
     * provider on the class path) only its warnings reach the user. Held here because
     * java.util.logging keeps loggers weakly.
     */
    private static final Logger FLYWAY_LOGGER = Logger.getLogger("org.flywaydb");

    private FlywayMigration() {}

    static void migrate(DataSource dataSource) {
        if (FLYWAY_LOGGER.getLevel() == null) {
            FLYWAY_LOGGER.setLevel(Level.WARNING);
        }
        Flyway.configure(FlywayMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:" + StateSchema.MIGRATIONS)
                .table(StateSchema.HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
