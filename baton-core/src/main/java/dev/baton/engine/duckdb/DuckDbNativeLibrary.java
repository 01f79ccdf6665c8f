package dev.baton.engine.duckdb;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The DuckDB JDBC driver, with its native library loaded from a persistent cache.
 *
 * <p>The stock driver inflates its ~70 MB native library from the jar into the temp directory
 * at every start, which costs about half a second. Here the library is extracted once into
 * {@code ${XDG_CACHE_HOME:-~/.cache}/baton/native/duckdb-<version>/} and the driver's classes are
 * loaded by a {@link DuckDbDriverClassLoader} that hides the bundled copy, so the driver takes
 * its {@code System.loadLibrary} path and loads the cached file. If anything about that fails,
 * the stock driver is used as it is. Setting the system property {@value #CACHE_PROPERTY} to
 * {@code false} turns the cache off. The same class loader keeps the driver from starting Java
 * Flight Recorder for its memory events (another half second) unless {@value
 * #FLIGHT_RECORDER_PROPERTY} is {@code true}.
 *
 * <p>Everything in one process that opens a DuckDB file must use this driver (through
 * {@link DuckDbEngines}): two copies of the native library do not share open databases.
 */
public final class DuckDbNativeLibrary {
    public static final String CACHE_PROPERTY = "baton.duckdb.nativeCache";
    /** Set to {@code true} to let the driver publish its JFR memory events (slower start). */
    public static final String FLIGHT_RECORDER_PROPERTY = "baton.duckdb.jfr";

    private static final String DRIVER_CLASS = "org.duckdb.DuckDBDriver";
    private static final String NATIVE_CLASS = "org.duckdb.DuckDBNative";

    private DuckDbNativeLibrary() {}

    /**
     * Loads the driver and its native library now. Idempotent and thread-safe; a command can call
     * it on a background thread at start-up so that opening the warehouse later costs nothing.
     */
    public static void preload() {
        driver();
    }

    /** The cached library the driver was loaded from, or empty when the stock driver is in use. */
    public static Optional<Path> loadedFrom() {
        return Holder.LOADED.library();
    }

    static Driver driver() {
        return Holder.LOADED.driver();
    }

    /**
     * The cached copy of the driver jar's native library under {@code cacheRoot}, extracted
     * first when it is missing or its size is wrong.
     */
    static Path cachedLibrary(Path driverJar, Path cacheRoot) throws IOException {
        String entryName = bundledLibraryName();
        try (JarFile jar = new JarFile(driverJar.toFile())) {
            ZipEntry entry = jar.getEntry(entryName);
            if (entry == null || entry.getSize() <= 0) {
                throw new IOException(driverJar + " has no " + entryName);
            }
            Path directory = cacheRoot.resolve("baton").resolve("native").resolve("duckdb-" + version(jar));
            Path library = directory.resolve(entryName);
            if (Files.isRegularFile(library) && Files.size(library) == entry.getSize()) {
                return library;
            }
            Files.createDirectories(directory);
            Path partial = Files.createTempFile(directory, entryName, ".part");
            try {
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, partial, REPLACE_EXISTING);
                }
                if (Files.size(partial) != entry.getSize()) {
                    throw new IOException("short copy of " + entryName + " into " + partial);
                }
                partial.toFile().setExecutable(true);
                Files.move(partial, library, ATOMIC_MOVE, REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
            return library;
        }
    }

    /** {@code $XDG_CACHE_HOME}, or {@code ~/.cache} when it is unset or relative. */
    static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg);
        }
        return Path.of(System.getProperty("user.home"), ".cache");
    }

    /** The name the driver gives its bundled library: {@code libduckdb_java.so_linux_amd64}. */
    static String bundledLibraryName() {
        return "libduckdb_java.so_" + operatingSystem() + "_" + architecture();
    }

    private static String version(JarFile jar) throws IOException {
        String version = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Bundle-Version");
        if (version == null || !version.matches("[A-Za-z0-9._-]+")) {
            throw new IOException("the DuckDB driver jar does not declare its version");
        }
        return version;
    }

    private static String operatingSystem() {
        String name = System.getProperty("os.name").toLowerCase(Locale.ROOT).trim();
        if (name.startsWith("windows")) {
            return "windows";
        }
        if (name.startsWith("mac")) {
            return "macos";
        }
        return name.startsWith("linux") ? "linux" : name.replaceAll("[^a-z0-9_\\-.]", "");
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT).trim();
        switch (arch) {
            case "x86_64":
            case "amd64":
                return "amd64";
            case "aarch64":
            case "arm64":
                return "arm64";
            default:
                return arch.replaceAll("[^a-z0-9_\\-.]", "");
        }
    }

    private record LoadedDriver(Driver driver, Optional<Path> library) {}

    private static final class Holder {
        static final LoadedDriver LOADED = load();

        private static LoadedDriver load() {
            ClassLoader parent = DuckDbNativeLibrary.class.getClassLoader();
            if (!"false".equalsIgnoreCase(System.getProperty(CACHE_PROPERTY))) {
                try {
                    URL driverJar = Class.forName(DRIVER_CLASS, false, parent).getProtectionDomain().getCodeSource().getLocation();
                    Path library = cachedLibrary(Path.of(driverJar.toURI()), cacheRoot());
                    ClassLoader loader = new DuckDbDriverClassLoader(
                            driverJar, library, Boolean.getBoolean(FLIGHT_RECORDER_PROPERTY), parent);
                    Class.forName(NATIVE_CLASS, true, loader);
                    Driver driver = (Driver) loader.loadClass(DRIVER_CLASS).getConstructor().newInstance();
                    return new LoadedDriver(driver, Optional.of(library));
                } catch (Exception | LinkageError e) {
                    // The stock driver below extracts the library itself; nothing is lost but time.
                }
            }
            try {
                Driver driver = (Driver) Class.forName(DRIVER_CLASS, true, parent).getConstructor().newInstance();
                return new LoadedDriver(driver, Optional.empty());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the DuckDB JDBC driver is not on the class path", e);
            }
        }
    }
}
