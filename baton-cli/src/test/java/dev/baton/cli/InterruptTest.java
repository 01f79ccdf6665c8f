package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.event.RunStatus;
import dev.baton.state.RunRecord;
import dev.baton.state.StateStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real second process: the warehouse lock names it, and Ctrl-C cancels its run cleanly. */
class InterruptTest {
    @TempDir
    Path temp;

    @Test
    void aSecondWriterIsToldWhoHoldsTheWarehouseAndCtrlCCancelsCleanly() throws Exception {
        Path root = Cli.project(temp.resolve("p"),
                "baton.yml", "name: p\n",
                "models/slow.sql", "{{ config(materialized='table') }}\nselect {{ var('marker', 1) }} as marker, count(*) as n from range({{ var('rows', 10) }})\n");
        assertThat(Cli.run("build", "--project-dir", root.toString()).exitCode()).isZero();

        Process build = Cli.startBuild(root, "main.slow", "--vars", "{marker: 2, rows: 500000000000}");

        Cli.Result second = Cli.run("build", "--project-dir", root.toString());
        assertThat(second.exitCode()).as(second.toString()).isEqualTo(2);
        assertThat(second.err().strip()).isEqualTo("error: the warehouse " + root.resolve("target/p.duckdb") + " is locked by another process (pid " + build.pid()
                + "); wait for it to finish or stop it");

        new ProcessBuilder("kill", "-INT", Long.toString(build.pid())).start().waitFor();
        assertThat(build.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String rest = new String(build.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(build.exitValue()).as(rest).isEqualTo(130);
        assertThat(rest).contains("CANCEL table model main.slow").contains("Cancelled: nodes that had not finished were stopped");

        try (StateStore store = StateStore.open(root, Optional.empty())) {
            List<RunRecord> runs = store.recentRuns(1);
            assertThat(runs.get(0).status()).isEqualTo(RunStatus.CANCELLED);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + root.resolve("target/p.duckdb"));
                ResultSet rs = connection.createStatement().executeQuery("select marker, n from main.slow")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("the previous version stays live").isEqualTo(1);
            assertThat(rs.getLong(2)).isEqualTo(10);
        }
    }
}
