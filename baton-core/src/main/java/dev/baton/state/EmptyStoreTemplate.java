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

    /**
     * Named by the schema version and a hash of the migration scripts themselves, so that two
     * builds of Baton with the same version number but different migrations (a development build,
     * a branch) never share a template.
     */
    private static Path template() throws IOException {
        return SqliteNativeLibrary.cacheRoot().resolve("baton").resolve("state-template")
                .resolve("v" + StateSchema.LATEST_VERSION + "-" + migrationsHash() + ".db");
    }

    private static String migrationsHash() throws IOException {
        java.net.URL first = EmptyStoreTemplate.class.getClassLoader().getResource(StateSchema.MIGRATIONS + "/V1__runs.sql");
        if (first == null) {
            throw new IOException("no migrations on the class path");
        }
        java.util.SortedMap<String, byte[]> scripts = new java.util.TreeMap<>();
        try {
            java.net.URI uri = first.toURI();
            if (uri.getScheme().equals("jar")) {
                String jar = uri.getSchemeSpecificPart();
                try (java.util.jar.JarFile file = new java.util.jar.JarFile(Path.of(java.net.URI.create(jar.substring(0, jar.indexOf("!/")))).toFile())) {
                    var entries = file.entries();
                    while (entries.hasMoreElements()) {
                        var entry = entries.nextElement();
                        if (entry.getName().startsWith(StateSchema.MIGRATIONS + "/") && entry.getName().endsWith(".sql")) {
                            try (var in = file.getInputStream(entry)) {
                                scripts.put(entry.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
            } else {
                try (var files = Files.list(Path.of(uri).getParent())) {
                    for (Path script : files.filter(path -> path.toString().endsWith(".sql")).toList()) {
                        scripts.put(script.getFileName().toString(), Files.readAllBytes(script));
                    }
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new IOException("cannot read the migrations: " + e.getMessage(), e);
        }
        StringBuilder all = new StringBuilder();
        scripts.forEach((name, bytes) -> all.append(name.substring(name.lastIndexOf('/') + 1)).append('\u0000')
                .append(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).append('\u0000'));
        return dev.baton.plan.Fingerprints.sha256(all.toString()).substring(0, 16);
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
