package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.event.RunStatus;
import dev.baton.state.StateStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A build whose process dies is recorded as crashed by the next one; a second writer can wait for the first. */
class CrashAndWaitTest {
    @TempDir
    Path temp;

    private Path project() {
        return Cli.project(temp.resolve("p"),
                "baton.yml", "name: p\n",
                "models/slow.sql", "{{ config(materialized='table') }}\nselect {{ var('marker', 1) }} as marker, count(*) filter (where hash(range) % 7 = 0) as n from range({{ var('rows', 10) }})\n");
    }

    private static Process startBuild(Path root, String vars) throws Exception {
        return Cli.startBuild(root, "main.slow", "--vars", vars);
    }

    @Test
    void theNextBuildMarksAKilledRunCrashedAndTheLiveTableIsIntact() throws Exception {
        Path root = project();
        assertThat(Cli.run("build", "--project-dir", root.toString()).exitCode()).isZero();
        Process build = startBuild(root, "{marker: 2, rows: 100000000000}");
        build.destroyForcibly();
        assertThat(build.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Cli.Result next = Cli.run("build", "--project-dir", root.toString(), "--vars", "{marker: 3}");
        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(next.err()).contains("Marked 1 run that stopped without finishing as crashed.");
        try (StateStore store = StateStore.open(root, Optional.empty())) {
            assertThat(store.recentRuns(3)).extracting(run -> run.status()).containsExactly(RunStatus.SUCCESS, RunStatus.CRASHED, RunStatus.SUCCESS);
        }
        Cli.Result janitor = Cli.run("janitor", "--project-dir", root.toString());
        assertThat(janitor.out().strip()).isEqualTo("Nothing to clean.");
    }

    @Test
    void aSecondBuildWaitsForTheFirstWithWait() throws Exception {
        Path root = project();
        assertThat(Cli.run("build", "--project-dir", root.toString()).exitCode()).isZero();
        Process first = startBuild(root, "{marker: 2, rows: 300000000}");
        Cli.Result second = Cli.run("build", "--project-dir", root.toString(), "--vars", "{marker: 3}", "--wait", "120s");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isZero();
        Cli.Result bad = Cli.run("build", "--project-dir", root.toString(), "--wait", "soon");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("'soon' is not a duration; write it like 500ms, 60s, 5m or 1h");
    }
}
