package dev.baton.graph.selector;

import static dev.baton.graph.selector.ShopProject.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.graph.Graph;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class YamlSelectorsTest {
    private static final String SELECTORS = """
            selectors:
              - name: nightly_string
                description: CLI-style string
                definition: 'tag:nightly'
              - name: cli_union
                definition: 'orders customers,config.materialized:table'
              - name: key_value
                definition:
                  tag: staging
              - name: full_parents
                definition:
                  method: fqn
                  value: orders
                  parents: true
                  parents_depth: 1
                  indirect_selection: empty
              - name: full_children
                definition:
                  method: config.materialized
                  value: view
                  children: true
                  children_depth: 1
                  indirect_selection: cautious
              - name: childrens_parents
                definition:
                  method: fqn
                  value: stg_orders
                  childrens_parents: true
              - name: union_with_exclude
                default: true
                definition:
                  union:
                    - 'tag:nightly'
                    - method: source
                      value: raw
                    - exclude:
                        - customers
                        - 'source:raw.customers'
              - name: intersection_with_exclude
                definition:
                  intersection:
                    - 'tag:nightly'
                    - config.materialized: table
                    - method: fqn
                      value: '*'
                      exclude:
                        - customers
              - name: inherits
                definition:
                  union:
                    - method: selector
                      value: key_value
                    - 'selector:nightly_string'
              - name: empty_result
                definition: 'tag:nope'
            """;

    private final Graph graph = ShopProject.graph();
    private final NodeSelector selector = NodeSelector.create(graph, SelectorsFile.parse(SELECTORS, "selectors.yml"));

    private List<String> select(String name) {
        return List.copyOf(selector.select(SelectionSpec.selector(name)).nodeIds());
    }

    private static void assertInvalid(String yaml, String message) {
        assertThatThrownBy(() -> NodeSelector.create(ShopProject.graph(), SelectorsFile.parse(yaml, "selectors.yml")))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SELECTOR))
                .hasMessage(message);
    }

    @Test
    void listsSelectorsWithDescriptionsAndTheDefault() {
        SelectorsFile file = SelectorsFile.parse(SELECTORS, "selectors.yml");
        assertThat(file.names()).startsWith("nightly_string", "cli_union", "key_value").hasSize(10);
        assertThat(file.description("nightly_string")).contains("CLI-style string");
        assertThat(file.defaultSelector()).contains("union_with_exclude");
        assertThat(SelectorsFile.empty().names()).isEmpty();
        assertThat(SelectorsFile.parse("", "selectors.yml").names()).isEmpty();
    }

    @Test
    void cliStyleStringDefinitions() {
        assertThat(select("nightly_string")).containsExactlyElementsOf(ids("customers", "orders", "test:assert_positive_totals",
                "test:not_null_orders_id", "test:relationships_orders_customer_id__customers", "test:unique_customers_id"));
        assertThat(select("cli_union")).containsExactlyElementsOf(select("nightly_string"));
    }

    @Test
    void keyValueDefinition() {
        assertThat(select("key_value")).containsExactlyElementsOf(
                ids("stg_customers", "stg_orders", "test:accepted_values_stg_orders_status"));
    }

    @Test
    void fullDefinitionsWithGraphOperatorKeys() {
        assertThat(select("full_parents")).containsExactlyElementsOf(ids("stg_customers", "stg_orders", "orders"));
        // cautious: relationships reads customers and orders, both selected; assert_positive_totals reads orders only
        assertThat(select("full_children")).containsExactlyElementsOf(ids("calendar", "stg_customers", "customers", "stg_orders",
                "orders", "test:accepted_values_stg_orders_status", "test:assert_positive_totals", "test:not_null_orders_id",
                "test:relationships_orders_customer_id__customers", "test:unique_customers_id"));
        assertThat(select("childrens_parents")).containsExactlyElementsOf(ids("seed:country_codes", "raw.customers", "stg_customers",
                "customers", "raw.orders", "stg_orders", "orders", "order_summary", "test:accepted_values_stg_orders_status",
                "test:assert_positive_totals", "test:not_null_orders_id", "test:relationships_orders_customer_id__customers",
                "test:unique_customers_id"));
    }

    @Test
    void unionAndIntersectionWithExclude() {
        assertThat(select("union_with_exclude")).containsExactlyElementsOf(
                ids("raw.orders", "orders", "test:assert_positive_totals", "test:not_null_orders_id"));
        assertThat(select("intersection_with_exclude")).containsExactlyElementsOf(
                ids("orders", "test:assert_positive_totals", "test:not_null_orders_id"));
    }

    @Test
    void selectorsCanUseOtherSelectors() {
        assertThat(select("inherits")).containsExactlyElementsOf(ids("stg_customers", "customers", "stg_orders", "orders",
                "test:accepted_values_stg_orders_status", "test:assert_positive_totals", "test:not_null_orders_id",
                "test:relationships_orders_customer_id__customers", "test:unique_customers_id"));
        assertThat(selector.select(SelectionSpec.of("selector:key_value")).nodeIds()).containsExactlyElementsOf(select("key_value"));
    }

    @Test
    void theDefaultSelectorAppliesWhenNothingIsSelected() {
        assertThat(selector.select(SelectionSpec.all()).nodeIds()).containsExactlyElementsOf(select("union_with_exclude"));
        assertThat(selector.select(new SelectionSpec(List.of(), List.of("orders"), Optional.empty())).nodeIds())
                .hasSize(10).doesNotContain("model.shop.orders");
    }

    @Test
    void aSelectorThatMatchesNothingIsAWarning() {
        Selection selection = selector.select(SelectionSpec.selector("empty_result"));
        assertThat(selection.nodeIds()).isEmpty();
        assertThat(selection.warnings()).containsExactly("The selector 'empty_result' does not match any enabled nodes");
    }

    @Test
    void unknownSelectorNamesTheDefinedOnes() {
        SelectorsFile small = SelectorsFile.parse("selectors:\n  - name: nightly\n    definition: 'tag:nightly'\n"
                + "  - name: daily\n    definition: 'tag:daily'\n", "selectors.yml");
        NodeSelector smallSelector = NodeSelector.create(graph, small);
        assertThatThrownBy(() -> smallSelector.select(SelectionSpec.selector("nightli")))
                .hasMessage("unknown selector 'nightli'; did you mean 'nightly'? (selectors.yml defines: nightly, daily)");
        assertThatThrownBy(() -> smallSelector.select(SelectionSpec.selector("weekly_finance")))
                .hasMessage("unknown selector 'weekly_finance'; selectors.yml defines: nightly, daily");
        assertThatThrownBy(() -> NodeSelector.create(graph, SelectorsFile.empty()).select(SelectionSpec.selector("nightly")))
                .hasMessage("unknown selector 'nightly': the project defines no selectors; define it in selectors.yml at the project root");
        assertThatThrownBy(() -> smallSelector.select(SelectionSpec.selector("nightly").withExclude("orders")))
                .hasMessage("--selector cannot be combined with --select or --exclude; add the extra criteria to selector 'nightly'"
                        + " in selectors.yml, or drop --selector");
    }

    @Test
    void definitionErrorsPointAtSelectorsYml() {
        assertInvalid("""
                selectors:
                  - name: broken
                    definition: 'tags:nightly'
                """, "selectors.yml:3:17: unknown selector method 'tags' in 'tags:nightly'; did you mean 'tag'?");
        assertInvalid("""
                selectors:
                  - name: broken
                    definition:
                      method: tag
                      value: nightly
                      parent: true
                """, "selectors.yml:6:7: unknown key 'parent' in a selector definition; did you mean 'parents'?");
        assertInvalid("""
                selectors:
                  - name: broken
                    definition:
                      method: tag
                      value: nightly
                      parents: sometimes
                """, "selectors.yml:6:16: 'parents' must be true or false, not 'sometimes'");
        assertInvalid("""
                selectors:
                  - name: broken
                    definition:
                      union:
                        - 'tag:a'
                        - exclude: ['tag:b']
                        - exclude: ['tag:c']
                """, "selectors.yml:7:11: only one 'exclude' is allowed in a union; put all exclusions into one list");
        assertInvalid("""
                selectors:
                  - name: broken
                    definition:
                      tag: nightly
                      package: shop
                """, "selectors.yml:4:7: expected one 'method: value' pair, or the keys 'method' and 'value'; found: tag, package");
        assertInvalid("""
                selectors:
                  - name: broken
                    definition:
                      method: fqn
                      value: orders
                      childrens_parents: true
                      parents: true
                """, "selectors.yml:6:7: 'childrens_parents' cannot be combined with 'parents' or 'children'; it already includes both");
        assertInvalid("""
                selectors:
                  - name: broken
                    definition:
                      method: fqn
                      value: orders
                      indirect_selection: lazy
                """, "selectors.yml:6:27: unknown indirect selection mode 'lazy'; use one of: eager, cautious, buildable, empty");
    }

    @Test
    void fileShapeErrorsPointAtSelectorsYml() {
        assertInvalid("""
                selectors:
                  - name: a
                    definition: 'tag:a'
                  - name: a
                    definition: 'tag:b'
                """, "selectors.yml:4:5: selector 'a' is defined twice, first at selectors.yml:2:5; rename one of them");
        assertInvalid("""
                selectors:
                  - name: a
                    default: true
                    definition: 'tag:a'
                  - name: b
                    default: true
                    definition: 'tag:b'
                """, "selectors.yml:5:5: selectors 'a' and 'b' are both marked 'default: true'; keep it on one of them");
        assertInvalid("""
                selectors:
                  - name: a
                    defintion: 'tag:a'
                """, "selectors.yml:3:5: unknown key 'defintion' in a selector; did you mean 'definition'?");
        assertInvalid("""
                selectors:
                  - name: a
                """, "selectors.yml:2:5: selector 'a' has no 'definition'; add one, such as \"definition: 'tag:nightly'\"");
        assertInvalid("""
                selector:
                  - name: a
                """, "selectors.yml:1:1: unknown key 'selector' at the top of selectors.yml; did you mean 'selectors'?");
    }

    @Test
    void selectorsThatReferToThemselvesAreAnError() {
        assertInvalid("""
                selectors:
                  - name: a
                    definition:
                      method: selector
                      value: b
                  - name: b
                    definition: 'selector:a'
                """, "selectors.yml:2:5: selector 'a' refers to itself: a -> b -> a; remove one of these references");
    }
}
