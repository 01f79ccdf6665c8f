package dev.baton.state;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** Finds, connects to and migrates a state store. */
final class StateStoreOpener {
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@?]*:)[^/@?]*@");

    private StateStoreOpener() {}

    static StateStore open(Path projectDir, Optional<String> url) {
        requireNonNull(projectDir, "projectDir is null");
        requireNonNull(url, "url is null");
        Target target = url.isPresent() ? fromUrl(url.get().trim()) : defaultTarget(projectDir);
        boolean created = url.isEmpty() && !Files.exists(Path.of(target.location())) && EmptyStoreTemplate.copyTo(Path.of(target.location()));
        Connection connection = connect(target);
        try {
            boolean migrated = migrateIfNeeded(target, connection) || created;
            return new SqlStateStore(connection, target.location(), migrated);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** A connection of its own to the store, whose schema is migrated first when needed. */
    static Connection openConnection(Path projectDir, Optional<String> url) {
        requireNonNull(projectDir, "projectDir is null");
        requireNonNull(url, "url is null");
        Target target = url.isPresent() ? fromUrl(url.get().trim()) : defaultTarget(projectDir);
        if (url.isEmpty() && !Files.exists(Path.of(target.location()))) {
            EmptyStoreTemplate.copyTo(Path.of(target.location()));
        }
        Connection connection = connect(target);
        try {
            migrateIfNeeded(target, connection);
            return connection;
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** The URL with any password replaced by {@code ***}, fit for messages and logs. */
    static String redact(String url) {
        String withoutParameter = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO_PASSWORD.matcher(withoutParameter).replaceAll("$1***@");
    }

    private static Target defaultTarget(Path projectDir) {
        Path file = projectDir.resolve(StateStore.DEFAULT_PATH).toAbsolutePath().normalize();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw failure(file.toString(), "cannot create the folder " + file.getParent() + " (" + e.getMessage() + ")",
                    StateDatabase.SQLITE.howToFix(), e);
        }
        String location = file.toString();
        return new Target(StateDatabase.SQLITE, StateDatabase.SQLITE.urlPrefix().concat(location), location);
    }

    private static Target fromUrl(String url) {
        for (StateDatabase database : StateDatabase.values()) {
            if (url.startsWith(database.urlPrefix())) {
                String location = database == StateDatabase.SQLITE ? url.substring(database.urlPrefix().length()) : redact(url);
                return new Target(database, url, location);
            }
        }
        throw failure(redact(url), "unsupported URL",
                "give a jdbc:postgresql:// URL, or none for the SQLite file " + StateStore.DEFAULT_PATH + " in the project folder", null);
    }

    private static Connection connect(Target target) {
        try {
            return target.database().connect(target.url());
        } catch (SQLException | RuntimeException e) {
            throw failure(target, e);
        }
    }

    private static boolean migrateIfNeeded(Target target, Connection connection) {
        OptionalInt recorded = StateSchema.recordedVersion(connection);
        if (recorded.isPresent() && recorded.getAsInt() == StateSchema.LATEST_VERSION) {
            return false;
        }
        if (recorded.isPresent() && recorded.getAsInt() > StateSchema.LATEST_VERSION) {
            throw failure(target.location(), "its schema version " + recorded.getAsInt() + " is newer than this Baton knows ("
                    + StateSchema.LATEST_VERSION + ")", "upgrade Baton, or give it another state store", null);
        }
        try {
            FlywayMigration.migrate(new TargetDataSource(target));
            return true;
        } catch (RuntimeException e) {
            throw failure(target, e);
        }
    }

    private static BatonException failure(Target target, Exception cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().strip();
        return failure(target.location(), redactSecrets(reason, target.url()), target.database().howToFix(), cause);
    }

    static BatonException failure(String location, String reason, String howToFix, Exception cause) {
        return new BatonException(ErrorCode.STATE_STORE_FAILED,
                "cannot open the state store at " + location + ": " + reason + "; " + howToFix, Optional.empty(), cause);
    }

    /** Removes the URL's password from a driver's message, in case the driver quoted it. */
    static String redactSecrets(String message, String url) {
        String redacted = message.replace(url, redact(url));
        Matcher parameter = Pattern.compile("(?i)[?&;]password=([^&;]*)").matcher(url);
        while (parameter.find()) {
            if (!parameter.group(1).isEmpty()) {
                redacted = redacted.replace(parameter.group(1), "***");
            }
        }
        return redacted;
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // Already failing; the first error is the one to report.
        }
    }

    record Target(StateDatabase database, String url, String location) {}

    /** Lets Flyway open its connections the way the store does. */
    static final class TargetDataSource implements DataSource {
        private final Target target;

        TargetDataSource(Target target) {
            this.target = target;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return target.database().connect(target.url());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException("no parent logger");
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
