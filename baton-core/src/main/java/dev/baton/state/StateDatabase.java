package dev.baton.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/** The kinds of database a state store lives in, and how to connect to each. */
enum StateDatabase {
    SQLITE("jdbc:sqlite:") {
        @Override
        Connection connect(String url) throws SQLException {
            SqliteNativeLibrary.prepare();
            org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
            config.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
            config.enforceForeignKeys(true);
            return org.sqlite.JDBC.createConnection(url, config.toProperties());
        }

        @Override
        String howToFix() {
            return "check that its folder exists and is writable and that the file is a Baton state store,"
                    + " or delete the file to start a new history";
        }
    },
    POSTGRESQL("jdbc:postgresql:") {
        @Override
        Connection connect(String url) throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("connectTimeout", "10");
            properties.setProperty("ApplicationName", "baton");
            Connection connection = new org.postgresql.Driver().connect(url, properties);
            if (connection == null) {
                throw new SQLException("the PostgreSQL driver does not accept this URL");
            }
            return connection;
        }

        @Override
        String howToFix() {
            return "check that the PostgreSQL server is running and reachable"
                    + " and that the URL's host, port, database, user and password are right";
        }
    };

    /** How long a SQLite connection waits for another process's write lock. */
    static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final String urlPrefix;

    StateDatabase(String urlPrefix) {
        this.urlPrefix = urlPrefix;
    }

    String urlPrefix() {
        return urlPrefix;
    }

    abstract Connection connect(String url) throws SQLException;

    /** The last part of an error message: what the user can do when the store cannot be opened. */
    abstract String howToFix();
}
