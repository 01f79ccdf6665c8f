package dev.baton.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

/**
 * Points sqlite-jdbc at a native library extracted once per user and driver version, instead of
 * the copy the driver writes to the temp folder on every start.
 *
 * <p>The library lives in {@code ${XDG_CACHE_HOME:-~/.cache}/baton/native/sqlite-<version>/},
 * named after the operating system and architecture so that a home folder shared between
 * machines keeps one copy per platform. It is written to a temporary file and renamed into
 * place, so a concurrent start never loads a half-written file. When anything goes wrong the
 * properties stay unset and the driver falls back to its own extraction.
 */
final class SqliteNativeLibrary {
    static final String PATH_PROPERTY = "org.sqlite.lib.path";
    static final String NAME_PROPERTY = "org.sqlite.lib.name";
    /** Holds the driver's own version, such as 3.51.1.0 (its VERSION file holds SQLite's, 3.51.1). */
    private static final String VERSION_RESOURCE = "/META-INF/maven/org.xerial/sqlite-jdbc/pom.properties";

    private static boolean prepared;

    private SqliteNativeLibrary() {}

    /** Sets the driver's library properties; must run before the driver first connects. */
    static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        if (System.getProperty(PATH_PROPERTY) != null) {
            return;
        }
        try {
            Path directory = cacheDirectory();
            String name = libraryName();
            Path library = directory.resolve(name);
            if (!Files.isRegularFile(library) && !extract(directory, library)) {
                return;
            }
            System.setProperty(PATH_PROPERTY, directory.toString());
            System.setProperty(NAME_PROPERTY, name);
        } catch (IOException | RuntimeException e) {
            // The driver extracts its own copy to the temp folder.
        }
    }

    static Path cacheDirectory() throws IOException {
        return cacheRoot().resolve("baton").resolve("native").resolve("sqlite-".concat(driverVersion()));
    }

    static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg);
        }
        return Path.of(System.getProperty("user.home"), ".cache");
    }

    private static String driverVersion() throws IOException {
        try (InputStream in = org.sqlite.JDBC.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                throw new IOException("sqlite-jdbc has no version resource");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "").trim();
            if (version.isEmpty() || !isPlainName(version)) {
                throw new IOException("unexpected sqlite-jdbc version '" + version + "'");
            }
            return version;
        }
    }

    /**
     * Such as {@code libsqlitejdbc-linux-amd64.so}. Built without regular expressions or string
     * concatenation, which cost a fresh JVM tens of milliseconds to bootstrap.
     */
    private static String libraryName() {
        String mapped = System.mapLibraryName("sqlitejdbc");
        int dot = mapped.lastIndexOf('.');
        StringBuilder name = new StringBuilder(mapped.length() + 24).append(mapped, 0, dot).append('-');
        appendPlain(name, System.getProperty("os.name"));
        name.append('-');
        appendPlain(name, System.getProperty("os.arch"));
        return name.append(mapped, dot, mapped.length()).toString();
    }

    private static void appendPlain(StringBuilder name, String part) {
        String lower = part.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (isPlain(c)) {
                name.append(c);
            }
        }
    }

    private static boolean isPlainName(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isPlain(c) && c != '.' && !(c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlain(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static boolean extract(Path directory, Path library) throws IOException {
        String folder = org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
        String resource = "/org/sqlite/native/" + folder + "/" + System.mapLibraryName("sqlitejdbc");
        try (InputStream in = org.sqlite.JDBC.class.getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, library.getFileName().toString(), ".tmp");
            try {
                Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temporary, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
            return true;
        }
    }
}
