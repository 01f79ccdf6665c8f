package dev.baton.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A new SQLite store starts as a copy of an empty, fully migrated one, kept per schema version in
 * the user's cache: Flyway then runs once per machine and version instead of once per project,
 * which takes a second off the first build of every new project. Any failure falls back to
 * migrating the new store itself.
 */
final class EmptyStoreTemplate {
    private EmptyStoreTemplate() {}

    /** Creates {@code file} from the template when possible; returns whether it did. */
    static boolean copyTo(Path file) {
        try {
            Path template = template();
            if (!Files.isRegularFile(template)) {
                create(template);
            }
            Path temporary = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".new");
            Files.copy(template, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | SQLException | RuntimeException e) {
            return false;
        }
    }

    private static Path template() {
        String version = dev.baton.artifact.Artifacts.batonVersion().replaceAll("[^A-Za-z0-9.]", "_");
        return SqliteNativeLibrary.cacheRoot().resolve("baton").resolve("state-template")
                .resolve("v" + StateSchema.LATEST_VERSION + "-" + version + ".db");
    }

    private static void create(Path template) throws IOException, SQLException {
        Files.createDirectories(template.getParent());
        Path temporary = template.resolveSibling(template.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(temporary);
        String url = StateDatabase.SQLITE.urlPrefix() + temporary;
        FlywayMigration.migrate(new StateStoreOpener.TargetDataSource(new StateStoreOpener.Target(StateDatabase.SQLITE, url, temporary.toString())));
        try (Connection connection = StateDatabase.SQLITE.connect(url)) {
            try (var statement = connection.createStatement()) {
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                statement.execute("PRAGMA journal_mode=DELETE");
            }
        }
        Files.move(temporary, template, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
