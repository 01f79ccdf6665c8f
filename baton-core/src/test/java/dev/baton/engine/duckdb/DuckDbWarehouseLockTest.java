package dev.baton.engine.duckdb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbWarehouseLockTest {
    @TempDir
    Path directory;

    @Test
    void aWarehouseHeldByAnotherProcessIsReportedWithThatProcessesPid() throws Exception {
        Path warehouse = directory.resolve("target/baton.duckdb");
        Process holder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"),
                        WarehouseLockHolder.class.getName(), warehouse.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(), UTF_8));
            assertThat(output.readLine()).isEqualTo("holding");

            assertThatThrownBy(() -> DuckDbEngines.open(warehouse, "main", 1))
                    .isInstanceOf(BatonException.class)
                    .hasMessage("the warehouse " + warehouse + " is locked by another process (pid " + holder.pid()
                            + "); wait for it to finish or stop it")
                    .extracting(e -> ((BatonException) e).errorCode())
                    .isEqualTo(ErrorCode.WAREHOUSE_LOCKED);
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(10, TimeUnit.SECONDS)) {
                holder.destroyForcibly();
            }
        }
        assertThat(holder.exitValue()).isZero();
        try (Engine engine = DuckDbEngines.open(warehouse, "main", 1); EngineSession session = engine.openSession()) {
            assertThat(session.query("select 1", 1).rows()).containsExactly(List.of("1"));
        }
    }

    @Test
    void theMessageKeepsThePathAsGivenAndCopesWithoutAPid() {
        BatonException withPid = DuckDbEngine.openFailure("the warehouse target/baton.duckdb", new java.sql.SQLException(
                "IO Error: Could not set lock on file \"/home/ana/shop/target/baton.duckdb\": Conflicting lock is held in"
                        + " /usr/lib/jvm/java-17/bin/java (PID 1234) by user ana. See also https://duckdb.org/docs/connect/concurrency"));
        BatonException withoutPid = DuckDbEngine.openFailure("the warehouse target/baton.duckdb",
                new java.sql.SQLException("IO Error: Could not set lock on file \"C:\\shop\\target\\baton.duckdb\""));

        assertThat(withPid).hasMessage(
                "the warehouse target/baton.duckdb is locked by another process (pid 1234); wait for it to finish or stop it");
        assertThat(withoutPid).hasMessage(
                "the warehouse target/baton.duckdb is locked by another process; wait for it to finish or stop it");
    }

    @Test
    void otherOpenFailuresAreConnectionFailures() throws Exception {
        Path notADatabase = java.nio.file.Files.writeString(directory.resolve("notes.duckdb"), "just some text, not a database");

        assertThatThrownBy(() -> DuckDbEngines.open(notADatabase, "main", 1))
                .isInstanceOf(BatonException.class)
                .hasMessageStartingWith("could not open the warehouse " + notADatabase + ": ")
                .extracting(e -> ((BatonException) e).errorCode())
                .isEqualTo(ErrorCode.CONNECTION_FAILED);
    }
}
