package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompileUpToDateTest {
    private static final String UP_TO_DATE = "(nothing changed since the last compile)";

    @TempDir
    Path temp;

    /** The shop, with every file dated a minute back, as files are that were not saved during the compile. */
    private Path shop() {
        return Cli.agedCopy(Cli.example("shop"), temp.resolve("shop"));
    }

    private static Cli.Result compile(Path shop, String... extra) {
        String[] args = Stream.concat(Stream.of("compile", "--project-dir", shop.toString()), Stream.of(extra)).toArray(String[]::new);
        Cli.Result result = Cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    @Test
    void aSecondCompileOfAnUnchangedProjectIsSkippedWithTheSameSummary() throws IOException {
        Path shop = shop();
        Cli.Result first = compile(shop);
        assertThat(first.out()).startsWith("Compiled 6 models and 21 tests to target/compiled in ").doesNotContain(UP_TO_DATE);
        Cli.Result second = compile(shop);
        assertThat(second.out()).startsWith("Compiled 6 models and 21 tests to target/compiled in ").contains(UP_TO_DATE);
    }

    @Test
    void withASelectionTheCompiledSqlOfEachNamedNodeIsPrintedAsDbtDoes() throws IOException {
        Path shop = shop();
        String stgOrders = "Compiled node 'stg_orders' is:\n" + Files.readString(shop.resolve("models/staging/stg_orders.sql")).strip()
                .replace("{{ ref('raw_orders') }}", "\"main\".\"raw_orders\"") + "\n";
        // A full compile, then one that finds nothing changed: both print the node, and only the node named (not its parent raw_orders).
        for (int run = 0; run < 2; run++) {
            Cli.Result result = compile(shop, "-s", "+stg_orders");
            assertThat(result.out()).contains(stgOrders).doesNotContain("Compiled node 'raw_orders'");
            assertThat(result.out().lines().filter(line -> line.startsWith("Compiled node ")).count()).isEqualTo(1);
        }
        assertThat(compile(shop, "-s", "tag:nothing").out()).doesNotContain("Compiled node");
        assertThat(compile(shop).out()).doesNotContain("Compiled node");
    }

    @Test
    void anEditedModelCompilesAgainAndItsOutputChanges() throws IOException {
        Path shop = shop();
        compile(shop);
        Path orders = shop.resolve("models/marts/orders.sql");
        Files.writeString(orders, Files.readString(orders) + "\n-- edited\n");
        assertThat(compile(shop).out()).doesNotContain(UP_TO_DATE);
        assertThat(Files.readString(shop.resolve("target/compiled/shop/models/marts/orders.sql"))).contains("-- edited");
    }

    @Test
    void aNewModelOrADeletedOutputCompilesAgain() throws IOException {
        Path shop = shop();
        compile(shop);
        Files.writeString(shop.resolve("models/marts/extra.sql"), "select 1 as id\n");
        Cli.age(shop);
        assertThat(compile(shop).out()).startsWith("Compiled 7 models").doesNotContain(UP_TO_DATE);
        assertThat(compile(shop).out()).startsWith("Compiled 7 models").contains(UP_TO_DATE);

        Path output = shop.resolve("target/compiled/shop/models/marts/extra.sql");
        Files.delete(output);
        assertThat(compile(shop).out()).doesNotContain(UP_TO_DATE);
        assertThat(output).hasContent("select 1 as id");
    }

    @Test
    void aModelReadingItsConfigurationFollowsAChangeInThePropertiesFile() throws IOException {
        Path shop = shop();
        Path model = shop.resolve("models/marts/kind.sql");
        Files.writeString(model, "select '{{ config.get(\"materialized\") }}' as kind, '{{ config.get(\"meta\")[\"owner\"] }}' as owner\n");
        Path properties = shop.resolve("models/marts/_kind.yml");
        Files.writeString(properties, "version: 2\nmodels:\n  - name: kind\n    config:\n      materialized: view\n      meta: {owner: ana}\n");
        Cli.age(shop);
        Path compiled = shop.resolve("target/compiled/shop/models/marts/kind.sql");
        compile(shop);
        assertThat(compiled).hasContent("select 'view' as kind, 'ana' as owner");

        // The properties file changes, not the model: the model is rendered again, not taken from the partial-parse cache.
        Files.writeString(properties, Files.readString(properties).replace("view", "table"));
        Cli.age(shop);
        compile(shop);
        assertThat(compiled).hasContent("select 'table' as kind, 'ana' as owner");

        // The model changes: the whole project compiles, since the edit alone cannot tell what config.get() answers.
        Files.writeString(model, Files.readString(model).replace(" as owner", " as model_owner"));
        Cli.age(shop);
        compile(shop);
        assertThat(compiled).hasContent("select 'table' as kind, 'ana' as model_owner");
    }

    @Test
    void otherVarsOrAnotherValueOfANamedEnvironmentVariableCompileAgain() throws IOException {
        Path shop = shop();
        Files.writeString(shop.resolve("models/marts/region.sql"), "select '{{ env_var(\"SHOP_REGION\", \"eu\") }}' as region, '{{ var(\"x\", 1) }}' as x\n");
        Cli.age(shop);
        Map<String, String> eu = Map.of("SHOP_REGION", "eu");
        assertThat(Cli.run(eu, "compile", "--project-dir", shop.toString()).out()).doesNotContain(UP_TO_DATE);
        assertThat(Cli.run(eu, "compile", "--project-dir", shop.toString()).out()).contains(UP_TO_DATE);
        assertThat(Cli.run(Map.of("SHOP_REGION", "us"), "compile", "--project-dir", shop.toString()).out()).doesNotContain(UP_TO_DATE);
        assertThat(shop.resolve("target/compiled/shop/models/marts/region.sql")).content().contains("'us' as region");
        assertThat(Cli.run(Map.of("SHOP_REGION", "us"), "compile", "--project-dir", shop.toString(), "--vars", "{x: 2}").out()).doesNotContain(UP_TO_DATE);
        assertThat(shop.resolve("target/compiled/shop/models/marts/region.sql")).content().contains("'2' as x");
    }

    @Test
    void theStampKeepsNoValueOfAnEnvironmentVariableOnlyWhetherItChanged() throws IOException {
        Path shop = shop();
        Files.writeString(shop.resolve("models/marts/token.sql"),
                "select {% if env_var('SHOP_TOKEN', '') != '' %}true{% else %}false{% endif %} as has_token\n");
        Cli.age(shop);
        String secret = "planted-Token-91c2e";
        assertThat(Cli.run(Map.of("SHOP_TOKEN", secret), "compile", "--project-dir", shop.toString()).out()).doesNotContain(UP_TO_DATE);
        assertThat(new String(Files.readAllBytes(shop.resolve("target/compile_stamp.bin")), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("SHOP_TOKEN").doesNotContain(secret);
        assertThat(Cli.run(Map.of("SHOP_TOKEN", secret), "compile", "--project-dir", shop.toString()).out()).contains(UP_TO_DATE);
        assertThat(Cli.run(Map.of("SHOP_TOKEN", secret + "2"), "compile", "--project-dir", shop.toString()).out()).doesNotContain(UP_TO_DATE);
    }

    @Test
    void aTemplateThatReadsTheClockOrNoPartialParseAlwaysCompiles() throws IOException {
        Path shop = shop();
        compile(shop);
        assertThat(compile(shop, "--no-partial-parse").out()).doesNotContain(UP_TO_DATE);
        assertThat(compile(shop).out()).doesNotContain(UP_TO_DATE);

        Files.writeString(shop.resolve("models/marts/stamped.sql"), "select '{{ run_started_at }}' as built_at\n");
        Cli.age(shop);
        compile(shop);
        assertThat(compile(shop).out()).doesNotContain(UP_TO_DATE);
    }
}
