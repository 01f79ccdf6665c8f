package dev.baton.graph.selector;

import static dev.baton.graph.selector.SelectorsFile.invalid;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.Suggestions;
import dev.baton.graph.Graph;
import dev.baton.graph.selector.CriterionParser.Operators;
import dev.baton.graph.selector.SelectionExpression.Difference;
import dev.baton.graph.selector.SelectionExpression.Intersection;
import dev.baton.graph.selector.SelectionExpression.Union;
import dev.baton.yaml.YamlValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns the definitions of selectors.yml into expressions: CLI-style strings, {@code method:
 * value} pairs, full {@code method}/{@code value} mappings with graph operator keys, and
 * {@code union}/{@code intersection} lists that may hold one {@code exclude}. A selector may use
 * another through {@code method: selector} or {@code selector:name}.
 */
final class SelectorDefinitions {
    private static final Set<String> FULL_FORM_KEYS = Set.of(
            "method", "value", "parents", "children", "parents_depth", "children_depth", "childrens_parents", "indirect_selection", "exclude");

    private final SelectorsFile file;
    private final CriterionParser parser;
    private final Map<String, SelectionExpression> compiled = new HashMap<>();
    private final Set<String> resolving = new LinkedHashSet<>();

    SelectorDefinitions(SelectorsFile file, SelectorMethods methods) {
        this.file = file;
        this.parser = new CriterionParser(methods, this::resolve);
        for (SelectorsFile.Definition definition : file.definitions()) {
            resolve(definition.name());
        }
    }

    CriterionParser parser() {
        return parser;
    }

    /** The expression of a named selector; an error naming the defined ones when there is none. */
    SelectionExpression resolve(String name) {
        SelectionExpression done = compiled.get(name);
        if (done != null) {
            return done;
        }
        SelectorsFile.Definition definition = file.definition(name).orElseThrow(() -> unknownSelector(name));
        if (!resolving.add(name)) {
            List<String> chain = new ArrayList<>(resolving);
            chain = chain.subList(chain.indexOf(name), chain.size());
            throw invalid("selector '" + name + "' refers to itself: " + String.join(" -> ", chain) + " -> " + name
                    + "; remove one of these references", definition.location());
        }
        try {
            SelectionExpression expression = fromDefinition(definition.definition(), true);
            compiled.put(name, expression);
            return expression;
        } finally {
            resolving.remove(name);
        }
    }

    private BatonException unknownSelector(String name) {
        List<String> names = file.names();
        if (names.isEmpty()) {
            return new BatonException(ErrorCode.INVALID_SELECTOR,
                    "unknown selector '" + name + "': the project defines no selectors; define it in selectors.yml at the project root");
        }
        String defined = "selectors.yml defines: " + String.join(", ", names);
        return new BatonException(ErrorCode.INVALID_SELECTOR, "unknown selector '" + name + "'"
                + Suggestions.closest(name, names).map(suggestion -> "; did you mean '" + suggestion + "'? (" + defined + ")")
                        .orElse("; " + defined));
    }

    private SelectionExpression fromDefinition(YamlValue value, boolean root) {
        if (value instanceof YamlValue.Scalar scalar && !scalar.isNull()) {
            return located(value, () -> parser.parseArguments(List.of(scalar.text()), false));
        }
        if (!(value instanceof YamlValue.Mapping mapping)) {
            throw invalid("a selector definition must be a string such as 'tag:nightly', a 'method: value' pair, or a mapping "
                    + "with 'union', 'intersection' or 'method' and 'value'", value.location());
        }
        boolean isSetOperation = mapping.get("union").isPresent() || mapping.get("intersection").isPresent();
        if (isSetOperation && mapping.entries().size() > 1) {
            throw invalid("a definition with 'union' or 'intersection' must have no other keys; found: "
                    + String.join(", ", mapping.entries().keySet()) + (root ? "" : "; wrap the others in a list item"), mapping.location());
        }
        if (mapping.get("union").isPresent()) {
            return setOperation(mapping, "union");
        }
        if (mapping.get("intersection").isPresent()) {
            return setOperation(mapping, "intersection");
        }
        return methodDefinition(mapping);
    }

    private SelectionExpression setOperation(YamlValue.Mapping mapping, String operator) {
        List<SelectionExpression> included = new ArrayList<>();
        Optional<SelectionExpression> excluded = Optional.empty();
        for (YamlValue item : mapping.sequence(operator)) {
            if (item instanceof YamlValue.Mapping itemMapping && itemMapping.get("exclude").isPresent() && itemMapping.get("method").isEmpty()) {
                if (excluded.isPresent()) {
                    throw invalid("only one 'exclude' is allowed in a " + operator + "; put all exclusions into one list",
                            itemMapping.keyLocation("exclude"));
                }
                if (itemMapping.entries().size() > 1) {
                    throw invalid("an 'exclude' item must have no other keys", itemMapping.location());
                }
                excluded = Optional.of(exclusions(itemMapping));
            } else {
                included.add(fromDefinition(item, false));
            }
        }
        SelectionExpression combined = operator.equals("union")
                ? new Union(included, Optional.empty())
                : new Intersection(included, Optional.empty());
        return excluded.<SelectionExpression>map(exclude -> new Difference(combined, exclude)).orElse(combined);
    }

    private SelectionExpression exclusions(YamlValue.Mapping mapping) {
        List<SelectionExpression> parts = new ArrayList<>();
        for (YamlValue item : mapping.sequence("exclude")) {
            parts.add(fromDefinition(item, false));
        }
        return parts.size() == 1 ? parts.get(0) : new Union(parts, Optional.empty());
    }

    private SelectionExpression methodDefinition(YamlValue.Mapping mapping) {
        if (mapping.entries().size() == 1 && mapping.get("method").isEmpty() && mapping.get("value").isEmpty()) {
            String key = mapping.entries().keySet().iterator().next();
            if (key.equals("exclude")) {
                throw invalid("'exclude' must be an item of a 'union' or 'intersection' list", mapping.keyLocation(key));
            }
            String value = scalar(mapping, key);
            return located(mapping, () -> parser.criterion(key, value, Operators.NONE, Optional.empty(), key + ":" + value));
        }
        if (mapping.get("method").isEmpty() || mapping.get("value").isEmpty()) {
            throw invalid("expected one 'method: value' pair, or the keys 'method' and 'value'; found: "
                    + String.join(", ", mapping.entries().keySet()), mapping.location());
        }
        SelectorsFile.checkKeys(mapping, FULL_FORM_KEYS, "in a selector definition");
        String method = scalar(mapping, "method");
        String value = scalar(mapping, "value");
        boolean childrensParents = flag(mapping, "childrens_parents");
        boolean parents = flag(mapping, "parents");
        boolean children = flag(mapping, "children");
        if (childrensParents && (parents || children)) {
            throw invalid("'childrens_parents' cannot be combined with 'parents' or 'children'; it already includes both",
                    mapping.keyLocation("childrens_parents"));
        }
        Operators operators = new Operators(
                parents ? depth(mapping, "parents_depth") : 0,
                children ? depth(mapping, "children_depth") : 0,
                childrensParents);
        Optional<IndirectSelection> indirect = mapping.get("indirect_selection")
                .map(mode -> located(mode, () -> IndirectSelection.fromLabel(scalar(mapping, "indirect_selection"))));
        SelectionExpression criterion = located(mapping,
                () -> parser.criterion(method, value, operators, indirect, method + ":" + value));
        if (mapping.get("exclude").isPresent()) {
            return new Difference(criterion, exclusions(mapping));
        }
        return criterion;
    }

    private static String scalar(YamlValue.Mapping mapping, String key) {
        YamlValue value = mapping.get(key).orElseThrow();
        if (!(value instanceof YamlValue.Scalar scalar) || scalar.isNull()) {
            throw invalid("'" + key + "' must be a single value", value.location());
        }
        return scalar.text();
    }

    private static boolean flag(YamlValue.Mapping mapping, String key) {
        if (mapping.get(key).isEmpty()) {
            return false;
        }
        Object value = mapping.get(key).get().toJava();
        if (!(value instanceof Boolean flag)) {
            throw invalid("'" + key + "' must be true or false, not '" + value + "'", mapping.get(key).get().location());
        }
        return flag;
    }

    private static int depth(YamlValue.Mapping mapping, String key) {
        if (mapping.get(key).isEmpty()) {
            return Graph.UNLIMITED;
        }
        Object value = mapping.get(key).get().toJava();
        if (!(value instanceof Long depth) || depth < 0 || depth > Integer.MAX_VALUE) {
            throw invalid("'" + key + "' must be a whole number of steps, not '" + value + "'", mapping.get(key).get().location());
        }
        return depth.intValue();
    }

    /** Runs a step that may fail without a location, and points the failure at the YAML that caused it. */
    private static <T> T located(YamlValue value, Supplier<T> step) {
        try {
            return step.get();
        } catch (BatonException e) {
            if (e.location().isPresent()) {
                throw e;
            }
            throw new BatonException(e.errorCode(), e.detail(), Optional.of(value.location()), e);
        }
    }
}
