package dev.baton.contract;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import dev.baton.api.Suggestions;
import dev.baton.check.CheckSpec;
import dev.baton.check.Threshold;
import dev.baton.project.ColumnInfo;
import dev.baton.project.Node;
import dev.baton.project.ResourceType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The enforced contract of a model ({@code contract: {enforced: true}}): every column with its
 * {@code data_type} and constraints. A build checks it against the staged relation before publishing.
 */
public record ModelContract(String modelId, String modelName, List<Column> columns, Map<String, Object> rowCount) {
    /** The constraint types a column may declare. */
    public static final List<String> CONSTRAINTS = List.of("not_null", "unique", "primary_key", "accepted_values", "check");

    public ModelContract {
        requireNonNull(modelId, "modelId is null");
        requireNonNull(modelName, "modelName is null");
        columns = List.copyOf(columns);
        rowCount = Map.copyOf(rowCount);
    }

    /** One column of a contract; {@code values} for accepted_values, {@code expression} for check. */
    public record Column(String name, String dataType, List<String> constraints, List<Object> values, Optional<String> expression,
            SourceLocation location) {
        public Column {
            requireNonNull(name, "name is null");
            requireNonNull(dataType, "dataType is null");
            constraints = List.copyOf(constraints);
            values = List.copyOf(values);
            requireNonNull(expression, "expression is null");
            requireNonNull(location, "location is null");
        }

        public boolean notNull() {
            return constraints.contains("not_null") || constraints.contains("primary_key");
        }

        public boolean unique() {
            return constraints.contains("unique") || constraints.contains("primary_key");
        }

        public boolean primaryKey() {
            return constraints.contains("primary_key");
        }
    }

    /** Whether a node's config enforces a contract. */
    public static boolean enforced(Node node) {
        return node.resourceType() == ResourceType.MODEL && node.config().other().get("contract") instanceof Map<?, ?> contract
                && (Boolean.TRUE.equals(contract.get("enforced")) || "true".equals(String.valueOf(contract.get("enforced"))));
    }

    /** The contract a model enforces, validated; empty when it enforces none. */
    public static Optional<ModelContract> of(Node model) {
        if (!enforced(model)) {
            return Optional.empty();
        }
        if (model.columns().isEmpty()) {
            throw new BatonException(ErrorCode.INVALID_CONTRACT, "model '" + model.name() + "' enforces a contract but declares no columns; list every "
                    + "column with its data_type under the model's columns: in a properties file", model.location());
        }
        List<Column> columns = new ArrayList<>();
        for (ColumnInfo column : model.columns()) {
            String type = column.dataType().filter(text -> !text.isBlank()).orElseThrow(() -> new BatonException(ErrorCode.INVALID_CONTRACT,
                    "column '" + column.name() + "' of model '" + model.name() + "' has no data_type; an enforced contract needs one for every "
                            + "column, such as 'data_type: integer'", column.location()));
            List<String> constraints = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            Optional<String> expression = Optional.empty();
            for (Map<String, Object> constraint : column.constraints()) {
                String kind = String.valueOf(constraint.get("type"));
                if (!CONSTRAINTS.contains(kind)) {
                    throw new BatonException(ErrorCode.INVALID_CONTRACT, "unknown constraint type '" + kind + "' on column '" + column.name() + "'"
                            + Suggestions.didYouMeanOr(kind, CONSTRAINTS, "the types are " + String.join(", ", CONSTRAINTS)), column.location());
                }
                if (kind.equals("accepted_values")) {
                    if (!(constraint.get("values") instanceof List<?> list) || list.isEmpty()) {
                        throw new BatonException(ErrorCode.INVALID_CONTRACT, "constraint 'accepted_values' on column '" + column.name()
                                + "' needs 'values: [...]', the list of allowed values", column.location());
                    }
                    values.addAll((List<?>) constraint.get("values"));
                }
                if (kind.equals("check")) {
                    if (constraint.get("expression") == null) {
                        throw new BatonException(ErrorCode.INVALID_CONTRACT, "constraint 'check' on column '" + column.name()
                                + "' needs 'expression', a condition every row meets, such as 'amount >= 0'", column.location());
                    }
                    expression = Optional.of(String.valueOf(constraint.get("expression")));
                }
                constraints.add(kind);
            }
            columns.add(new Column(column.name(), type, constraints, values, expression, column.location()));
        }
        Map<String, Object> rowCount = new java.util.LinkedHashMap<>();
        if (((Map<?, ?>) model.config().other().get("contract")).get("row_count") instanceof Map<?, ?> bounds) {
            bounds.forEach((key, value) -> rowCount.put(String.valueOf(key), value));
        }
        return Optional.of(new ModelContract(model.uniqueId(), model.name(), columns, rowCount));
    }

    /** Tests of a model with an enforced contract may only name the contract's columns. */
    public static void checkTests(Collection<Node> nodes, Map<String, Node> byId) {
        for (Node test : nodes) {
            if (test.resourceType() != ResourceType.TEST || test.attachedNode().isEmpty() || test.columnName().isEmpty()) {
                continue;
            }
            Node model = byId.get(test.attachedNode().get());
            if (model == null || !enforced(model)) {
                continue;
            }
            String column = test.columnName().get();
            if (!column.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                continue;
            }
            List<String> names = model.columns().stream().map(ColumnInfo::name).toList();
            if (names.stream().noneMatch(name -> name.equalsIgnoreCase(column))) {
                throw new BatonException(ErrorCode.UNKNOWN_COLUMN, "test '" + test.name() + "' checks column '" + column + "', which is not in the "
                        + "contract of model '" + model.name() + "'" + Suggestions.didYouMeanOr(column, names, "its columns are " + String.join(", ", names)),
                        test.location());
            }
        }
    }

    /** Every difference between the contract and the columns a relation has (name to type), in contract order, then the extra ones. */
    public List<String> differences(Map<String, String> actual) {
        List<String> differences = new ArrayList<>();
        Map<String, String> byLowerName = new java.util.LinkedHashMap<>();
        actual.forEach((name, type) -> byLowerName.put(name.toLowerCase(Locale.ROOT), type));
        Set<String> declared = new java.util.HashSet<>();
        for (Column column : columns) {
            declared.add(column.name().toLowerCase(Locale.ROOT));
            String type = byLowerName.get(column.name().toLowerCase(Locale.ROOT));
            if (type == null) {
                differences.add(column.location() + ": column '" + column.name() + "' (" + column.dataType() + ") is missing from the model's result");
            } else if (!DataTypes.same(column.dataType(), type)) {
                differences.add(column.location() + ": column '" + column.name() + "' has type " + DataTypes.normalize(type) + ", the contract says "
                        + column.dataType() + " (" + DataTypes.normalize(column.dataType()) + "); cast it in the query or change data_type");
            }
        }
        SourceLocation last = columns.get(columns.size() - 1).location();
        actual.forEach((name, type) -> {
            if (!declared.contains(name.toLowerCase(Locale.ROOT))) {
                differences.add(last.file() + ": column '" + name + "' (" + DataTypes.normalize(type) + ") is not in the contract; declare it under "
                        + "columns: or remove it from the query");
            }
        });
        return differences;
    }

    /** The constraints as checks, audited with the model's other checks. */
    public List<CheckSpec> checks() {
        List<CheckSpec> checks = new ArrayList<>();
        if (!rowCount.isEmpty()) {
            checks.add(rowCountCheck());
        }
        for (Column column : columns) {
            for (String constraint : column.constraints()) {
                String name = "contract " + constraint + " on " + modelName + "." + column.name();
                String id = "contract." + modelId + "." + column.name() + "." + constraint;
                switch (constraint) {
                    case "primary_key" -> {
                        checks.add(check(id + ".not_null", name + " (not null)", "not_null", Optional.of(column.name()), Map.of(), column));
                        checks.add(check(id + ".unique", name + " (unique)", "unique", Optional.of(column.name()), Map.of(), column));
                    }
                    case "accepted_values" -> checks.add(check(id, name, "accepted_values", Optional.of(column.name()), Map.of("values", column.values()),
                            column));
                    case "check" -> checks.add(check(id, name, "expression_is_true", Optional.empty(), Map.of("expression", column.expression().orElseThrow()),
                            column));
                    default -> checks.add(check(id, name, constraint, Optional.of(column.name()), Map.of(), column));
                }
            }
        }
        return checks;
    }

    private CheckSpec rowCountCheck() {
        return new CheckSpec("contract." + modelId + ".row_count", "contract row_count of " + modelName, "row_count", Optional.empty(), rowCount,
                Optional.empty(), OptionalLong.empty(), Optional.empty(), "", "error", Threshold.ANY, Threshold.ANY, Set.of(), false,
                Optional.of(columns.get(0).location()));
    }

    private static CheckSpec check(String id, String name, String kind, Optional<String> column, Map<String, Object> arguments, Column declared) {
        return new CheckSpec(id, name, kind, column, arguments, Optional.empty(), OptionalLong.empty(), Optional.empty(), "", "error", Threshold.ANY,
                Threshold.ANY, Set.of(), false, Optional.of(declared.location()));
    }
}
