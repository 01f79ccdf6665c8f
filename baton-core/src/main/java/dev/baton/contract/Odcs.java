package dev.baton.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import dev.baton.api.Suggestions;
import dev.baton.project.ColumnInfo;
import dev.baton.project.Node;
import dev.baton.project.NodeConfig;
import dev.baton.project.Project;
import dev.baton.project.ResourceType;
import dev.baton.yaml.YamlFiles;
import dev.baton.yaml.YamlValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads, writes and applies Open Data Contract Standard 3.1 files: {@code baton contract export}
 * writes one per model; files under {@code contracts/} are validated and enforced on their models.
 */
public final class Odcs {
    public static final String API_VERSION = "v3.1.0";
    private static final Set<String> API_VERSIONS = Set.of("v3.1.0", "v3.0.0", "v3.0.1", "v3.0.2");
    private static final Set<String> TOP_KEYS = Set.of("version", "apiVersion", "kind", "id", "name", "tenant", "tags", "status", "servers", "dataProduct",
            "description", "domain", "schema", "support", "price", "team", "roles", "slaDefaultElement", "slaProperties", "authoritativeDefinitions",
            "customProperties", "contractCreatedTs");
    private static final Set<String> OBJECT_KEYS = Set.of("id", "name", "physicalName", "physicalType", "logicalType", "description", "businessName",
            "authoritativeDefinitions", "tags", "dataGranularityDescription", "properties", "quality", "relationships", "customProperties");
    private static final Set<String> PROPERTY_KEYS = Set.of("id", "name", "physicalName", "physicalType", "logicalType", "logicalTypeOptions", "description",
            "businessName", "required", "unique", "primaryKey", "primaryKeyPosition", "partitioned", "partitionKeyPosition", "classification",
            "encryptedName", "transformSourceObjects", "transformLogic", "transformDescription", "examples", "criticalDataElement", "tags",
            "customProperties", "authoritativeDefinitions", "quality", "items", "properties", "relationships");
    private static final Set<String> QUALITY_KEYS = Set.of("id", "name", "type", "description", "metric", "rule", "arguments", "unit", "mustBe", "mustNotBe",
            "mustBeGreaterThan", "mustBeGreaterOrEqualTo", "mustBeLessThan", "mustBeLessOrEqualTo", "mustBeBetween", "mustNotBeBetween", "dimension",
            "method", "severity", "businessImpact", "query", "engine", "implementation", "customProperties", "tags", "authoritativeDefinitions",
            "schedule", "scheduler", "validValues");
    private static final Set<String> SLA_KEYS = Set.of("id", "property", "value", "valueExt", "unit", "element", "driver", "scheduler", "schedule");
    private static final List<String> LOGICAL_TYPES = List.of("string", "date", "timestamp", "time", "number", "integer", "object", "array", "boolean");
    private static final List<String> STATUSES = List.of("proposed", "draft", "active", "deprecated", "retired");

    private Odcs() {}

    /** A contract read from a file, with where each property was declared. */
    public record Parsed(OdcsContract contract, SourceLocation location, SourceLocation modelLocation, Map<String, SourceLocation> propertyLocations,
            List<SourceLocation> ruleLocations) {}

    // ---------------------------------------------------------------- export

    /** The contract of a model: its declared columns, the constraints and checks on them, its SLA and owner. */
    public static OdcsContract export(Project project, Node model) {
        Map<String, Object> meta = model.config().meta();
        Map<String, Boolean[]> flags = new LinkedHashMap<>();
        Map<String, List<String>> validValues = new LinkedHashMap<>();
        OptionalLong[] rows = {OptionalLong.empty(), OptionalLong.empty()};
        Map<String, Object> contractConfig = model.config().other().get("contract") instanceof Map<?, ?> map ? cast(map) : Map.of();
        if (contractConfig.get("row_count") instanceof Map<?, ?> bounds) {
            rows[0] = number(bounds.get("min_value"));
            rows[1] = number(bounds.get("max_value"));
        }
        for (ColumnInfo column : model.columns()) {
            Boolean[] columnFlags = flags.computeIfAbsent(column.name(), name -> new Boolean[] {false, false, false});
            for (Map<String, Object> constraint : column.constraints()) {
                switch (String.valueOf(constraint.get("type"))) {
                    case "not_null" -> columnFlags[0] = true;
                    case "unique" -> columnFlags[1] = true;
                    case "primary_key" -> columnFlags[2] = true;
                    case "accepted_values" -> validValues.put(column.name(), strings(constraint.get("values")));
                    default -> {
                    }
                }
            }
        }
        for (Node test : project.nodes().values()) {
            if (test.resourceType() != ResourceType.TEST || !test.attachedNode().equals(Optional.of(model.uniqueId())) || test.testMetadata().isEmpty()
                    || !test.config().severity().equals("error")) {
                continue;
            }
            Optional<String> column = test.columnName();
            switch (test.testMetadata().get()) {
                case "not_null" -> column.ifPresent(name -> flags.computeIfAbsent(name, n -> new Boolean[] {false, false, false})[0] = true);
                case "unique" -> column.ifPresent(name -> flags.computeIfAbsent(name, n -> new Boolean[] {false, false, false})[1] = true);
                case "accepted_values" -> column.ifPresent(name -> {
                    flags.computeIfAbsent(name, n -> new Boolean[] {false, false, false});
                    validValues.put(name, strings(test.testArguments().get("values")));
                });
                case "row_count" -> {
                    rows[0] = number(test.testArguments().get("min_value"));
                    rows[1] = number(test.testArguments().get("max_value"));
                }
                default -> {
                }
            }
        }
        List<OdcsContract.Property> properties = new ArrayList<>();
        Map<String, ColumnInfo> columns = new LinkedHashMap<>();
        model.columns().forEach(column -> columns.put(column.name(), column));
        flags.forEach((name, columnFlags) -> {
            ColumnInfo column = columns.get(name);
            Optional<String> type = column == null ? Optional.empty() : column.dataType();
            boolean primaryKey = columnFlags[2];
            properties.add(new OdcsContract.Property(name, column == null ? "" : column.description(), type, type.map(OdcsContract::logicalType),
                    columnFlags[0] || primaryKey, columnFlags[1] || primaryKey, primaryKey, validValues.getOrDefault(name, List.of())));
        });
        List<OdcsContract.Sla> sla = new ArrayList<>();
        Object declared = meta.get("sla");
        if (declared instanceof Map<?, ?> entries) {
            entries.forEach((property, value) -> {
                if (value instanceof Map<?, ?> valued) {
                    sla.add(new OdcsContract.Sla(String.valueOf(property), String.valueOf(valued.get("value")),
                            Optional.ofNullable(valued.get("unit")).map(String::valueOf)));
                } else {
                    sla.add(new OdcsContract.Sla(String.valueOf(property), String.valueOf(value), Optional.empty()));
                }
            });
        } else if (declared != null) {
            sla.add(new OdcsContract.Sla("latency", String.valueOf(declared), Optional.empty()));
        }
        return new OdcsContract(project.name() + "." + model.name(), model.name(), String.valueOf(meta.getOrDefault("version", "1.0.0")),
                String.valueOf(meta.getOrDefault("status", "active")), model.description(), model.relation().orElseThrow().identifier(),
                model.config().materialized().label(), properties, rows[0], rows[1], sla, Optional.ofNullable(meta.get("owner")).map(String::valueOf),
                rules(contractConfig));
    }

    /** The contract as ODCS YAML. */
    public static String write(OdcsContract contract) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("apiVersion", API_VERSION);
        root.put("kind", "DataContract");
        root.put("id", contract.id());
        root.put("name", contract.model());
        root.put("version", contract.version());
        root.put("status", contract.status());
        if (!contract.description().isEmpty()) {
            root.put("description", Map.of("purpose", contract.description()));
        }
        contract.owner().ifPresent(owner -> root.put("team", Map.of("name", owner)));
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("name", contract.model());
        object.put("physicalName", contract.physicalName());
        object.put("physicalType", contract.physicalType());
        object.put("logicalType", "object");
        List<Object> properties = new ArrayList<>();
        for (OdcsContract.Property property : contract.properties()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", property.name());
            property.logicalType().ifPresent(type -> entry.put("logicalType", type));
            property.physicalType().ifPresent(type -> entry.put("physicalType", type));
            if (!property.description().isEmpty()) {
                entry.put("description", property.description());
            }
            entry.put("required", property.required());
            entry.put("unique", property.unique());
            if (property.primaryKey()) {
                entry.put("primaryKey", true);
            }
            List<Object> quality = new ArrayList<>();
            if (!property.validValues().isEmpty()) {
                Map<String, Object> rule = new LinkedHashMap<>();
                rule.put("metric", "invalidValues");
                rule.put("arguments", Map.of("validValues", property.validValues()));
                rule.put("mustBe", 0);
                quality.add(rule);
            }
            contract.rules().stream().filter(rule -> rule.property().equals(Optional.of(property.name()))).forEach(rule -> quality.add(ruleYaml(rule)));
            if (!quality.isEmpty()) {
                entry.put("quality", quality);
            }
            properties.add(entry);
        }
        object.put("properties", properties);
        List<Object> objectQuality = new ArrayList<>();
        if (contract.minRows().isPresent() || contract.maxRows().isPresent()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("metric", "rowCount");
            if (contract.minRows().isPresent() && contract.maxRows().isPresent()) {
                rule.put("mustBeBetween", List.of(contract.minRows().getAsLong(), contract.maxRows().getAsLong()));
            } else if (contract.minRows().isPresent()) {
                rule.put("mustBeGreaterOrEqualTo", contract.minRows().getAsLong());
            } else {
                rule.put("mustBeLessOrEqualTo", contract.maxRows().getAsLong());
            }
            objectQuality.add(rule);
        }
        contract.rules().stream().filter(rule -> rule.property().isEmpty()).forEach(rule -> objectQuality.add(ruleYaml(rule)));
        if (!objectQuality.isEmpty()) {
            object.put("quality", objectQuality);
        }
        root.put("schema", List.of(object));
        if (!contract.sla().isEmpty()) {
            List<Object> sla = new ArrayList<>();
            for (OdcsContract.Sla entry : contract.sla()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("property", entry.property());
                item.put("value", entry.value());
                entry.unit().ifPresent(unit -> item.put("unit", unit));
                sla.add(item);
            }
            root.put("slaProperties", sla);
        }
        try {
            return new ObjectMapper(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build()).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- import

    /** Reads and validates one ODCS file; every mistake names the file and line. */
    public static Parsed read(String text, String file) {
        YamlValue.Mapping root = YamlFiles.parseMapping(text, file);
        checkKeys(root, TOP_KEYS, "an ODCS contract");
        String apiVersion = required(root, "apiVersion", "the ODCS version, such as 'apiVersion: v3.1.0'");
        if (!API_VERSIONS.contains(apiVersion)) {
            throw invalid("'apiVersion' must be one of v3.1.0, v3.0.2, v3.0.1, v3.0.0, not '" + apiVersion + "'", root.keyLocation("apiVersion"));
        }
        String kind = required(root, "kind", "'kind: DataContract'");
        if (!kind.equals("DataContract")) {
            throw invalid("'kind' must be DataContract, not '" + kind + "'", root.keyLocation("kind"));
        }
        String id = required(root, "id", "a unique id of the contract, such as 'shop.orders'");
        String version = required(root, "version", "the contract's version, such as '1.0.0'");
        String status = required(root, "status", "one of " + String.join(", ", STATUSES));
        if (!STATUSES.contains(status)) {
            throw invalid("'status' must be one of " + String.join(", ", STATUSES) + ", not '" + status + "'"
                    + Suggestions.didYouMean(status, STATUSES), root.keyLocation("status"));
        }
        List<YamlValue> objects = root.sequence("schema");
        if (objects.size() != 1) {
            throw invalid("'schema' must list exactly one object, the model the contract is for (it lists " + objects.size() + ")",
                    root.get("schema").map(YamlValue::location).orElse(root.location()));
        }
        YamlValue.Mapping object = mapping(objects.get(0), "a schema object must be a mapping with a name and properties");
        checkKeys(object, OBJECT_KEYS, "a schema object");
        String model = required(object, "name", "the model's name");
        logicalType(object, "object");
        String description = root.mapping("description").flatMap(block -> block.string("purpose")).orElse("");
        Optional<String> owner = root.mapping("team").flatMap(team -> team.string("name"));
        Map<String, SourceLocation> locations = new LinkedHashMap<>();
        List<OdcsContract.Rule> rules = new ArrayList<>();
        List<SourceLocation> ruleLocations = new ArrayList<>();
        List<OdcsContract.Property> properties = new ArrayList<>();
        for (YamlValue item : object.sequence("properties")) {
            YamlValue.Mapping property = mapping(item, "a property must be a mapping with a name");
            checkKeys(property, PROPERTY_KEYS, "a property");
            String name = required(property, "name", "the column's name");
            if (locations.put(name, property.location()) != null) {
                throw invalid("property '" + name + "' is declared twice", property.location());
            }
            Optional<String> logicalType = logicalType(property, null);
            boolean primaryKey = bool(property, "primaryKey");
            boolean required = bool(property, "required") || primaryKey;
            boolean unique = bool(property, "unique") || primaryKey;
            List<String> valid = new ArrayList<>();
            for (YamlValue ruleItem : property.sequence("quality")) {
                YamlValue.Mapping rule = mapping(ruleItem, "a quality rule must be a mapping");
                checkKeys(rule, QUALITY_KEYS, "a quality rule");
                if (queryRule(rule)) {
                    rules.add(rule(rule, Optional.of(name)));
                    ruleLocations.add(rule.location());
                    continue;
                }
                String metric = metric(rule);
                switch (metric) {
                    case "" -> {
                    }
                    case "nullValues" -> {
                        mustBeZero(rule, metric);
                        required = true;
                    }
                    case "duplicateValues" -> {
                        mustBeZero(rule, metric);
                        unique = true;
                    }
                    case "invalidValues" -> {
                        mustBeZero(rule, metric);
                        Object values = rule.mapping("arguments").flatMap(arguments -> arguments.get("validValues")).map(YamlValue::toJava).orElse(null);
                        if (!(values instanceof List<?> list) || list.isEmpty()) {
                            throw invalid("quality rule 'invalidValues' needs 'arguments: {validValues: [...]}'", rule.location());
                        }
                        valid.addAll(strings(values));
                    }
                    default -> throw invalid("quality metric '" + metric + "' on a property is not one Baton enforces; use nullValues, duplicateValues "
                            + "or invalidValues (with mustBe: 0), or 'type: text' for a rule people check", rule.keyLocation("metric"));
                }
            }
            properties.add(new OdcsContract.Property(name, property.string("description").orElse(""), property.string("physicalType"), logicalType,
                    required, unique, primaryKey, valid));
        }
        OptionalLong minRows = OptionalLong.empty();
        OptionalLong maxRows = OptionalLong.empty();
        for (YamlValue ruleItem : object.sequence("quality")) {
            YamlValue.Mapping rule = mapping(ruleItem, "a quality rule must be a mapping");
            checkKeys(rule, QUALITY_KEYS, "a quality rule");
            if (queryRule(rule)) {
                rules.add(rule(rule, Optional.empty()));
                ruleLocations.add(rule.location());
                continue;
            }
            String metric = metric(rule);
            if (metric.isEmpty()) {
                continue;
            }
            if (!metric.equals("rowCount")) {
                throw invalid("quality metric '" + metric + "' on a schema object is not one Baton enforces; use rowCount, or 'type: text'",
                        rule.keyLocation("metric"));
            }
            Optional<YamlValue> between = rule.get("mustBeBetween");
            if (between.isPresent()) {
                if (!(between.get().toJava() instanceof List<?> bounds) || bounds.size() != 2) {
                    throw invalid("'mustBeBetween' must be a list of two numbers, such as [10, 1000]", between.get().location());
                }
                minRows = whole(bounds.get(0), between.get().location());
                maxRows = whole(bounds.get(1), between.get().location());
            }
            if (rule.get("mustBeGreaterOrEqualTo").isPresent()) {
                minRows = whole(rule.get("mustBeGreaterOrEqualTo").get().toJava(), rule.keyLocation("mustBeGreaterOrEqualTo"));
            }
            if (rule.get("mustBeGreaterThan").isPresent()) {
                minRows = OptionalLong.of(whole(rule.get("mustBeGreaterThan").get().toJava(), rule.keyLocation("mustBeGreaterThan")).getAsLong() + 1);
            }
            if (rule.get("mustBeLessOrEqualTo").isPresent()) {
                maxRows = whole(rule.get("mustBeLessOrEqualTo").get().toJava(), rule.keyLocation("mustBeLessOrEqualTo"));
            }
            if (rule.get("mustBeLessThan").isPresent()) {
                maxRows = OptionalLong.of(whole(rule.get("mustBeLessThan").get().toJava(), rule.keyLocation("mustBeLessThan")).getAsLong() - 1);
            }
            if (minRows.isEmpty() && maxRows.isEmpty()) {
                throw invalid("quality rule 'rowCount' needs mustBeBetween, mustBeGreaterThan, mustBeGreaterOrEqualTo, mustBeLessThan or "
                        + "mustBeLessOrEqualTo", rule.location());
            }
        }
        List<OdcsContract.Sla> sla = new ArrayList<>();
        for (YamlValue item : root.sequence("slaProperties")) {
            YamlValue.Mapping entry = mapping(item, "an SLA property must be a mapping with property and value");
            checkKeys(entry, SLA_KEYS, "an SLA property");
            sla.add(new OdcsContract.Sla(required(entry, "property", "what the SLA is about, such as latency"), required(entry, "value", "the SLA's value"),
                    entry.string("unit")));
        }
        OdcsContract contract = new OdcsContract(id, model, version, status, description, object.string("physicalName").orElse(model),
                object.string("physicalType").orElse("table"), properties, minRows, maxRows, sla, owner, rules);
        return new Parsed(contract, root.location(), object.keyLocation("name"), locations, ruleLocations);
    }

    /**
     * The model with the contract applied: its columns, types and constraints become the model's
     * enforced contract, and the SLA, owner and version its {@code meta}.
     */
    public static Node apply(Node model, Parsed parsed) {
        OdcsContract contract = parsed.contract();
        Map<String, ColumnInfo> declared = new LinkedHashMap<>();
        model.columns().forEach(column -> declared.put(column.name(), column));
        List<ColumnInfo> columns = new ArrayList<>();
        for (OdcsContract.Property property : contract.properties()) {
            List<Map<String, Object>> constraints = new ArrayList<>();
            if (property.primaryKey()) {
                constraints.add(Map.of("type", "primary_key"));
            } else {
                if (property.required()) {
                    constraints.add(Map.of("type", "not_null"));
                }
                if (property.unique()) {
                    constraints.add(Map.of("type", "unique"));
                }
            }
            if (!property.validValues().isEmpty()) {
                constraints.add(Map.of("type", "accepted_values", "values", property.validValues()));
            }
            ColumnInfo existing = declared.get(property.name());
            SourceLocation location = parsed.propertyLocations().get(property.name());
            if (property.physicalType().isEmpty()) {
                throw new BatonException(ErrorCode.INVALID_CONTRACT, "property '" + property.name() + "' has no physicalType; Baton enforces the "
                        + "contract on model '" + model.name() + "' and needs the SQL type of every column, such as 'physicalType: integer'", location);
            }
            columns.add(new ColumnInfo(property.name(), property.description().isEmpty() && existing != null ? existing.description() : property.description(),
                    property.physicalType(), existing == null ? Map.of() : existing.meta(), location, existing == null ? List.of() : existing.tags(), constraints));
        }
        Map<String, Object> contractConfig = new LinkedHashMap<>();
        contractConfig.put("enforced", true);
        if (contract.minRows().isPresent() || contract.maxRows().isPresent()) {
            Map<String, Object> bounds = new LinkedHashMap<>();
            contract.minRows().ifPresent(min -> bounds.put("min_value", min));
            contract.maxRows().ifPresent(max -> bounds.put("max_value", max));
            contractConfig.put("row_count", bounds);
        }
        contractConfig.put("odcs", parsed.location().file());
        if (!contract.rules().isEmpty()) {
            List<Object> quality = new ArrayList<>();
            for (int i = 0; i < contract.rules().size(); i++) {
                quality.add(ruleConfig(contract.rules().get(i), parsed.ruleLocations().get(i)));
            }
            contractConfig.put("quality", quality);
        }
        Map<String, Object> other = new LinkedHashMap<>(model.config().other());
        other.put("contract", contractConfig);
        Map<String, Object> meta = new LinkedHashMap<>(model.config().meta());
        meta.put("version", contract.version());
        meta.put("status", contract.status());
        contract.owner().ifPresent(owner -> meta.put("owner", owner));
        if (!contract.sla().isEmpty()) {
            Map<String, Object> sla = new LinkedHashMap<>();
            contract.sla().forEach(entry -> {
                Map<String, Object> value = new LinkedHashMap<>();
                value.put("value", entry.value());
                entry.unit().ifPresent(unit -> value.put("unit", unit));
                sla.put(entry.property(), value);
            });
            meta.put("sla", sla);
        }
        NodeConfig config = model.config();
        NodeConfig applied = new NodeConfig(config.materialized(), config.schema(), config.alias(), config.tags(), config.enabled(), meta, config.severity(),
                config.columnTypes(), other);
        return new Node(model.uniqueId(), model.resourceType(), model.name(), model.packageName(), model.path(), model.location(), model.fqn(), applied,
                model.relation(), model.rawSql(), model.compiledSql(), model.dependsOn(), contract.description().isEmpty() ? model.description()
                        : contract.description(), columns, model.attachedNode(), model.columnName(), model.testMetadata(), model.testArguments(),
                model.incremental());
    }

    /** Applies every contract file to its model; an unknown model is an error at the contract's schema name. */
    public static Map<String, Node> applyAll(Map<String, String> files, Map<String, Node> nodes) {
        Map<String, Node> result = new LinkedHashMap<>(nodes);
        Map<String, String> applied = new LinkedHashMap<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            Parsed parsed = read(file.getValue(), file.getKey());
            String name = parsed.contract().model();
            Node model = result.values().stream().filter(node -> node.resourceType() == ResourceType.MODEL && node.name().equals(name)).findFirst()
                    .orElseThrow(() -> invalid("the contract is for model '" + name + "', which the project does not have"
                            + Suggestions.didYouMean(name, result.values().stream().filter(node -> node.resourceType() == ResourceType.MODEL)
                                    .map(Node::name).toList()), parsed.modelLocation()));
            if (model.isEphemeral()) {
                throw invalid("model '" + name + "' is ephemeral and has no relation to hold to a contract", parsed.modelLocation());
            }
            String previous = applied.put(name, file.getKey());
            if (previous != null) {
                throw invalid("model '" + name + "' already has a contract in " + previous + "; keep one", parsed.modelLocation());
            }
            result.put(model.uniqueId(), apply(model, parsed));
        }
        return result;
    }

    // ---------------------------------------------------------------- sql and custom rules

    private static boolean queryRule(YamlValue.Mapping rule) {
        String type = rule.string("type").orElse("");
        return type.equals("sql") || type.equals("custom");
    }

    /** A {@code type: sql} rule, or a {@code type: custom} rule Baton runs ({@code engine: baton}); any other engine is refused at its line. */
    private static OdcsContract.Rule rule(YamlValue.Mapping rule, Optional<String> property) {
        String type = rule.string("type").orElseThrow();
        Optional<String> name = rule.string("name").or(() -> rule.string("id"));
        String description = rule.string("description").orElse("");
        List<String> comparisons = OdcsContract.COMPARISONS.stream().filter(key -> rule.get(key).isPresent()).toList();
        if (type.equals("custom")) {
            String engine = rule.string("engine").orElseThrow(() -> invalid("a custom quality rule needs 'engine'; Baton runs custom rules with "
                    + "'engine: baton' and 'implementation', a query returning the rows that break the rule", rule.location()));
            if (!engine.equals("baton")) {
                throw invalid("quality rules of type 'custom' with engine '" + engine + "' are not enforced by Baton; it runs custom rules with "
                        + "'engine: baton' (implementation: a query returning the rows that break the rule), 'type: sql' rules (a query and a mustBe… "
                        + "comparison) and library metrics; use 'type: text' for a rule people check", rule.keyLocation("engine"));
            }
            String implementation = rule.string("implementation").filter(text -> !text.isBlank()).orElseThrow(() -> invalid("a custom rule with "
                    + "'engine: baton' needs 'implementation', a query returning the rows that break the rule, such as "
                    + "'select * from ${object} where amount < 0'", rule.location()));
            if (!comparisons.isEmpty()) {
                throw invalid("a custom rule with 'engine: baton' holds when its implementation returns no rows; remove '" + comparisons.get(0) + "'",
                        rule.keyLocation(comparisons.get(0)));
            }
            return new OdcsContract.Rule(type, property, name, description, implementation.strip(), "", List.of());
        }
        String query = rule.string("query").filter(text -> !text.isBlank()).orElseThrow(() -> invalid("a sql quality rule needs 'query', returning "
                + "one value, such as 'select count(*) from ${object} where amount < 0'", rule.location()));
        if (comparisons.size() != 1) {
            throw invalid("a sql quality rule needs exactly one comparison of its query's value (" + String.join(", ", OdcsContract.COMPARISONS) + ")"
                    + (comparisons.isEmpty() ? "" : "; it has " + String.join(", ", comparisons)), rule.location());
        }
        String comparison = comparisons.get(0);
        YamlValue value = rule.get(comparison).orElseThrow();
        List<java.math.BigDecimal> bounds = new ArrayList<>();
        if (comparison.endsWith("Between")) {
            if (!(value.toJava() instanceof List<?> pair) || pair.size() != 2) {
                throw invalid("'" + comparison + "' must be a list of two numbers, such as [10, 1000]", rule.keyLocation(comparison));
            }
            for (Object bound : pair) {
                bounds.add(decimal(bound, comparison, rule.keyLocation(comparison)));
            }
        } else {
            bounds.add(decimal(value.toJava(), comparison, rule.keyLocation(comparison)));
        }
        return new OdcsContract.Rule(type, property, name, description, query.strip(), comparison, bounds);
    }

    private static java.math.BigDecimal decimal(Object value, String key, SourceLocation location) {
        if (value instanceof Number) {
            return new java.math.BigDecimal(String.valueOf(value));
        }
        throw invalid("'" + key + "' must be a number, not '" + value + "'", location);
    }

    /** A rule as the model's contract config keeps it (plain values, with its place). */
    private static Map<String, Object> ruleConfig(OdcsContract.Rule rule, SourceLocation location) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("type", rule.type());
        rule.property().ifPresent(property -> config.put("property", property));
        rule.name().ifPresent(name -> config.put("name", name));
        config.put("description", rule.description());
        config.put("query", rule.query());
        config.put("comparison", rule.comparison());
        config.put("bounds", rule.bounds().stream().map(java.math.BigDecimal::toPlainString).toList());
        config.put("location", location.toString());
        return config;
    }

    /** The rules a model's contract config keeps, as {@link #ruleConfig} wrote them. */
    static List<OdcsContract.Rule> rules(Map<String, Object> contractConfig) {
        List<OdcsContract.Rule> rules = new ArrayList<>();
        if (contractConfig.get("odcs") != null && contractConfig.get("quality") instanceof List<?> list) {
            for (Object item : list) {
                Map<?, ?> config = (Map<?, ?>) item;
                rules.add(new OdcsContract.Rule(String.valueOf(config.get("type")), Optional.ofNullable(config.get("property")).map(String::valueOf),
                        Optional.ofNullable(config.get("name")).map(String::valueOf), String.valueOf(config.get("description")),
                        String.valueOf(config.get("query")), String.valueOf(config.get("comparison")),
                        strings(config.get("bounds")).stream().map(java.math.BigDecimal::new).toList()));
            }
        }
        return rules;
    }

    private static Map<String, Object> ruleYaml(OdcsContract.Rule rule) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", rule.type());
        rule.name().ifPresent(name -> entry.put("name", name));
        if (!rule.description().isEmpty()) {
            entry.put("description", rule.description());
        }
        if (rule.type().equals("custom")) {
            entry.put("engine", "baton");
            entry.put("implementation", rule.query());
        } else {
            entry.put("query", rule.query());
            entry.put(rule.comparison(), rule.bounds().size() == 1 ? rule.bounds().get(0) : rule.bounds());
        }
        return entry;
    }

    // ---------------------------------------------------------------- helpers

    private static String metric(YamlValue.Mapping rule) {
        String type = rule.string("type").orElse(rule.get("metric").isPresent() || rule.get("rule").isPresent() ? "library" : "");
        if (type.equals("text")) {
            return "";
        }
        if (!type.equals("library")) {
            throw invalid("quality rules of type '" + type + "' are not enforced by Baton; use a library metric, 'type: sql' (a query and a mustBe… "
                    + "comparison), 'type: custom' with 'engine: baton', or 'type: text' for a rule people check", rule.keyLocation("type"));
        }
        return rule.string("metric").or(() -> rule.string("rule")).orElseThrow(() -> invalid("a library quality rule needs 'metric', such as "
                + "'metric: nullValues'", rule.location()));
    }

    private static void mustBeZero(YamlValue.Mapping rule, String metric) {
        Object value = rule.get("mustBe").map(YamlValue::toJava).orElse(null);
        if (!(value instanceof Long number) || number != 0) {
            throw invalid("quality rule '" + metric + "' is enforced with 'mustBe: 0' only", rule.location());
        }
    }

    private static Optional<String> logicalType(YamlValue.Mapping mapping, String expected) {
        Optional<String> type = mapping.string("logicalType");
        if (type.isPresent() && !LOGICAL_TYPES.contains(type.get())) {
            throw invalid("'logicalType' must be one of " + String.join(", ", LOGICAL_TYPES) + ", not '" + type.get() + "'"
                    + Suggestions.didYouMean(type.get(), LOGICAL_TYPES), mapping.keyLocation("logicalType"));
        }
        if (expected != null && type.isPresent() && !type.get().equals(expected)) {
            throw invalid("a schema object's 'logicalType' must be " + expected + ", not '" + type.get() + "'", mapping.keyLocation("logicalType"));
        }
        return type;
    }

    private static boolean bool(YamlValue.Mapping mapping, String key) {
        Optional<YamlValue> value = mapping.get(key);
        if (value.isEmpty()) {
            return false;
        }
        if (value.get().toJava() instanceof Boolean flag) {
            return flag;
        }
        throw invalid("'" + key + "' must be true or false, not '" + value.get().toJava() + "'", mapping.keyLocation(key));
    }

    private static String required(YamlValue.Mapping mapping, String key, String meaning) {
        return mapping.string(key).filter(value -> !value.isBlank()).orElseThrow(() -> invalid("missing '" + key + "': " + meaning, mapping.location()));
    }

    private static YamlValue.Mapping mapping(YamlValue value, String message) {
        if (value instanceof YamlValue.Mapping mapping) {
            return mapping;
        }
        throw invalid(message, value.location());
    }

    private static void checkKeys(YamlValue.Mapping mapping, Set<String> allowed, String what) {
        for (String key : mapping.entries().keySet()) {
            if (!allowed.contains(key)) {
                throw invalid("unknown key '" + key + "' in " + what + " (ODCS 3.1)" + Suggestions.didYouMeanOr(key, allowed, "fix the spelling or remove it"),
                        mapping.keyLocation(key));
            }
        }
    }

    private static OptionalLong whole(Object value, SourceLocation location) {
        if (value instanceof Long number) {
            return OptionalLong.of(number);
        }
        throw invalid("a row count must be a whole number, not '" + value + "'", location);
    }

    private static OptionalLong number(Object value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(String.valueOf(value).trim()));
    }

    private static List<String> strings(Object values) {
        List<String> result = new ArrayList<>();
        if (values instanceof List<?> list) {
            list.forEach(value -> result.add(String.valueOf(value)));
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static BatonException invalid(String message, SourceLocation location) {
        return new BatonException(ErrorCode.INVALID_CONTRACT, message, location);
    }
}
