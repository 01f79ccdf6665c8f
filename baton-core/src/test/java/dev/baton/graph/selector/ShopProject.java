package dev.baton.graph.selector;

import static dev.baton.graph.TestNode.genericTest;
import static dev.baton.graph.TestNode.model;
import static dev.baton.graph.TestNode.seed;
import static dev.baton.graph.TestNode.singularTest;
import static dev.baton.graph.TestNode.source;

import dev.baton.graph.Graph;
import dev.baton.graph.TestNode;
import dev.baton.project.Materialization;
import dev.baton.project.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small project shared by the selection tests.
 *
 * <pre>
 * source raw.orders    -> stg_orders    -> orders -> order_summary (ephemeral, models/marts/reporting)
 * source raw.customers -> stg_customers -> orders
 *                                       -> customers
 * seed country_codes   -> customers
 * tests: accepted_values_stg_orders_status (stg_orders), not_null_orders_id (orders),
 *        assert_positive_totals (singular, orders, severity warn), unique_customers_id (customers),
 *        relationships_orders_customer_id__customers (orders and customers)
 * model utils.calendar (another package); model legacy (disabled)
 * </pre>
 */
final class ShopProject {
    private ShopProject() {}

    static Graph graph() {
        List<TestNode> nodes = List.of(
                source("raw", "orders"),
                source("raw", "customers"),
                seed("country_codes"),
                model("stg_orders").path("models/staging/stg_orders.sql").fqn("shop", "staging", "stg_orders")
                        .dependsOn("source.shop.raw.orders").tags("staging"),
                model("stg_customers").path("models/staging/stg_customers.sql").fqn("shop", "staging", "stg_customers")
                        .dependsOn("source.shop.raw.customers").tags("staging", "pii"),
                model("orders").path("models/marts/orders.sql").fqn("shop", "marts", "orders")
                        .refs("stg_orders", "stg_customers").materialized(Materialization.TABLE).tags("nightly")
                        .meta("owner", "finance").config("unique_key", "order_id"),
                model("customers").path("models/marts/customers.sql").fqn("shop", "marts", "customers")
                        .refs("stg_customers").dependsOn("seed.shop.country_codes").materialized(Materialization.TABLE)
                        .tags("nightly").config("contract", Map.of("enforced", true)),
                model("order_summary").path("models/marts/reporting/order_summary.sql")
                        .fqn("shop", "marts", "reporting", "order_summary").refs("orders")
                        .materialized(Materialization.EPHEMERAL).schema("reporting"),
                model("legacy").disabled(),
                model("calendar").packageName("utils").fqn("utils", "calendar"),
                genericTest("accepted_values", "accepted_values_stg_orders_status").path("models/staging/schema.yml")
                        .fqn("shop", "staging", "accepted_values_stg_orders_status").refs("stg_orders"),
                genericTest("not_null", "not_null_orders_id").path("models/marts/schema.yml")
                        .fqn("shop", "marts", "not_null_orders_id").refs("orders"),
                genericTest("unique", "unique_customers_id").path("models/marts/schema.yml")
                        .fqn("shop", "marts", "unique_customers_id").refs("customers"),
                genericTest("relationships", "relationships_orders_customer_id__customers").path("models/marts/schema.yml")
                        .fqn("shop", "marts", "relationships_orders_customer_id__customers").refs("customers", "orders"),
                singularTest("assert_positive_totals").fqn("shop", "assert_positive_totals").refs("orders").severity("WARN"));
        List<Node> built = new ArrayList<>();
        for (TestNode node : nodes) {
            built.add(node.build());
        }
        return Graph.of(built);
    }

    /** Expands short names to unique ids: {@code orders}, {@code seed:country_codes}, {@code raw.orders}, {@code test:not_null_orders_id}. */
    static List<String> ids(String... names) {
        List<String> ids = new ArrayList<>();
        for (String name : names) {
            if (name.startsWith("test:")) {
                ids.add("test.shop." + name.substring(5));
            } else if (name.startsWith("seed:")) {
                ids.add("seed.shop." + name.substring(5));
            } else if (name.startsWith("raw.")) {
                ids.add("source.shop." + name);
            } else if (name.equals("calendar")) {
                ids.add("model.utils.calendar");
            } else {
                ids.add("model.shop." + name);
            }
        }
        return ids;
    }
}
