package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetryAndStateTest {
    @TempDir
    Path temp;

    private static List<String> executed(Path root) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode result : new ObjectMapper().readTree(root.resolve("target/run_results.json").toFile()).get("results")) {
            ids.add(result.get("unique_id").asText() + "=" + result.get("status").asText());
        }
        return ids;
    }

    @Test
    void retryRunsOnlyWhatFailedOrWasSkipped() throws Exception {
        Path root = Cli.project(temp.resolve("p"),
                "baton.yml", "name: p\n",
                "models/a.sql", "select 1 as id",
                "models/b.sql", "select {% if var('broken', true) %}nope{% else %}id{% endif %} from {{ ref('a') }}",
                "models/c.sql", "select * from {{ ref('b') }}",
                "models/d.sql", "select 2 as id");
        String dir = root.toString();
        assertThat(Cli.run("build", "--project-dir", dir).exitCode()).isEqualTo(1);
        assertThat(Cli.run("ls", "--project-dir", dir, "-s", "result:error").out().lines()).containsExactly("p.b");
        assertThat(Cli.run("ls", "--project-dir", dir, "-s", "result:skipped").out().lines()).containsExactly("p.c");

        Cli.Result retry = Cli.run("retry", "--project-dir", dir, "--vars", "{broken: false}");
        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        assertThat(executed(root)).containsExactly("model.p.b=success", "model.p.c=success");

        Cli.Result nothing = Cli.run("retry", "--project-dir", dir, "--vars", "{broken: false}");
        assertThat(nothing.exitCode()).isZero();
        assertThat(nothing.out()).contains("Nothing to do");

        Cli.Result withSelect = Cli.run("retry", "--project-dir", dir, "-s", "a");
        assertThat(withSelect.exitCode()).isEqualTo(2);
        assertThat(withSelect.err()).contains("retry runs what the last run left undone and takes no --select");
    }

    @Test
    void stateSelectorsCompareWithTheLastSuccessfulBuild() throws Exception {
        Path root = Cli.project(temp.resolve("p"),
                "baton.yml", "name: p\n",
                "models/a.sql", "select 1 as id",
                "models/b.sql", "select * from {{ ref('a') }}");
        String dir = root.toString();
        assertThat(Cli.run("ls", "--project-dir", dir, "-s", "state:new").out().lines()).containsExactly("p.a", "p.b");
        assertThat(Cli.run("build", "--project-dir", dir).exitCode()).isZero();
        assertThat(Cli.run("ls", "--project-dir", dir, "-s", "state:modified").out()).isEmpty();
        Cli.project(root, "models/a.sql", "select 10 as id", "models/e.sql", "select 3 as id");
        assertThat(Cli.run("ls", "--project-dir", dir, "-s", "state:modified").out().lines()).containsExactly("p.a", "p.e");
        assertThat(Cli.run("ls", "--project-dir", dir, "-s", "state:modified.body").out().lines()).containsExactly("p.a");
        assertThat(Cli.run("ls", "--project-dir", dir, "-s", "state:new").out().lines()).containsExactly("p.e");
        assertThat(Cli.run("ls", "--project-dir", dir, "-s", "state:modified+").out().lines()).containsExactly("p.a", "p.b", "p.e");
        Cli.Result bad = Cli.run("ls", "--project-dir", dir, "-s", "state:modifed");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("error: unknown state 'modifed' in 'state:modifed'; did you mean 'modified'?");
    }

    @Test
    void retryReadsTheSelectionOfARecordedCommandLine() {
        assertThat(RetryCommand.selectionOf("baton build --project-dir /p -s a+ tag:x --exclude b --threads 2").select()).containsExactly("a+", "tag:x");
        assertThat(RetryCommand.selectionOf("baton build --project-dir /p -s a+ tag:x --exclude b --threads 2").exclude()).containsExactly("b");
        assertThat(RetryCommand.selectionOf("baton run --select=state:modified+ --selector=nightly").select()).containsExactly("state:modified+");
        assertThat(RetryCommand.selectionOf("baton run --selector nightly").selectorName()).contains("nightly");
        assertThat(RetryCommand.selectionOf("baton build").select()).isEmpty();
    }
}
