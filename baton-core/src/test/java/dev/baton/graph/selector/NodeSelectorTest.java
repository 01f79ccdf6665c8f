package dev.baton.graph.selector;

import static dev.baton.graph.selector.ShopProject.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.graph.Graph;
import dev.baton.graph.TestNode;
import dev.baton.project.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeSelectorTest {
    private final Graph graph = ShopProject.graph();
    private final NodeSelector selector = NodeSelector.create(graph, SelectorsFile.empty());

    /** Selection without indirect test selection, to look at methods and operators alone. */
    private List<String> direct(String... criteria) {
        return List.copyOf(selector.select(SelectionSpec.of(criteria).withIndirectSelection(IndirectSelection.EMPTY)).nodeIds());
    }

    private List<String> eager(SelectionSpec spec) {
        return List.copyOf(selector.select(spec).nodeIds());
    }

    private static void assertInvalid(Runnable action, String message) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SELECTOR))
                .hasMessage(message);
    }

    @Test
    void theNodesASelectionNamesAreItsCriteriaWithoutMethodsOrGraphOperators() {
        assertThat(SelectionSpec.of("+orders tag:daily", "2+payments+,customers", "@stg_orders config.materialized:table").namedNodes())
                .containsExactly("orders", "payments", "customers", "stg_orders");
    }

    @Test
    void noSelectionMeansEveryEnabledNodeInTopologicalOrder() {
        Selection selection = selector.select(SelectionSpec.all());

        assertThat(selection.nodeIds()).containsExactly(
                "model.utils.calendar", "seed.shop.country_codes", "source.shop.raw.customers", "model.shop.stg_customers",
                "model.shop.customers", "source.shop.raw.orders", "model.shop.stg_orders", "model.shop.orders",
                "model.shop.order_summary", "test.shop.accepted_values_stg_orders_status", "test.shop.assert_positive_totals",
                "test.shop.not_null_orders_id", "test.shop.relationships_orders_customer_id__customers",
                "test.shop.unique_customers_id");
        assertThat(selection.warnings()).isEmpty();
    }

    @Test
    void defaultMethodMatchesNamesQualifiedNamesAndPaths() {
        assertThat(direct("orders")).containsExactlyElementsOf(ids("orders"));
        assertThat(direct("calendar")).containsExactlyElementsOf(ids("calendar"));
        assertThat(direct("shop.staging")).containsExactlyElementsOf(
                ids("stg_customers", "stg_orders", "test:accepted_values_stg_orders_status"));
        assertThat(direct("staging")).containsExactlyElementsOf(direct("shop.staging"));
        assertThat(direct("marts.reporting")).containsExactlyElementsOf(ids("order_summary"));
        assertThat(direct("models/staging")).containsExactlyElementsOf(
                ids("stg_customers", "stg_orders", "test:accepted_values_stg_orders_status"));
        assertThat(direct("orders.sql")).containsExactlyElementsOf(ids("orders"));
        assertThat(direct("legacy")).isEmpty();
    }

    @Test
    void fqnMethodFollowsDbtWildcards() {
        assertThat(direct("fqn:utils.calendar")).containsExactlyElementsOf(ids("calendar"));
        assertThat(direct("*.stg_*")).containsExactlyElementsOf(ids("stg_customers", "stg_orders"));
        assertThat(direct("calend?r")).containsExactlyElementsOf(ids("calendar"));
        assertThat(direct("shop.marts.*")).containsExactlyElementsOf(ids("customers", "orders", "order_summary",
                "test:not_null_orders_id", "test:relationships_orders_customer_id__customers", "test:unique_customers_id"));
        // as in dbt, a wildcard in the first part is matched against the whole dotted name
        assertThat(direct("stg_*")).isEmpty();
        assertThat(direct("fqn:*")).hasSize(12).doesNotContain("source.shop.raw.orders", "model.shop.legacy");
    }

    @Test
    void tagMethod() {
        assertThat(direct("tag:nightly")).containsExactlyElementsOf(ids("customers", "orders"));
        assertThat(direct("tag:p?i")).containsExactlyElementsOf(ids("stg_customers"));
        assertThat(direct("tag:stag*")).containsExactlyElementsOf(ids("stg_customers", "stg_orders"));
    }

    @Test
    void pathMethodTakesFilesFoldersAndGlobs() {
        assertThat(direct("path:models/staging/stg_orders.sql")).containsExactlyElementsOf(ids("stg_orders"));
        assertThat(direct("path:models/marts/reporting/")).containsExactlyElementsOf(ids("order_summary"));
        assertThat(direct("path:./models/marts/reporting")).containsExactlyElementsOf(ids("order_summary"));
        assertThat(direct("path:models/*/stg_*.sql")).containsExactlyElementsOf(ids("stg_customers", "stg_orders"));
        assertThat(direct("path:models/**/order_summary.sql")).containsExactlyElementsOf(ids("order_summary"));
        assertThat(direct("path:models/**/orders.sql")).containsExactlyElementsOf(ids("orders"));
        assertThat(direct("path:seeds")).containsExactlyElementsOf(ids("seed:country_codes"));
        assertThat(direct("path:tests/*.sql")).containsExactlyElementsOf(ids("test:assert_positive_totals"));
        assertThat(direct("path:models/sources.yml")).containsExactlyElementsOf(ids("raw.customers", "raw.orders"));
        assertThat(direct("path:models/stag")).isEmpty();
        assertThat(direct("path:.")).hasSize(14);
    }

    @Test
    void fileMethodMatchesFileNamesWithOrWithoutExtension() {
        assertThat(direct("file:stg_orders")).containsExactlyElementsOf(ids("stg_orders"));
        assertThat(direct("file:stg_*.sql")).containsExactlyElementsOf(ids("stg_customers", "stg_orders"));
    }

    @Test
    void resourceTypeMethod() {
        assertThat(direct("resource_type:seed")).containsExactlyElementsOf(ids("seed:country_codes"));
        assertThat(direct("resource_type:source")).containsExactlyElementsOf(ids("raw.customers", "raw.orders"));
        assertThat(direct("resource_type:test")).hasSize(5);
        assertThat(direct("resource_type:model")).containsExactlyElementsOf(
                ids("calendar", "stg_customers", "customers", "stg_orders", "orders", "order_summary"));
        assertThat(direct("resource_type:snapshot")).isEmpty();
        assertInvalid(() -> direct("resource_type:modle"), "unknown resource type 'modle' in 'resource_type:modle'; did you mean 'model'?");
    }

    @Test
    void configMethodComparesResolvedConfig() {
        assertThat(direct("config.materialized:table")).containsExactlyElementsOf(ids("customers", "orders"));
        assertThat(direct("config.materialized:ephemeral")).containsExactlyElementsOf(ids("order_summary"));
        assertThat(direct("config.materialized:seed")).containsExactlyElementsOf(ids("seed:country_codes"));
        assertThat(direct("config.schema:reporting")).containsExactlyElementsOf(ids("order_summary"));
        assertThat(direct("config.severity:warn")).containsExactlyElementsOf(ids("test:assert_positive_totals"));
        assertThat(direct("config.tags:pii")).containsExactlyElementsOf(ids("stg_customers"));
        assertThat(direct("config.enabled:TRUE")).hasSize(14);
        assertThat(direct("config.meta.owner:finance")).containsExactlyElementsOf(ids("orders"));
        assertThat(direct("config.unique_key:order_id")).containsExactlyElementsOf(ids("orders"));
        assertThat(direct("config.contract.enforced:true")).containsExactlyElementsOf(ids("customers"));
        assertThat(direct("config.alias:anything")).isEmpty();
        assertInvalid(() -> direct("config:table"),
                "selector method 'config' needs a config key after a dot, in 'config:table'; for example 'config.materialized:table'");
    }

    @Test
    void packageSourceAndTestMethods() {
        assertThat(direct("package:utils")).containsExactlyElementsOf(ids("calendar"));
        assertThat(direct("package:sh*")).hasSize(13);
        assertThat(direct("source:raw")).containsExactlyElementsOf(ids("raw.customers", "raw.orders"));
        assertThat(direct("source:raw.orders")).containsExactlyElementsOf(ids("raw.orders"));
        assertThat(direct("source:shop.raw.cust*")).containsExactlyElementsOf(ids("raw.customers"));
        assertThat(direct("test_type:generic")).containsExactlyElementsOf(ids("test:accepted_values_stg_orders_status",
                "test:not_null_orders_id", "test:relationships_orders_customer_id__customers", "test:unique_customers_id"));
        assertThat(direct("test_type:singular")).containsExactlyElementsOf(ids("test:assert_positive_totals"));
        assertThat(direct("test_name:not_null")).containsExactlyElementsOf(ids("test:not_null_orders_id"));
        assertThat(direct("test_name:accepted_*")).containsExactlyElementsOf(ids("test:accepted_values_stg_orders_status"));
        assertInvalid(() -> direct("source:a.b.c.d"), "'source:a.b.c.d' is not a source; write 'source:<source>', "
                + "'source:<source>.<table>' or 'source:<package>.<source>.<table>'");
        assertInvalid(() -> direct("test_type:unit_tests"),
                "unknown test type 'unit_tests' in 'test_type:unit_tests'; use 'test_type:generic' or 'test_type:singular'");
    }

    @Test
    void graphOperators() {
        assertThat(direct("+orders")).containsExactlyElementsOf(ids("raw.customers", "stg_customers", "raw.orders", "stg_orders", "orders"));
        assertThat(direct("1+orders")).containsExactlyElementsOf(ids("stg_customers", "stg_orders", "orders"));
        assertThat(direct("2+order_summary")).containsExactlyElementsOf(ids("stg_customers", "stg_orders", "orders", "order_summary"));
        assertThat(direct("orders+")).containsExactlyElementsOf(ids("orders", "order_summary", "test:assert_positive_totals",
                "test:not_null_orders_id", "test:relationships_orders_customer_id__customers"));
        assertThat(direct("stg_customers+1")).containsExactlyElementsOf(ids("stg_customers", "customers", "orders"));
        assertThat(direct("+customers+")).containsExactlyElementsOf(ids("seed:country_codes", "raw.customers", "stg_customers",
                "customers", "test:relationships_orders_customer_id__customers", "test:unique_customers_id"));
        assertThat(direct("0+orders+0")).containsExactlyElementsOf(ids("orders"));
        assertThat(direct("+tag:nightly,resource_type:source")).containsExactlyElementsOf(ids("raw.customers", "raw.orders"));
    }

    @Test
    void atOperatorAddsTheAncestorsOfAllDescendants() {
        // relationships_orders_customer_id__customers also reads customers, so customers and its parents come along
        assertThat(direct("@stg_orders")).containsExactlyElementsOf(ids("seed:country_codes", "raw.customers", "stg_customers",
                "customers", "raw.orders", "stg_orders", "orders", "order_summary", "test:accepted_values_stg_orders_status",
                "test:assert_positive_totals", "test:not_null_orders_id", "test:relationships_orders_customer_id__customers"));
        assertInvalid(() -> direct("@+orders"),
                "'@' and a '+' prefix cannot be combined in '@+orders'; '@' already includes every ancestor, so drop the '+'");
    }

    @Test
    void spacesAreUnionsAndCommasIntersections() {
        assertThat(direct("orders customers")).containsExactlyElementsOf(ids("customers", "orders"));
        assertThat(direct("orders", "customers")).containsExactlyElementsOf(ids("customers", "orders"));
        assertThat(direct("tag:nightly,config.materialized:table")).containsExactlyElementsOf(ids("customers", "orders"));
        assertThat(direct("+orders,+customers")).containsExactlyElementsOf(ids("raw.customers", "stg_customers"));
        assertThat(direct("stg_orders+,stg_customers+")).containsExactlyElementsOf(
                ids("orders", "order_summary", "test:assert_positive_totals", "test:not_null_orders_id",
                        "test:relationships_orders_customer_id__customers"));
    }

    @Test
    void excludeRemovesNodesAndTheirTests() {
        assertThat(eager(SelectionSpec.of("+orders").withExclude("source:*"))).containsExactlyElementsOf(ids(
                "stg_customers", "stg_orders", "orders", "test:accepted_values_stg_orders_status", "test:assert_positive_totals",
                "test:not_null_orders_id", "test:relationships_orders_customer_id__customers"));
        assertThat(eager(SelectionSpec.of("orders").withExclude("customers"))).containsExactlyElementsOf(
                ids("orders", "test:assert_positive_totals", "test:not_null_orders_id"));
        assertThat(eager(new SelectionSpec(List.of(), List.of("tag:nightly resource_type:source"), Optional.empty())))
                .containsExactlyElementsOf(ids("calendar", "seed:country_codes", "stg_customers", "stg_orders", "order_summary",
                        "test:accepted_values_stg_orders_status"));
    }

    @Test
    void eagerIndirectSelectionAddsTestsOfAnySelectedParent() {
        assertThat(eager(SelectionSpec.of("orders"))).containsExactlyElementsOf(ids("orders", "test:assert_positive_totals",
                "test:not_null_orders_id", "test:relationships_orders_customer_id__customers"));
    }

    @Test
    void cautiousIndirectSelectionWaitsForEveryParent() {
        SelectionSpec orders = SelectionSpec.of("orders").withIndirectSelection(IndirectSelection.CAUTIOUS);
        assertThat(eager(orders)).containsExactlyElementsOf(ids("orders", "test:assert_positive_totals", "test:not_null_orders_id"));

        SelectionSpec both = SelectionSpec.of("orders customers").withIndirectSelection(IndirectSelection.CAUTIOUS);
        assertThat(eager(both)).containsExactlyElementsOf(ids("customers", "orders", "test:assert_positive_totals",
                "test:not_null_orders_id", "test:relationships_orders_customer_id__customers", "test:unique_customers_id"));
    }

    @Test
    void buildableIndirectSelectionAcceptsParentsThatAreAncestors() {
        SelectionSpec orders = SelectionSpec.of("orders").withIndirectSelection(IndirectSelection.BUILDABLE);
        assertThat(eager(orders)).containsExactlyElementsOf(ids("orders", "test:assert_positive_totals", "test:not_null_orders_id"));

        // a test on b and on a, which is upstream of b: buildable lets it in with b alone, cautious does not
        Graph small = Graph.of(List.of(
                TestNode.model("a").build(),
                TestNode.model("b").refs("a").build(),
                TestNode.genericTest("relationships", "relationships_b_a").refs("b", "a").build()));
        NodeSelector smallSelector = NodeSelector.create(small, SelectorsFile.empty());
        assertThat(smallSelector.select(SelectionSpec.of("b").withIndirectSelection(IndirectSelection.BUILDABLE)).nodeIds())
                .containsExactly("model.shop.b", "test.shop.relationships_b_a");
        assertThat(smallSelector.select(SelectionSpec.of("b").withIndirectSelection(IndirectSelection.CAUTIOUS)).nodeIds())
                .containsExactly("model.shop.b");
    }

    @Test
    void emptyIndirectSelectionKeepsOnlyDirectlySelectedTests() {
        assertThat(direct("orders")).containsExactlyElementsOf(ids("orders"));
        assertThat(direct("orders test_name:not_null")).containsExactlyElementsOf(ids("orders", "test:not_null_orders_id"));
    }

    @Test
    void criteriaThatMatchNothingAreWarnings() {
        Selection selection = selector.select(new SelectionSpec(
                List.of("nope orders", "tag:nightly,tag:pii"), List.of("ghost"), Optional.empty()));

        assertThat(selection.nodeIds()).containsExactlyElementsOf(ids("orders", "test:assert_positive_totals",
                "test:not_null_orders_id", "test:relationships_orders_customer_id__customers"));
        assertThat(selection.warnings()).containsExactly(
                "The selection criterion 'nope' does not match any enabled nodes",
                "The selection criterion 'tag:nightly,tag:pii' does not match any enabled nodes",
                "The selection criterion 'ghost' does not match any enabled nodes");
    }

    @Test
    void unknownMethodsSuggestTheClosestOne() {
        assertInvalid(() -> direct("tags:nightly"), "unknown selector method 'tags' in 'tags:nightly'; did you mean 'tag'?");
        assertInvalid(() -> direct("+xyz:model"), "unknown selector method 'xyz' in '+xyz:model'; use one of: "
                + "access, config, exposure, file, fqn, group, metric, package, path, resource_type, result, saved_query, selector, "
                + "semantic_model, source, source_status, state, tag, test_name, test_type, unit_test, version");
        assertInvalid(() -> direct("tag.x:nightly"),
                "selector method 'tag' takes nothing between its name and the colon, in 'tag.x:nightly'; write 'tag:nightly'");
        assertInvalid(() -> direct("tag:"), "the selection criterion 'tag:' has no value; write what to match after 'tag:'");
        assertInvalid(() -> direct("orders,"),
                "empty selection criterion; remove the stray comma or write a node name, such as 'orders' or 'tag:nightly'");
        assertInvalid(() -> direct("exposure:dashboard"), "selector method 'exposure' in 'exposure:dashboard' is not supported by Baton yet");
    }

    @Test
    void stateAndResultNeedAStateStoreUntilOneIsPluggedIn() {
        assertInvalid(() -> direct("state:modified+"), "selector method 'state' in 'state:modified+' needs the state of a previous run,"
                + " which is not available to this command");
        assertInvalid(() -> direct("result:error"), "selector method 'result' in 'result:error' needs the results of a previous run,"
                + " which are not available to this command");

        SelectorMethods withState = SelectorMethods.builtIn().with(SelectorMethod.of("state", call -> {
            assertThat(call.value()).isEqualTo("modified");
            return node -> node.name().equals("stg_orders");
        }));
        NodeSelector stateful = NodeSelector.create(graph, SelectorsFile.empty(), withState);
        assertThat(stateful.select(SelectionSpec.of("state:modified+").withIndirectSelection(IndirectSelection.EMPTY)).nodeIds())
                .containsExactlyElementsOf(ids("stg_orders", "orders", "order_summary", "test:accepted_values_stg_orders_status",
                        "test:assert_positive_totals", "test:not_null_orders_id", "test:relationships_orders_customer_id__customers"));
    }

    @Test
    void unknownIndirectSelectionModeIsAnError() {
        assertInvalid(() -> IndirectSelection.fromLabel("lazy"),
                "unknown indirect selection mode 'lazy'; use one of: eager, cautious, buildable, empty");
    }

    @Test
    void selectsInALargeGraphQuickly() {
        List<Node> nodes = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            TestNode node = TestNode.model(String.format("m%06d", i)).tags(i % 10 == 0 ? "tenth" : "other");
            for (int edge = 0; edge < 2 && i > 0; edge++) {
                node.refs(String.format("m%06d", random.nextInt(i)));
            }
            nodes.add(node.build());
        }
        NodeSelector large = NodeSelector.create(Graph.of(nodes), SelectorsFile.empty());

        SelectionSpec spec = new SelectionSpec(List.of("+m099999 tag:tenth+1"), List.of("m000000"), Optional.empty());
        Selection selection = null;
        for (int run = 1; run <= 3; run++) {
            long start = System.nanoTime();
            selection = large.select(spec);
            System.out.println("selection in 100000 nodes, run " + run + ": " + selection.nodeIds().size() + " selected in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
        }

        assertThat(selection.nodeIds()).contains("model.shop.m099999", "model.shop.m000010").doesNotContain("model.shop.m000000");
    }
}
