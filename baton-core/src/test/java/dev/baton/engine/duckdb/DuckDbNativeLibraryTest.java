package dev.baton.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbNativeLibraryTest {
    @TempDir
    Path cacheRoot;

    @Test
    void extractsTheLibraryOnceIntoAVersionedDirectory() throws Exception {
        Path jar = driverJar();
        long expectedSize = bundledSize(jar);

        Path library = DuckDbNativeLibrary.cachedLibrary(jar, cacheRoot);

        assertThat(library.getParent().getParent()).isEqualTo(cacheRoot.resolve("baton/native"));
        assertThat(library.getParent().getFileName().toString()).isEqualTo("duckdb-2.0.0.1");
        assertThat(library.getFileName().toString()).isEqualTo(DuckDbNativeLibrary.bundledLibraryName());
        assertThat(Files.size(library)).isEqualTo(expectedSize);
        assertThat(Files.list(library.getParent())).containsExactly(library);

        FileTime marked = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(library, marked);
        assertThat(DuckDbNativeLibrary.cachedLibrary(jar, cacheRoot)).isEqualTo(library);
        assertThat(Files.getLastModifiedTime(library)).isEqualTo(marked);
    }

    @Test
    void replacesACopyOfTheWrongSize() throws Exception {
        Path jar = driverJar();
        Path library = DuckDbNativeLibrary.cachedLibrary(jar, cacheRoot);
        Files.write(library, new byte[] {1, 2, 3});

        assertThat(DuckDbNativeLibrary.cachedLibrary(jar, cacheRoot)).isEqualTo(library);
        assertThat(Files.size(library)).isEqualTo(bundledSize(jar));
        assertThat(Files.list(library.getParent())).containsExactly(library);
    }

    @Test
    void theDriverInThisProcessRunsOnTheCachedLibrary() throws Exception {
        assertThat(DuckDbNativeLibrary.loadedFrom()).isPresent();
        Path library = DuckDbNativeLibrary.loadedFrom().orElseThrow();
        assertThat(library.toString()).endsWith("baton/native/duckdb-2.0.0.1/" + DuckDbNativeLibrary.bundledLibraryName());
        assertThat(DuckDbNativeLibrary.driver().getClass().getClassLoader()).isInstanceOf(DuckDbDriverClassLoader.class);
        try (var connection = DuckDbNativeLibrary.driver().connect("jdbc:duckdb:", new java.util.Properties());
                var results = connection.createStatement().executeQuery("select 40 + 2")) {
            assertThat(results.next()).isTrue();
            assertThat(results.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void theDriverDoesNotSeeFlightRecorderSoItSkipsItsMemoryEvents() {
        ClassLoader driverLoader = DuckDbNativeLibrary.driver().getClass().getClassLoader();

        assertThatThrownBy(() -> Class.forName("jdk.jfr.FlightRecorder", false, driverLoader))
                .isInstanceOf(ClassNotFoundException.class)
                .hasMessage("jdk.jfr.FlightRecorder is hidden from the DuckDB driver");
    }

    private static Path driverJar() throws Exception {
        return Path.of(org.duckdb.DuckDBDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static long bundledSize(Path jar) throws Exception {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getEntry(DuckDbNativeLibrary.bundledLibraryName()).getSize();
        }
    }
}
