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
public record ModelContract(String modelId, String modelName, List<Column> columns, Map<String, Object> rowCount, List<TableConstraint> tableConstraints,
        List<QualityRule> qualityRules) {
    /** The constraint types a column may declare. */
    public static final List<String> CONSTRAINTS = List.of("not_null", "unique", "primary_key", "accepted_values", "check", "foreign_key");
    /** The constraint types a model may declare in its own {@code constraints:}. */
    public static final List<String> MODEL_CONSTRAINTS = List.of("primary_key", "unique", "not_null", "check", "foreign_key");
    private static final java.util.regex.Pattern REFERENCE = java.util.regex.Pattern.compile(
            "\\s*(ref|source)\\s*\\(\\s*['\"]([^'\"]+)['\"]\\s*(?:,\\s*['\"]([^'\"]+)['\"]\\s*)?(?:,\\s*v(?:ersion)?\\s*=\\s*[^)]*)?\\)\\s*");
    private static final java.util.regex.Pattern PLACE = java.util.regex.Pattern.compile("(.*):(\\d+):(\\d+)");

    public ModelContract {
        requireNonNull(modelId, "modelId is null");
        requireNonNull(modelName, "modelName is null");
        columns = List.copyOf(columns);
        rowCount = Map.copyOf(rowCount);
        tableConstraints = List.copyOf(tableConstraints);
        qualityRules = List.copyOf(qualityRules);
    }

    public ModelContract(String modelId, String modelName, List<Column> columns, Map<String, Object> rowCount) {
        this(modelId, modelName, columns, rowCount, List.of(), List.of());
    }

    /** An ODCS {@code sql} or {@code custom} quality rule of the contract, where it is written, and the model's relation once resolved. */
    public record QualityRule(OdcsContract.Rule rule, SourceLocation location, Optional<String> relation) {
        public QualityRule {
            requireNonNull(rule, "rule is null");
            requireNonNull(location, "location is null");
            requireNonNull(relation, "relation is null");
        }
    }

    /**
     * A constraint over columns of the model: one of its model-level {@code constraints:}, or a
     * column's {@code foreign_key}. A foreign key's relations are known once {@link #resolve} found them.
     *
     * @param to for a foreign key, the referenced relation as written ({@code ref('customers')})
     * @param relation the model's relation as SQL text, once resolved
     * @param parentRelation for a foreign key, the referenced relation as SQL text, once resolved
     */
    public record TableConstraint(String type, List<String> columns, Optional<String> expression, Optional<String> to, List<String> toColumns,
            SourceLocation location, Optional<String> relation, Optional<String> parentRelation) {
        public TableConstraint {
            requireNonNull(type, "type is null");
            columns = List.copyOf(columns);
            requireNonNull(expression, "expression is null");
            requireNonNull(to, "to is null");
            toColumns = List.copyOf(toColumns);
            requireNonNull(location, "location is null");
            requireNonNull(relation, "relation is null");
            requireNonNull(parentRelation, "parentRelation is null");
        }

        String describe() {
            return type.equals("check") ? "(" + expression.orElseThrow() + ")" : "(" + String.join(", ", columns) + ")";
        }
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
        List<TableConstraint> tableConstraints = new ArrayList<>();
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
                if (kind.equals("foreign_key")) {
                    String owner = "constraint 'foreign_key' on column '" + column.name() + "'";
                    tableConstraints.add(foreignKey(owner, List.of(column.name()), constraint, column.location()));
                    continue;
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
        List<String> names = columns.stream().map(Column::name).toList();
        for (TableConstraint constraint : tableConstraints) {
            checkColumns("constraint 'foreign_key' on column '" + constraint.columns().get(0) + "'", constraint, names);
        }
        if (model.config().other().get(dev.baton.project.ModelConstraints.CONFIG_KEY) instanceof List<?> declared) {
            for (Object item : declared) {
                TableConstraint constraint = modelConstraint(model.name(), (Map<?, ?>) item);
                checkColumns("constraint '" + constraint.type() + "' on model '" + model.name() + "'", constraint, names);
                tableConstraints.add(constraint);
            }
        }
        List<QualityRule> rules = new ArrayList<>();
        Map<String, Object> contractConfig = castMap((Map<?, ?>) model.config().other().get("contract"));
        List<OdcsContract.Rule> declaredRules = Odcs.rules(contractConfig);
        List<?> ruleConfigs = declaredRules.isEmpty() ? List.of() : (List<?>) contractConfig.get("quality");  // Odcs.apply wrote both
        for (int i = 0; i < declaredRules.size(); i++) {
            rules.add(new QualityRule(declaredRules.get(i), place(String.valueOf(((Map<?, ?>) ruleConfigs.get(i)).get("location"))), Optional.empty()));
        }
        return Optional.of(new ModelContract(model.uniqueId(), model.name(), columns, rowCount, tableConstraints, rules));
    }

    /** One entry of a model's {@code constraints:}, validated. */
    private static TableConstraint modelConstraint(String modelName, Map<?, ?> definition) {
        SourceLocation at = place(String.valueOf(definition.get(dev.baton.project.ModelConstraints.LOCATION)));
        String kind = String.valueOf(definition.get("type"));
        String owner = "constraint '" + kind + "' on model '" + modelName + "'";
        if (!MODEL_CONSTRAINTS.contains(kind)) {
            throw new BatonException(ErrorCode.INVALID_CONTRACT, "unknown constraint type '" + kind + "' on model '" + modelName + "'"
                    + Suggestions.didYouMeanOr(kind, MODEL_CONSTRAINTS, "the model-level types are " + String.join(", ", MODEL_CONSTRAINTS)), at);
        }
        List<String> columns = strings(definition.get("columns"));
        if (kind.equals("check")) {
            if (definition.get("expression") == null) {
                throw new BatonException(ErrorCode.INVALID_CONTRACT, owner + " needs 'expression', a condition every row meets, such as "
                        + "'amount >= discount'", at);
            }
            return new TableConstraint(kind, columns, Optional.of(String.valueOf(definition.get("expression"))), Optional.empty(), List.of(), at,
                    Optional.empty(), Optional.empty());
        }
        if (columns.isEmpty()) {
            throw new BatonException(ErrorCode.INVALID_CONTRACT, owner + " needs 'columns: [...]', the columns it covers", at);
        }
        if (kind.equals("foreign_key")) {
            return foreignKey(owner, columns, definition, at);
        }
        return new TableConstraint(kind, columns, Optional.empty(), Optional.empty(), List.of(), at, Optional.empty(), Optional.empty());
    }

    private static TableConstraint foreignKey(String owner, List<String> columns, Map<?, ?> definition, SourceLocation at) {
        Object to = definition.get("to");
        List<String> toColumns = strings(definition.get("to_columns"));
        if (to == null || toColumns.isEmpty()) {
            throw new BatonException(ErrorCode.INVALID_CONTRACT, owner + " needs 'to', the referenced relation, and 'to_columns', its columns, "
                    + "such as \"to: ref('customers')\" and 'to_columns: [id]'", at);
        }
        if (!REFERENCE.matcher(String.valueOf(to)).matches()) {
            throw new BatonException(ErrorCode.INVALID_CONTRACT, owner + " has 'to: " + to + "'; write the referenced relation as ref('model') or "
                    + "source('source', 'table')", at);
        }
        if (toColumns.size() != columns.size()) {
            throw new BatonException(ErrorCode.INVALID_CONTRACT, owner + " has " + columns.size() + " column" + (columns.size() == 1 ? "" : "s") + " but "
                    + toColumns.size() + " to_columns; list one referenced column for each", at);
        }
        return new TableConstraint("foreign_key", columns, Optional.empty(), Optional.of(String.valueOf(to).strip()), toColumns, at, Optional.empty(),
                Optional.empty());
    }

    private static void checkColumns(String owner, TableConstraint constraint, List<String> names) {
        for (String column : constraint.columns()) {
            if (names.stream().noneMatch(name -> name.equalsIgnoreCase(column))) {
                throw new BatonException(ErrorCode.INVALID_CONTRACT, owner + " names column '" + column + "', which is not in the contract"
                        + Suggestions.didYouMeanOr(column, names, "its columns are " + String.join(", ", names)), constraint.location());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static List<String> strings(Object value) {
        List<String> result = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> result.add(String.valueOf(item).strip()));
        } else if (value != null) {
            result.add(String.valueOf(value).strip());
        }
        return result;
    }

    private static SourceLocation place(String text) {
        java.util.regex.Matcher matcher = PLACE.matcher(text);
        return matcher.matches() ? new SourceLocation(matcher.group(1), Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)))
                : SourceLocation.ofFile(text);
    }

    /** Every enforced contract's foreign keys must name relations the project has; checked when the project loads. */
    public static void checkReferences(Map<String, Node> nodes) {
        for (Node node : nodes.values()) {
            of(node).ifPresent(contract -> contract.resolve(nodes));
        }
    }

    /** The contract with its relation and the relations its foreign keys reference, as SQL text. */
    public ModelContract resolve(Map<String, Node> nodes) {
        Node model = nodes.get(modelId);
        Optional<String> relation = model == null ? Optional.empty() : model.relation().map(CheckSpec::sql);
        List<TableConstraint> resolved = new ArrayList<>();
        for (TableConstraint constraint : tableConstraints) {
            Optional<String> parent = Optional.empty();
            if (constraint.to().isPresent()) {
                parent = Optional.of(referenced(constraint, nodes));
            }
            resolved.add(new TableConstraint(constraint.type(), constraint.columns(), constraint.expression(), constraint.to(), constraint.toColumns(),
                    constraint.location(), relation, parent));
        }
        List<QualityRule> rules = qualityRules.stream().map(rule -> new QualityRule(rule.rule(), rule.location(), relation)).toList();
        return new ModelContract(modelId, modelName, columns, rowCount, resolved, rules);
    }

    private String referenced(TableConstraint constraint, Map<String, Node> nodes) {
        java.util.regex.Matcher matcher = REFERENCE.matcher(constraint.to().orElseThrow());
        matcher.matches();
        boolean source = matcher.group(1).equals("source");
        String name = source ? matcher.group(2) + "." + matcher.group(3) : matcher.group(3) != null ? matcher.group(3) : matcher.group(2);
        List<String> candidates = new ArrayList<>();
        for (Node node : nodes.values()) {
            boolean kind = source ? node.resourceType() == ResourceType.SOURCE
                    : node.resourceType() == ResourceType.MODEL || node.resourceType() == ResourceType.SEED || node.resourceType() == ResourceType.SNAPSHOT;
            if (!kind || node.relation().isEmpty()) {
                continue;
            }
            String candidate = source ? node.uniqueId().substring(node.uniqueId().indexOf('.', "source.".length()) + 1) : node.name();
            if (candidate.equals(name)) {
                return CheckSpec.sql(node.relation().get());
            }
            candidates.add(candidate);
        }
        throw new BatonException(ErrorCode.INVALID_CONTRACT, "constraint 'foreign_key' on model '" + modelName + "' refers to "
                + constraint.to().orElseThrow() + ", which the project does not have" + Suggestions.didYouMean(name, candidates), constraint.location());
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
        for (int i = 0; i < tableConstraints.size(); i++) {
            TableConstraint constraint = tableConstraints.get(i);
            String name = "contract " + constraint.type() + " on " + modelName + " " + constraint.describe();
            String id = "contract." + modelId + ".constraint" + (i + 1) + "." + constraint.type();
            SourceLocation at = constraint.location();
            switch (constraint.type()) {
                case "primary_key", "not_null" -> {
                    for (String column : constraint.columns()) {
                        checks.add(check(id + ".not_null." + column, name + " (" + column + " not null)", "not_null", Optional.of(column), Map.of(), at));
                    }
                    if (constraint.type().equals("primary_key")) {
                        checks.add(uniqueness(id + ".unique", name + " (unique)", constraint, at));
                    }
                }
                case "unique" -> checks.add(uniqueness(id, name, constraint, at));
                case "check" -> checks.add(check(id, name, "expression_is_true", Optional.empty(), Map.of("expression", constraint.expression().orElseThrow()),
                        at));
                case "foreign_key" -> checks.add(foreignKeyCheck(id, name, constraint));
                default -> throw new IllegalStateException("unknown constraint " + constraint.type());
            }
        }
        for (int i = 0; i < qualityRules.size(); i++) {
            checks.add(ruleCheck("contract." + modelId + ".quality" + (i + 1), qualityRules.get(i)));
        }
        return checks;
    }

    /** The argument of a sql rule's check holding what its value must be ({@code < 3600}), for the failure's message. */
    public static final String MUST_BE = "must_be";

    /**
     * An ODCS rule as a check run alone on the staged relation: a {@code sql} rule returns its value
     * as one failing row when the value breaks the comparison (a NULL value breaks every comparison);
     * a {@code custom} rule's query returns the failing rows itself. {@code ${object}} (or {@code
     * {object}}) names the model's relation, {@code ${property}} the rule's property.
     */
    private CheckSpec ruleCheck(String id, QualityRule declared) {
        OdcsContract.Rule rule = declared.rule();
        String relation = declared.relation().orElseThrow(() -> new IllegalStateException("quality rule of " + modelName + " is not resolved"));
        String query = rule.query().replace("${object}", relation).replace("{object}", relation);
        if (rule.property().isPresent()) {
            query = query.replace("${property}", rule.property().get()).replace("{property}", rule.property().get());
        }
        String name = "contract " + rule.type() + " rule " + rule.name().map(text -> "'" + text + "' ").orElse("") + "on " + modelName
                + rule.property().map(property -> "." + property).orElse("");
        Map<String, Object> arguments = new java.util.LinkedHashMap<>();
        String sql = query;
        if (rule.type().equals("sql")) {
            String condition = rule.condition("value");
            arguments.put(MUST_BE, condition.substring("value ".length()));
            sql = "select value from (\n" + query + "\n) as odcs_rule(value)\nwhere (" + condition + ") is not true";
        }
        return new CheckSpec(id, name, "singular", Optional.empty(), arguments, Optional.empty(), OptionalLong.empty(), Optional.empty(), sql, "error",
                Threshold.ANY, Threshold.ANY, Set.of(), false, Optional.of(declared.location()));
    }

    private static CheckSpec uniqueness(String id, String name, TableConstraint constraint, SourceLocation at) {
        return constraint.columns().size() == 1 ? check(id, name, "unique", Optional.of(constraint.columns().get(0)), Map.of(), at)
                : check(id, name, "unique_combination_of_columns", Optional.empty(), Map.of("combination_of_columns", constraint.columns()), at);
    }

    /** Rows whose key is set but found in no row of the referenced relation, dbt's relationships test over several columns. */
    private static CheckSpec foreignKeyCheck(String id, String name, TableConstraint constraint) {
        String relation = constraint.relation().orElseThrow(() -> new IllegalStateException("foreign key of " + name + " is not resolved"));
        List<String> set = new ArrayList<>();
        List<String> matches = new ArrayList<>();
        for (int i = 0; i < constraint.columns().size(); i++) {
            set.add("child." + constraint.columns().get(i) + " is not null");
            matches.add("parent." + constraint.toColumns().get(i) + " = child." + constraint.columns().get(i));
        }
        String sql = "select child.*\nfrom " + relation + " as child\nwhere " + String.join(" and ", set) + "\n  and not exists (select 1 from "
                + constraint.parentRelation().orElseThrow() + " as parent where " + String.join(" and ", matches) + ")";
        return new CheckSpec(id, name, "singular", Optional.empty(), Map.of(), Optional.empty(), OptionalLong.empty(), Optional.empty(), sql, "error",
                Threshold.ANY, Threshold.ANY, Set.of(), false, Optional.of(constraint.location()));
    }

    private CheckSpec rowCountCheck() {
        return new CheckSpec("contract." + modelId + ".row_count", "contract row_count of " + modelName, "row_count", Optional.empty(), rowCount,
                Optional.empty(), OptionalLong.empty(), Optional.empty(), "", "error", Threshold.ANY, Threshold.ANY, Set.of(), false,
                Optional.of(columns.get(0).location()));
    }

    private static CheckSpec check(String id, String name, String kind, Optional<String> column, Map<String, Object> arguments, Column declared) {
        return check(id, name, kind, column, arguments, declared.location());
    }

    private static CheckSpec check(String id, String name, String kind, Optional<String> column, Map<String, Object> arguments, SourceLocation at) {
        return new CheckSpec(id, name, kind, column, arguments, Optional.empty(), OptionalLong.empty(), Optional.empty(), "", "error", Threshold.ANY,
                Threshold.ANY, Set.of(), false, Optional.of(at));
    }
}
