package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every user mistake ends in one clear line: file:line, what is wrong, how to fix it; exit 2; no stack trace. */
class ErrorMessagesTest {
    private static final String PROJECT_FILE = """
            name: shop
            target: dev
            targets:
              dev:
                type: duckdb
                path: target/shop.duckdb
            """;

    @TempDir
    Path temp;

    private Path project(String... files) {
        String[] all = new String[files.length + 2];
        all[0] = "baton.yml";
        all[1] = PROJECT_FILE;
        System.arraycopy(files, 0, all, 2, files.length);
        return Cli.project(temp.resolve("p"), all);
    }

    private static void assertUserError(Cli.Result result, String message) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo("error: " + message);
        assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void unknownRefSuggestsTheClosestModel() {
        Path root = project(
                "models/customers.sql", "select 1 as id\n",
                "models/orders.sql", "-- orders\n\nselect * from {{ ref('custmers') }}\n");
        assertUserError(Cli.run("build", "--project-dir", root.toString()),
                "models/orders.sql:3: unknown model 'custmers' in ref(); did you mean 'customers'?");
    }

    @Test
    void unknownRefWithNothingCloseSaysSo() {
        Path root = project("models/orders.sql", "select * from {{ ref('zzz') }}\n");
        assertUserError(Cli.run("compile", "--project-dir", root.toString()),
                "models/orders.sql:1: unknown model 'zzz' in ref(); no model or seed has that name");
    }

    @Test
    void unknownSource() {
        Path root = project(
                "models/sources.yml", "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n",
                "models/stg_orders.sql", "select * from {{ source('raw', 'ordres') }}\n");
        assertUserError(Cli.run("compile", "--project-dir", root.toString()),
                "models/stg_orders.sql:1: unknown source 'raw.ordres' in source(); did you mean 'raw.orders'?");
    }

    @Test
    void yamlSyntaxErrorPointsAtLineAndColumn() {
        Path root = project(
                "models/a.sql", "select 1 as id\n",
                "models/schema.yml", "version: 2\nmodels:\n  - name: a\n   description: broken indentation\n");
        Cli.Result result = Cli.run("compile", "--project-dir", root.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: models/schema.yml:4:");
        assertThat(result.err()).contains("invalid YAML").contains("check the indentation and quoting on this line");
    }

    @Test
    void aKeyGivenTwiceInAPropertiesFileIsAnErrorNotALostValue() {
        Path root = project(
                "models/a.sql", "select 1 as id\n",
                "models/schema.yml", "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique]\n"
                        + "    columns:\n      - name: id\n        data_tests: [not_null]\n");
        assertUserError(Cli.run("compile", "--project-dir", root.toString()),
                "models/schema.yml:7:5: key 'columns' is given twice in one mapping, here and at models/schema.yml:4:5; "
                        + "remove one (YAML would keep only the last)");
    }

    @Test
    void aMacroOfADeclaredPackageThatIsNotInstalledIsAnErrorAtTheCall() {
        Path root = project(
                "packages.yml", "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\n",
                "models/a.sql", "select 1 as id\n",
                "models/b.sql", "select\n  {{ dbt_utils.generate_surrogate_key(['id']) }} as key\nfrom {{ ref('a') }}\n");
        assertUserError(Cli.run("compile", "--project-dir", root.toString()),
                "models/b.sql:2: dbt_utils.generate_surrogate_key comes from the dbt package 'dbt-labs/dbt_utils', which Baton does not install yet; "
                        + "replace the call with SQL or a macro of your own under macros/");

        Cli.project(root, "models/b.sql", "select id as key from {{ ref('a') }}\n");
        Cli.Result compiled = Cli.run("compile", "--project-dir", root.toString());
        assertThat(compiled.exitCode()).as(compiled.toString()).isZero();
        assertThat(compiled.err().strip()).isEqualTo("warning: packages.yml:2:5: package 'dbt-labs/dbt_utils' is not installed: Baton does not "
                + "install dbt packages yet, so a template that calls its macros (dbt_utils.…) stops with an error");
    }

    @Test
    void unknownConfigKeyInTheProjectFileSuggestsTheRightOne() {
        Path root = Cli.project(temp.resolve("p"),
                "baton.yml", PROJECT_FILE + "models:\n  shop:\n    +materialised: table\n",
                "models/a.sql", "select 1 as id\n");
        assertUserError(Cli.run("compile", "--project-dir", root.toString()),
                "baton.yml:9:5: unknown config key 'materialised' in baton.yml; did you mean 'materialized'?");
    }

    @Test
    void unknownConfigKeyInConfigCall() {
        Path root = project("models/a.sql", "{{ config(materalized='table') }}\nselect 1 as id\n");
        assertUserError(Cli.run("compile", "--project-dir", root.toString()),
                "models/a.sql:1: unknown config key 'materalized' in config(); did you mean 'materialized'?");
    }

    @Test
    void unknownKeyInProjectFile() {
        Path root = Cli.project(temp.resolve("p"), "baton.yml", PROJECT_FILE + "modles:\n  shop: {}\n", "models/a.sql", "select 1 as id\n");
        assertUserError(Cli.run("compile", "--project-dir", root.toString()),
                "baton.yml:7:1: unknown key 'modles' in baton.yml; did you mean 'models'?");
    }

    @Test
    void duplicateModelNamesNameBothFiles() {
        Path root = project("models/a/orders.sql", "select 1 as id\n", "models/b/orders.sql", "select 2 as id\n");
        assertUserError(Cli.run("compile", "--project-dir", root.toString()),
                "models/b/orders.sql:1: model 'orders' is defined twice: models/a/orders.sql and models/b/orders.sql; "
                        + "rename one of them, since model names must be unique in a project");
    }

    @Test
    void missingProjectFile() {
        Path empty = temp.resolve("empty");
        Cli.project(empty, "README.md", "nothing here\n");
        assertUserError(Cli.run("build", "--project-dir", empty.toString()),
                "no baton.yml or dbt_project.yml in " + empty.toAbsolutePath().normalize()
                        + "; run 'baton init NAME' to create a project, or pass --project-dir pointing at one");
    }

    @Test
    void raggedSeedIsRefusedWithItsLine() {
        Path root = project("seeds/raw.csv", "id,name\n1,a\n2\n3,c\n");
        Cli.Result result = Cli.run("build", "--project-dir", root.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).contains("seeds/raw.csv:3: this row has 1 values but the header has 2 columns; "
                + "add the missing values (empty between commas is NULL) or quote values that contain commas");
    }

    @Test
    void sqlErrorNamesTheModelFileTheCompiledLineAndTheEnginesMessage() {
        Path root = project("models/orders.sql", "select\n  1 as id,\n  amountt\nfrom (select 1 as amount)\n");
        Cli.Result result = Cli.run("build", "--project-dir", root.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).contains("models/orders.sql: compiled SQL line 3: Binder Error: Referenced column \"amountt\" not found in FROM clause!")
                .contains("; see target/compiled/shop/models/orders.sql");
    }

    @Test
    void jinjaSyntaxErrorPointsAtTheLine() {
        Path root = project("models/a.sql", "select 1 as id\n{% if true %}\nselect 2\n");
        assertUserError(Cli.run("compile", "--project-dir", root.toString()),
                "models/a.sql:2: Jinja syntax error: {% if true %} is never closed; add {% endif %} where the block ends");
    }

    @Test
    void undefinedMacroSuggestsTheClosestOne() {
        Path root = project(
                "macros/money.sql", "{% macro cents_to_dollars(column) %}{{ column }} / 100{% endmacro %}\n",
                "models/b.sql", "select\n  {{ cents_to_dolars('amount') }} as x\nfrom (select 1 as amount)\n");
        assertUserError(Cli.run("compile", "--project-dir", root.toString()),
                "models/b.sql:2: unknown macro 'cents_to_dolars'; did you mean 'cents_to_dollars'?");
    }

    @Test
    void cycleNamesEveryNodeAndFile() {
        Path root = project(
                "models/b.sql", "select * from {{ ref('c') }}\n",
                "models/c.sql", "-- c\nselect * from {{ ref('b') }}\n");
        assertUserError(Cli.run("build", "--project-dir", root.toString()),
                "models/b.sql:1: found a dependency cycle: model.shop.b (models/b.sql:1) -> model.shop.c (models/c.sql:1) -> model.shop.b; "
                        + "each node depends on the next, break the cycle by removing one of these ref() or source() calls");
    }

    @Test
    void unknownTargetSuggests() {
        Path root = project("models/a.sql", "select 1 as id\n");
        assertUserError(Cli.run("compile", "--project-dir", root.toString(), "--target", "deb"),
                "unknown target 'deb'; did you mean 'dev'?");
    }

    @Test
    void theFirstMistakeInTestsIsReportedInTheOrderTheyAreDeclared() throws Exception {
        // Enough models that their tests are made on every core; the mistakes sit in the first and the last.
        List<String> files = new java.util.ArrayList<>();
        StringBuilder properties = new StringBuilder("version: 2\nmodels:\n");
        for (int i = 0; i < 400; i++) {
            files.add("models/m_" + i + ".sql");
            files.add("select 1 as id\n");
            String tests = i == 0 ? "[unique, not_null, unique]" : i == 399 ? "[uniqe]" : "[unique, not_null]";
            properties.append("  - name: m_").append(i).append("\n    columns:\n      - name: id\n        tests: ").append(tests).append('\n');
        }
        files.add("models/schema.yml");
        files.add(properties.toString());
        Path root = project(files.toArray(String[]::new));
        assertUserError(Cli.run("compile", "--project-dir", root.toString()),
                "models/schema.yml:6:35: test 'unique_m_0_id' is declared twice, here and at models/schema.yml:6:17; remove one, or give them different arguments");

        java.nio.file.Files.writeString(root.resolve("models/schema.yml"), properties.toString().replace("[unique, not_null, unique]", "[unique]"));
        assertUserError(Cli.run("compile", "--project-dir", root.toString()),
                "models/schema.yml:1602:17: unknown test 'uniqe'; did you mean 'unique'?");
    }

    @Test
    void unknownGenericTestSuggests() {
        Path root = project(
                "models/a.sql", "select 1 as id\n",
                "models/a.yml", "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        tests: [uniqe]\n");
        assertUserError(Cli.run("compile", "--project-dir", root.toString()),
                "models/a.yml:6:17: unknown test 'uniqe'; did you mean 'unique'?");
    }

    @Test
    void debugShowsTheStackTrace() {
        Path root = project("models/orders.sql", "select * from {{ ref('zzz') }}\n");
        Cli.Result result = Cli.run("compile", "--debug", "--project-dir", root.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("BatonException").contains("\tat ");
    }

    @Test
    void unknownCommandSuggests() {
        Cli.Result result = Cli.run("buidl");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Unmatched argument at index 0: 'buidl'").contains("Did you mean: baton build");
    }
}
