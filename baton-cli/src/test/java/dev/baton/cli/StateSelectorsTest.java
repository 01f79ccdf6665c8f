package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.plan.Fingerprints;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** state:modified and its .body, .configs and .contract variants, against the state store and against --state DIR. */
class StateSelectorsTest {
    @TempDir
    Path temp;

    private Path project() {
        return Cli.project(temp.resolve("p"),
                "baton.yml", "name: p\n",
                "seeds/raw.csv", "id\n1\n2\n",
                "models/a.sql", "select id from {{ ref('raw') }}",
                "models/b.sql", "{{ config(materialized='table') }}\nselect * from {{ ref('a') }}",
                "models/c.sql", "select * from {{ ref('b') }}",
                "models/props.yml", "models:\n  - name: c\n    columns:\n      - name: id\n        data_type: integer\n        tests: [not_null]\n");
    }

    private static java.util.List<String> ls(Path root, String... selection) {
        String[] args = new String[selection.length + 4];
        args[0] = "ls";
        args[1] = "--project-dir";
        args[2] = root.toString();
        args[3] = "-s";
        System.arraycopy(selection, 0, args, 4, selection.length);
        Cli.Result result = Cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.out().lines().toList();
    }

    @Test
    void bodyConfigAndContractChangesAreToldApart() throws Exception {
        Path root = project();
        assertThat(Cli.run("build", "--project-dir", root.toString()).exitCode()).isZero();
        // A test that passed counts as built with its definition.
        assertThat(ls(root, "state:modified")).isEmpty();
        assertThat(ls(root, "state:unmodified")).containsExactly("p.raw", "p.a", "p.b", "p.c", "p.not_null_c_id");

        Cli.project(root, "models/b.sql", "{{ config(materialized='view') }}\nselect * from {{ ref('a') }}",
                "models/a.sql", "select id, 1 as one from {{ ref('raw') }}",
                "models/props.yml", "models:\n  - name: c\n    config:\n      contract: {enforced: true}\n    columns:\n      - name: id\n        data_type: integer\n        tests: [not_null]\n");
        assertThat(ls(root, "state:modified.body")).containsExactly("p.a");
        assertThat(ls(root, "state:modified.configs")).containsExactly("p.b");
        // The test of c follows it (eager indirect selection, as in dbt).
        assertThat(ls(root, "state:modified.contract")).containsExactly("p.c", "p.not_null_c_id");
        assertThat(ls(root, "state:modified")).containsExactly("p.a", "p.b", "p.c", "p.not_null_c_id");
        // Tags and descriptions document a node; they do not change what is built.
        Cli.project(root, "models/b.sql", "{{ config(materialized='table', tags=['nightly']) }}\nselect * from {{ ref('a') }}");
        assertThat(ls(root, "state:modified.configs")).isEmpty();

        Files.writeString(root.resolve("seeds/raw.csv"), "id\n1\n2\n3\n");
        assertThat(ls(root, "state:modified.body")).containsExactly("p.raw", "p.a");
        assertThat(ls(root, "state:modified+", "--resource-type", "model")).containsExactly("p.a", "p.b", "p.c");
    }

    @Test
    void stateDirComparesWithAManifestOfBatonOrDbt() throws Exception {
        Path root = project();
        assertThat(Cli.run("compile", "--project-dir", root.toString()).exitCode()).isZero();
        Path previous = Files.createDirectories(temp.resolve("previous"));
        Files.copy(root.resolve("target/manifest.json"), previous.resolve("manifest.json"));
        assertThat(ls(root, "state:modified", "--state", previous.toString())).isEmpty();

        Cli.project(root, "models/a.sql", "select id, 2 as two from {{ ref('raw') }}");
        assertThat(ls(root, "state:modified", "--state", previous.toString())).containsExactly("p.a");
        assertThat(ls(root, "state:new", "--state", previous.toString())).isEmpty();

        // A dbt manifest: the checksum is SHA-256 of the file as written; config keys are compared where both sides have them.
        String dbtManifest = "{\"metadata\": {\"dbt_version\": \"1.9.0\"}, \"nodes\": {"
                + "\"model.p.a\": {\"checksum\": {\"name\": \"sha256\", \"checksum\": \"" + Fingerprints.sha256("select id from {{ ref('raw') }}")
                + "\"}, \"config\": {\"materialized\": \"view\"}},"
                + "\"model.p.b\": {\"checksum\": {\"name\": \"sha256\", \"checksum\": \""
                + Fingerprints.sha256("{{ config(materialized='table') }}\nselect * from {{ ref('a') }}") + "\"}, \"config\": {\"materialized\": \"view\"}}"
                + "}, \"sources\": {}}";
        Path dbt = Files.createDirectories(temp.resolve("dbt"));
        Files.writeString(dbt.resolve("manifest.json"), dbtManifest);
        assertThat(ls(root, "state:modified.body", "--state", dbt.toString())).containsExactly("p.a");
        assertThat(ls(root, "state:modified.configs", "--state", dbt.toString())).containsExactly("p.b");
        assertThat(ls(root, "state:new", "--state", dbt.toString())).containsExactly("p.raw", "p.c", "p.not_null_c_id");

        Cli.Result missing = Cli.run("ls", "--project-dir", root.toString(), "-s", "state:modified", "--state", temp.resolve("nowhere").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("error: --state " + temp.resolve("nowhere") + ": there is no manifest.json in that folder;"
                + " point --state at the target folder of the run to compare with (it holds manifest.json)");
    }
}
