package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compile after edits to models' SQL renders only the edited models and patches the last
 * compile's outputs; whatever path it takes, it writes what a full compile of the same files writes.
 */
class DeltaCompileTest {
    private static final String ONE_EDITED = "(1 edited model rendered again, the rest kept from the last compile)";
    private static final String UP_TO_DATE = "(nothing changed since the last compile)";
    private static final String CYCLE = "error: models/marts/customers.sql:1: found a dependency cycle: model.shop.customers (models/marts/customers.sql:1)"
            + " -> model.shop.stg_customers (models/staging/stg_customers.sql:1) -> model.shop.customers; each node depends on the next,"
            + " break the cycle by removing one of these ref() or source() calls\n";
    private static final String UNKNOWN = "error: models/staging/stg_customers.sql:7: unknown model 'customer' in ref(); did you mean 'customers'?\n";

    @TempDir
    Path temp;

    private Path shop() {
        return Cli.agedCopy(Cli.example("shop"), temp.resolve("shop"));
    }

    private static String compile(Path project, String... extra) {
        String[] args = Stream.concat(Stream.of("compile", "--project-dir", project.toString()), Stream.of(extra)).toArray(String[]::new);
        Cli.Result result = Cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.out();
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(30)));
    }

    /** Compiles a copy of the project from nothing and checks that every output is what {@code project}'s target holds. */
    private void assertSameAsAFullCompile(Path project) throws IOException {
        Path copy = temp.resolve("full-" + System.nanoTime());
        Cli.copy(project, copy); // without target/
        compile(copy, "--no-partial-parse");
        assertThat(withoutRunIdentity(project)).isEqualTo(withoutRunIdentity(copy));
        byte[] patched = Files.readAllBytes(project.resolve("target/manifest.json"));
        byte[] full = Files.readAllBytes(copy.resolve("target/manifest.json"));
        assertThat(afterMetadata(patched)).as("the manifest after its metadata, byte for byte").isEqualTo(afterMetadata(full));
        assertThat(compiledFiles(project)).isEqualTo(compiledFiles(copy));
    }

    private static JsonNode withoutRunIdentity(Path project) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(project.resolve("target/manifest.json").toFile());
        ((ObjectNode) manifest.get("metadata")).remove(java.util.List.of("generated_at", "invocation_id"));
        return manifest;
    }

    private static String afterMetadata(byte[] manifest) {
        String text = new String(manifest, StandardCharsets.UTF_8);
        return text.substring(text.indexOf(",\"nodes\":{"));
    }

    private static Map<String, String> compiledFiles(Path project) throws IOException {
        Path compiled = project.resolve("target/compiled");
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(compiled)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                if (file.getFileName().toString().equals(".baton-index")) {
                    // A hash per file, in any order; a later line for the same file wins.
                    Map<String, String> hashes = new TreeMap<>();
                    for (String line : text.split("\n")) {
                        hashes.put(line.substring(line.indexOf(' ') + 1), line.substring(0, line.indexOf(' ')));
                    }
                    text = hashes.toString();
                }
                files.put(compiled.relativize(file).toString(), text);
            }
        }
        return files;
    }

    /** What a compile printed after an edit, given the edit's new text. */
    private interface Printed {
        void check(String after, String printed);
    }

    /** Makes each edit {file, old text, new text} in turn, compiles, checks what compile printed, and compares the outputs with a full compile's. */
    private void eachEdit(Path project, Object[][] edits, Printed expected) throws IOException {
        for (Object[] change : edits) {
            edit((Path) change[0], (String) change[1], (String) change[2]);
            expected.check((String) change[2], compile(project));
            assertSameAsAFullCompile(project);
        }
    }

    @Test
    void anEditToAModelsSqlRendersThatModelAloneAndWritesWhatAFullCompileWrites() throws IOException {
        Path shop = shop();
        compile(shop);
        Path payments = shop.resolve("models/staging/stg_payments.sql");
        edit(payments, "    order_id,\n", "    order_id,\n    upper(payment_method) as method_label,\n");
        assertThat(compile(shop)).startsWith("Compiled 6 models and 21 tests to target/compiled in ").contains(ONE_EDITED);
        assertThat(shop.resolve("target/compiled/shop/models/staging/stg_payments.sql")).content().contains("upper(payment_method) as method_label")
                .contains("cast(amount / 100 as decimal(16, 2)) as amount").contains("from \"main\".\"raw_payments\"");
        assertSameAsAFullCompile(shop);

        // Again on the patched outputs, then nothing left to do.
        edit(payments, "as method_label", "as payment_label");
        assertThat(compile(shop)).contains(ONE_EDITED);
        assertSameAsAFullCompile(shop);
        assertThat(compile(shop)).contains(UP_TO_DATE);
    }

    @Test
    void editsToSeveralModelsOneDownstreamOfTheOtherAndAModelReadingThisAreRenderedTogether() throws IOException {
        Path shop = shop();
        compile(shop);
        edit(shop.resolve("models/staging/stg_customers.sql"), "    email,\n", "    lower(email) as email,\n");
        edit(shop.resolve("models/marts/customers.sql"), "from customers\nleft join", "-- built as {{ this }}\nfrom customers\nleft join");
        assertThat(compile(shop)).contains("(2 edited models rendered again, the rest kept from the last compile)");
        assertThat(shop.resolve("target/compiled/shop/models/marts/customers.sql")).content().contains("-- built as \"main\".\"customers\"");
        assertSameAsAFullCompile(shop);
    }

    @Test
    void aModelReadingASourceAndASeedIsRenderedAloneAndEverythingDownstreamFollows() throws IOException {
        Path project = Cli.project(temp.resolve("small"),
                "baton.yml", "name: small\n",
                "seeds/countries.csv", "code,name\nfr,France\n",
                "models/properties.yml", """
                        version: 2
                        sources:
                          - name: app
                            schema: raw
                            tables:
                              - name: events
                        models:
                          - name: events_by_country
                            columns:
                              - name: country
                                tests: [not_null, unique]
                        """,
                "models/events_by_country.sql", "select c.name as country, count(*) as events\nfrom {{ source('app', 'events') }} e\n"
                        + "join {{ ref('countries') }} c on c.code = e.country\ngroup by 1\n",
                "models/top_country.sql", "select * from {{ ref('events_by_country') }} order by events desc limit 1\n",
                "tests/one_top_country.sql", "select count(*) from {{ ref('top_country') }} having count(*) > 1\n");
        Cli.age(project);
        compile(project);
        edit(project.resolve("models/events_by_country.sql"), "count(*) as events", "count(distinct e.id) as events");
        assertThat(compile(project)).startsWith("Compiled 2 models and 3 tests").contains(ONE_EDITED);
        assertThat(project.resolve("target/compiled/small/models/events_by_country.sql")).content()
                .contains("count(distinct e.id) as events\nfrom \"raw\".\"events\" e\njoin \"main\".\"countries\" c");
        assertSameAsAFullCompile(project);
    }

    @Test
    void anEditThatChangesWhatAModelReadsUpdatesItsDependenciesTheParentMapAndTheFingerprintsDownstream() throws IOException {
        Path shop = shop();
        compile(shop);
        Path customers = shop.resolve("models/marts/customers.sql");
        Path stgCustomers = shop.resolve("models/staging/stg_customers.sql");
        // A ref added, refs in another order, a ref replaced by a seed, one removed, and an edit upstream of an edited model.
        eachEdit(shop, new Object[][] {
                {customers, "select * from {{ ref('orders') }}", "select * from {{ ref('orders') }} join {{ ref('stg_orders') }} using (order_id)"},
                {customers, "select * from {{ ref('stg_customers') }}", "select * from {{ ref('stg_payments') }}, {{ ref('stg_customers') }}"},
                {customers, "{{ ref('stg_payments') }}, ", "{{ ref('raw_orders') }}, "},
                {customers, " join {{ ref('stg_orders') }} using (order_id)", ""},
                {stgCustomers, "from {{ ref('raw_customers') }}", "from {{ ref('raw_customers') }} join {{ ref('raw_orders') }} on false"}},
                (after, printed) -> assertThat(printed).as("after %s", after).contains(ONE_EDITED));
        JsonNode manifest = new ObjectMapper().readTree(shop.resolve("target/manifest.json").toFile());
        assertThat(manifest.at("/nodes/model.shop.customers/depends_on/nodes").toString())
                .isEqualTo("[\"seed.shop.raw_orders\",\"model.shop.stg_customers\",\"model.shop.orders\"]");
        assertThat(manifest.at("/parent_map/model.shop.customers").toString())
                .isEqualTo("[\"seed.shop.raw_orders\",\"model.shop.stg_customers\",\"model.shop.orders\"]");
        assertThat(compile(shop)).contains(UP_TO_DATE);
    }

    @Test
    void aNewRefThatMakesACycleOrNamesNoModelIsReportedAsAFullCompileReportsIt() throws IOException {
        Path shop = shop();
        compile(shop);
        Path stgCustomers = shop.resolve("models/staging/stg_customers.sql");
        edit(stgCustomers, "from {{ ref('raw_customers') }}", "from {{ ref('raw_customers') }} join {{ ref('customers') }} using (customer_id)");
        Cli.Result cycle = Cli.run("compile", "--project-dir", shop.toString());
        assertThat(cycle.exitCode()).isEqualTo(2);
        assertThat(cycle.err()).isEqualTo(CYCLE);

        edit(stgCustomers, "{{ ref('customers') }}", "{{ ref('customer') }}");
        Cli.Result unknown = Cli.run("compile", "--project-dir", shop.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo(UNKNOWN);

        edit(stgCustomers, " join {{ ref('customer') }} using (customer_id)", "");
        assertThat(compile(shop)).doesNotContain(UP_TO_DATE);
        assertSameAsAFullCompile(shop);
    }

    @Test
    void anEditThatChangesMoreThanTheSqlCompilesTheWholeProject() throws IOException {
        Path shop = shop();
        compile(shop);
        Path customers = shop.resolve("models/marts/customers.sql");
        // A config() call, a relation named by config(), an ephemeral model, a model reading an ephemeral one.
        eachEdit(shop, new Object[][] {
                {customers, "with customers as (", "{{ config(materialized='view') }}\nwith customers as ("},
                {customers, "{{ config(materialized='view') }}", "{{ config(alias='customer_list') }}"},
                {shop.resolve("models/marts/int_order_payments.sql"), "sum(amount) as amount", "sum(amount) as amount, count(*) as payments"},
                {shop.resolve("models/marts/orders.sql"), "-- Built as", "-- Built (and rebuilt) as"}},
                (after, printed) -> assertThat(printed).as("after %s", after).doesNotContain("rendered again").doesNotContain(UP_TO_DATE));
    }

    @Test
    void aFullCompileAfterAnEditThatWasUndoneWritesTheOriginalSqlAgain() throws IOException {
        Path shop = shop();
        compile(shop);
        Path orders = shop.resolve("models/staging/stg_orders.sql");
        String original = Files.readString(orders);
        edit(orders, "    status\n", "    status,\n    1 as one\n");
        assertThat(compile(shop)).contains(ONE_EDITED);
        Files.writeString(orders, original);
        Files.setLastModifiedTime(orders, FileTime.from(Instant.now().minusSeconds(20)));
        Path properties = shop.resolve("models/staging/_staging.yml");
        Files.writeString(properties, Files.readString(properties) + "\n# reviewed\n");
        Files.setLastModifiedTime(properties, FileTime.from(Instant.now().minusSeconds(20)));
        assertThat(compile(shop)).doesNotContain("rendered again").doesNotContain(UP_TO_DATE);
        assertThat(shop.resolve("target/compiled/shop/models/staging/stg_orders.sql")).content().doesNotContain("1 as one");
        assertSameAsAFullCompile(shop);
    }

    @Test
    void aBuildLeavesWhatItCompiledAsACompileDoesAndPatchesOnlyWhatChanged() throws IOException {
        Path shop = shop();
        build(shop);
        assertThat(compile(shop)).contains(UP_TO_DATE);
        assertSameAsAFullCompile(shop);

        build(shop);
        assertThat(invocationId(shop, "manifest.json")).isEqualTo(invocationId(shop, "run_results.json"));
        assertSameAsAFullCompile(shop);
        assertThat(compile(shop)).contains(UP_TO_DATE);

        // An edit: the build patches what it changed, as a compile does, and a compile after it has nothing to do.
        Path orders = shop.resolve("models/staging/stg_orders.sql");
        edit(orders, "    status\n", "    status,\n    1 as one\n");
        build(shop);
        assertThat(invocationId(shop, "manifest.json")).isEqualTo(invocationId(shop, "run_results.json"));
        assertThat(Files.readString(shop.resolve("target/compiled/.baton-index")).split("models/staging/stg_orders.sql", -1))
                .as("the edit path appends the edited file's hash to the index of compiled files").hasSize(3);
        assertSameAsAFullCompile(shop);
        assertThat(compile(shop)).contains(UP_TO_DATE);

        // A properties file: the build writes everything, and leaves a stamp the edit path reads.
        Path properties = shop.resolve("models/staging/_staging.yml");
        Files.writeString(properties, Files.readString(properties) + "\n# reviewed\n");
        Files.setLastModifiedTime(properties, FileTime.from(Instant.now().minusSeconds(30)));
        build(shop);
        assertSameAsAFullCompile(shop);
        edit(orders, "1 as one", "2 as two");
        assertThat(compile(shop)).contains(ONE_EDITED);
        assertSameAsAFullCompile(shop);
    }

    private static void build(Path project) {
        Cli.Result result = Cli.run("build", "--project-dir", project.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    private static String invocationId(Path project, String artifact) throws IOException {
        return new ObjectMapper().readTree(project.resolve("target").resolve(artifact).toFile()).at("/metadata/invocation_id").asText();
    }

    @Test
    void aTemplateErrorInTheEditIsReportedAtItsLineAsAFullCompileReportsIt() throws IOException {
        Path shop = shop();
        compile(shop);
        edit(shop.resolve("models/staging/stg_orders.sql"), "    status\n", "    status,\n    {{ no_such_macro('x') }} as y\n");
        Cli.Result result = Cli.run("compile", "--project-dir", shop.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("models/staging/stg_orders.sql:6: unknown macro 'no_such_macro'");
    }

    @Test
    void anEditedPropertiesFileOrMacroCompilesTheWholeProject() throws IOException {
        Path shop = shop();
        compile(shop);
        edit(shop.resolve("macros/cents_to_dollars.sql"), "cast({{ column_name }} / 100 as", "cast({{ column_name }} / 100.0 as");
        assertThat(compile(shop)).doesNotContain("rendered again").doesNotContain(UP_TO_DATE);
        assertSameAsAFullCompile(shop);
        Path properties = shop.resolve("models/staging/_staging.yml");
        Files.writeString(properties, Files.readString(properties) + "\n# reviewed\n");
        Files.setLastModifiedTime(properties, FileTime.from(Instant.now().minusSeconds(30)));
        assertThat(compile(shop)).doesNotContain("rendered again").doesNotContain(UP_TO_DATE);
    }
}
