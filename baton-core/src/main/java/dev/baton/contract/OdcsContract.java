package dev.baton.contract;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One model's data contract as the Open Data Contract Standard (ODCS 3.1) describes it: the schema
 * object of the model with its properties, the quality rules Baton enforces, the SLA and the owner.
 * Two contracts are equal when they say the same thing, wherever they were read from.
 *
 * @param id the contract's id ({@code <project>.<model>})
 * @param model the model's name, the schema object's {@code name}
 * @param version the contract's version ({@code meta.version} of the model)
 * @param status {@code active}, {@code draft}, …
 * @param physicalType {@code table} or {@code view}
 * @param minRows, maxRows a {@code rowCount} quality rule
 * @param sla the {@code slaProperties}, from the model's {@code meta.sla}
 * @param owner the {@code team} name, from the model's {@code meta.owner}
 * @param rules the {@code sql} and {@code custom} quality rules, of the schema object or of one property
 */
public record OdcsContract(String id, String model, String version, String status, String description, String physicalName, String physicalType,
        List<Property> properties, OptionalLong minRows, OptionalLong maxRows, List<Sla> sla, Optional<String> owner, List<Rule> rules) {
    public OdcsContract(String id, String model, String version, String status, String description, String physicalName, String physicalType,
            List<Property> properties, OptionalLong minRows, OptionalLong maxRows, List<Sla> sla, Optional<String> owner) {
        this(id, model, version, status, description, physicalName, physicalType, properties, minRows, maxRows, sla, owner, List.of());
    }

    /** The comparisons a {@code type: sql} rule may make of its query's value, as ODCS names them. */
    public static final List<String> COMPARISONS = List.of("mustBe", "mustNotBe", "mustBeGreaterThan", "mustBeGreaterOrEqualTo", "mustBeLessThan",
            "mustBeLessOrEqualTo", "mustBeBetween", "mustNotBeBetween");

    /**
     * A {@code type: sql} rule (its {@code query} returns one value, compared by {@code comparison}
     * with {@code bounds}: one number, two for the between forms) or a {@code type: custom} rule with
     * {@code engine: baton} (its query, the {@code implementation}, returns the failing rows; no comparison).
     *
     * @param property the property the rule is declared on, empty for the schema object
     */
    public record Rule(String type, Optional<String> property, Optional<String> name, String description, String query, String comparison,
            List<java.math.BigDecimal> bounds) {
        public Rule {
            requireNonNull(type, "type is null");
            requireNonNull(property, "property is null");
            requireNonNull(name, "name is null");
            requireNonNull(description, "description is null");
            requireNonNull(query, "query is null");
            requireNonNull(comparison, "comparison is null");
            bounds = List.copyOf(bounds);
        }

        /** The condition the query's value must meet, in SQL over {@code value}: {@code value < 3600}. */
        public String condition(String value) {
            String first = bounds.isEmpty() ? "" : bounds.get(0).toPlainString();
            String second = bounds.size() > 1 ? bounds.get(1).toPlainString() : "";
            return switch (comparison) {
                case "mustBe" -> value + " = " + first;
                case "mustNotBe" -> value + " <> " + first;
                case "mustBeGreaterThan" -> value + " > " + first;
                case "mustBeGreaterOrEqualTo" -> value + " >= " + first;
                case "mustBeLessThan" -> value + " < " + first;
                case "mustBeLessOrEqualTo" -> value + " <= " + first;
                case "mustBeBetween" -> value + " between " + first + " and " + second;
                case "mustNotBeBetween" -> value + " not between " + first + " and " + second;
                default -> throw new IllegalStateException("not a comparison: " + comparison);
            };
        }
    }

    public OdcsContract {
        requireNonNull(id, "id is null");
        requireNonNull(model, "model is null");
        requireNonNull(version, "version is null");
        requireNonNull(status, "status is null");
        requireNonNull(description, "description is null");
        requireNonNull(physicalName, "physicalName is null");
        requireNonNull(physicalType, "physicalType is null");
        properties = List.copyOf(properties);
        requireNonNull(minRows, "minRows is null");
        requireNonNull(maxRows, "maxRows is null");
        sla = List.copyOf(sla);
        requireNonNull(owner, "owner is null");
        rules = List.copyOf(rules);
    }

    /** A column: {@code physicalType} is the SQL type, {@code validValues} an {@code invalidValues} quality rule. */
    public record Property(String name, String description, Optional<String> physicalType, Optional<String> logicalType, boolean required, boolean unique,
            boolean primaryKey, List<String> validValues) {
        public Property {
            requireNonNull(name, "name is null");
            requireNonNull(description, "description is null");
            requireNonNull(physicalType, "physicalType is null");
            requireNonNull(logicalType, "logicalType is null");
            validValues = List.copyOf(validValues);
        }
    }

    /** One {@code slaProperties} entry. */
    public record Sla(String property, String value, Optional<String> unit) {
        public Sla {
            requireNonNull(property, "property is null");
            requireNonNull(value, "value is null");
            requireNonNull(unit, "unit is null");
        }
    }

    /** ODCS's logical type of a SQL type. */
    public static String logicalType(String physicalType) {
        String type = DataTypes.normalize(physicalType);
        if (List.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT").contains(type)) {
            return "integer";
        }
        if (type.equals("DOUBLE") || type.equals("FLOAT") || type.startsWith("DECIMAL(")) {
            return "number";
        }
        if (type.equals("BOOLEAN")) {
            return "boolean";
        }
        if (type.equals("DATE")) {
            return "date";
        }
        if (type.startsWith("TIMESTAMP")) {
            return "timestamp";
        }
        if (type.equals("TIME")) {
            return "time";
        }
        if (type.endsWith("[]") || type.startsWith("LIST")) {
            return "array";
        }
        if (type.startsWith("STRUCT") || type.startsWith("MAP")) {
            return "object";
        }
        return "string";
    }
}
