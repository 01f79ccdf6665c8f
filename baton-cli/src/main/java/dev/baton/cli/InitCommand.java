package dev.baton.cli;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "init", mixinStandardHelpOptions = true, description = "Create a new project that builds and passes its tests at once.")
final class InitCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The project's name and folder (letters, digits and underscores).")
    String name;

    @picocli.CommandLine.Option(names = "--parent-dir", paramLabel = "DIR", defaultValue = ".", description = "Where to create the project folder (default: here).")
    Path parentDir;

    InitCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "project name '" + name
                    + "' must contain only letters, digits and underscores, starting with a letter; try '" + name.replaceAll("[^A-Za-z0-9_]", "_") + "'");
        }
        Path root = parentDir.resolve(name);
        if (Files.exists(root)) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "folder '" + root + "' already exists; pick another name or remove it");
        }
        try {
            for (Map.Entry<String, String> file : files().entrySet()) {
                Path path = root.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue().replace("PROJECT_NAME", name));
            }
        } catch (IOException e) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "cannot create project folder '" + name + "': " + e.getMessage());
        }
        context.out().println("Created project '" + name + "'. Next:");
        context.out().println("  cd " + root + " && baton build");
        return 0;
    }

    private static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("baton.yml", """
                name: PROJECT_NAME
                version: "1.0.0"

                # Where Baton builds. The default is an embedded DuckDB file under target/.
                target: dev
                targets:
                  dev:
                    type: duckdb
                    path: target/PROJECT_NAME.duckdb
                    schema: main

                models:
                  PROJECT_NAME:
                    staging:
                      +materialized: view
                    marts:
                      +materialized: table
                """);
        files.put("seeds/raw_customers.csv", """
                id,name,signed_up_at
                1,Ada,2024-01-03
                2,Grace,2024-02-11
                3,Linus,2024-03-29
                """);
        files.put("seeds/raw_orders.csv", """
                id,customer_id,amount_cents,status
                1,1,1250,completed
                2,1,800,completed
                3,2,4300,shipped
                4,3,99,placed
                """);
        files.put("macros/cents_to_dollars.sql", """
                {% macro cents_to_dollars(column) -%}
                    round({{ column }} / 100.0, 2)
                {%- endmacro %}
                """);
        files.put("models/staging/stg_customers.sql", """
                select id as customer_id, name, cast(signed_up_at as date) as signed_up_on
                from {{ ref('raw_customers') }}
                """);
        files.put("models/staging/stg_orders.sql", """
                select id as order_id, customer_id, {{ cents_to_dollars('amount_cents') }} as amount, status
                from {{ ref('raw_orders') }}
                """);
        files.put("models/marts/customers.sql", """
                select
                    c.customer_id,
                    c.name,
                    count(o.order_id) as orders,
                    coalesce(sum(o.amount), 0) as lifetime_value
                from {{ ref('stg_customers') }} c
                left join {{ ref('stg_orders') }} o using (customer_id)
                group by 1, 2
                """);
        files.put("models/schema.yml", """
                version: 2
                models:
                  - name: stg_orders
                    columns:
                      - name: order_id
                        data_tests: [unique, not_null]
                      - name: status
                        data_tests:
                          - accepted_values:
                              values: [placed, shipped, completed, returned]
                      - name: customer_id
                        data_tests:
                          - relationships:
                              to: ref('stg_customers')
                              field: customer_id
                  - name: customers
                    description: One row per customer with their order totals.
                    meta:
                      owner: data-team@example.com
                      tier: 2
                    columns:
                      - name: customer_id
                        data_tests: [unique, not_null]
                """);
        files.put("tests/assert_no_negative_lifetime_value.sql", """
                select * from {{ ref('customers') }} where lifetime_value < 0
                """);
        files.put(".gitignore", """
                target/
                .baton/
                """);
        return files;
    }
}
