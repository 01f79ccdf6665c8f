package dev.baton.engine.duckdb;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Loads the DuckDB JDBC driver's classes from its jar, child-first, and hides the native library
 * bundled in that jar. The driver then falls back to {@code System.loadLibrary("duckdb_java")},
 * which asks this loader's {@link #findLibrary} and gets the persistent copy: no extraction to
 * the temp directory at every start.
 *
 * <p>It also hides Java Flight Recorder from the driver unless asked not to: the driver registers
 * a periodic JFR memory event when JFR is present, and starting JFR's machinery for that costs
 * about half a second at every start. The driver checks for JFR with {@code Class.forName} and
 * simply skips the event when it is missing.
 */
final class DuckDbDriverClassLoader extends URLClassLoader {
    private static final String DRIVER_PACKAGE = "org.duckdb.";
    private static final String BUNDLED_LIBRARY_PREFIX = "libduckdb_java";
    private static final String LIBRARY_NAME = "duckdb_java";
    private static final String FLIGHT_RECORDER_PACKAGE = "jdk.jfr.";

    static {
        registerAsParallelCapable();
    }

    private final Path library;
    private final boolean flightRecorder;

    DuckDbDriverClassLoader(URL driverJar, Path library, boolean flightRecorder, ClassLoader parent) {
        super("duckdb-driver", new URL[] {requireNonNull(driverJar, "driverJar is null")}, parent);
        this.library = requireNonNull(library, "library is null");
        this.flightRecorder = flightRecorder;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!flightRecorder && name.startsWith(FLIGHT_RECORDER_PACKAGE)) {
            throw new ClassNotFoundException(name + " is hidden from the DuckDB driver");
        }
        if (!name.startsWith(DRIVER_PACKAGE)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = findClass(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name) {
        return isBundledLibrary(name) ? null : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return isBundledLibrary(name) ? Collections.emptyEnumeration() : super.getResources(name);
    }

    @Override
    protected String findLibrary(String name) {
        return LIBRARY_NAME.equals(name) ? library.toString() : super.findLibrary(name);
    }

    private static boolean isBundledLibrary(String name) {
        String stripped = name.startsWith("/") ? name.substring(1) : name;
        return stripped.startsWith(BUNDLED_LIBRARY_PREFIX);
    }
}
