package dev.baton.graph.selector;

import static dev.baton.graph.selector.BuiltInMethods.invalid;

import dev.baton.api.Suggestions;
import dev.baton.graph.Graph;
import dev.baton.graph.selector.SelectionExpression.Criterion;
import dev.baton.graph.selector.SelectionExpression.Intersection;
import dev.baton.graph.selector.SelectionExpression.Union;
import dev.baton.project.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads dbt's command-line selection syntax: {@code "+tag:nightly,path:models/marts 2+orders"}. */
final class CriterionParser {
    /** dbt's grammar of one criterion: {@code [@][n+][method:]value[+n]}. */
    private static final Pattern CRITERION = Pattern.compile(
            "(?<childrensParents>@)?(?<parents>(?<parentsDepth>\\d*)\\+)?(?:(?<method>[\\w.]+):)?(?<value>.*?)(?<children>\\+(?<childrenDepth>\\d*))?",
            Pattern.DOTALL);
    private static final String SELECTOR_METHOD = "selector";

    /** The shape of a criterion's graph operators, as read from the text or from selectors.yml. */
    record Operators(int parentsDepth, int childrenDepth, boolean childrensParents) {
        static final Operators NONE = new Operators(0, 0, false);

        boolean any() {
            return parentsDepth > 0 || childrenDepth > 0 || childrensParents;
        }
    }

    private final SelectorMethods methods;
    private final Function<String, SelectionExpression> namedSelectors;

    CriterionParser(SelectorMethods methods, Function<String, SelectionExpression> namedSelectors) {
        this.methods = methods;
        this.namedSelectors = namedSelectors;
    }

    /**
     * Reads {@code --select} or {@code --exclude} arguments: every space-separated word is one
     * part of a union, and commas within a word join an intersection.
     *
     * @param warnWhenEmpty whether each word should warn when it matches nothing
     */
    SelectionExpression parseArguments(List<String> arguments, boolean warnWhenEmpty) {
        List<SelectionExpression> words = new ArrayList<>();
        for (String word : words(arguments)) {
            List<SelectionExpression> parts = new ArrayList<>();
            for (String part : word.split(",", -1)) {
                parts.add(parseCriterion(part));
            }
            words.add(new Intersection(parts, warnWhenEmpty ? Optional.of(word) : Optional.empty()));
        }
        return new Union(words, Optional.empty());
    }

    /** The space-separated words of {@code --select} or {@code --exclude} arguments. */
    private static List<String> words(List<String> arguments) {
        List<String> words = new ArrayList<>();
        for (String argument : arguments) {
            for (String word : argument.trim().split("\\s+")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        return words;
    }

    /**
     * The values of the criteria in {@code arguments} that name no method, without their graph
     * operators: {@code +orders}, {@code 2+orders+} and {@code @orders} give {@code orders};
     * {@code tag:daily} gives nothing.
     */
    static java.util.Set<String> plainValues(List<String> arguments) {
        java.util.Set<String> values = new java.util.LinkedHashSet<>();
        for (String word : words(arguments)) {
            for (String part : word.split(",", -1)) {
                Matcher matcher = CRITERION.matcher(part);
                if (matcher.matches() && matcher.group("method") == null && !matcher.group("value").isEmpty()) {
                    values.add(matcher.group("value"));
                }
            }
        }
        return values;
    }

    /** Reads one criterion with its graph operators, such as {@code 2+config.materialized:table+}. */
    SelectionExpression parseCriterion(String raw) {
        if (raw.isEmpty()) {
            throw invalid("empty selection criterion; remove the stray comma or write a node name, such as 'orders' or 'tag:nightly'");
        }
        Matcher matcher = CRITERION.matcher(raw);
        if (!matcher.matches()) {
            throw invalid("cannot read the selection criterion '" + raw + "'");
        }
        boolean childrensParents = matcher.group("childrensParents") != null;
        if (childrensParents && matcher.group("parents") != null) {
            throw invalid("'@' and a '+' prefix cannot be combined in '" + raw + "'; '@' already includes every ancestor, so drop the '+'");
        }
        Operators operators = new Operators(
                depth(matcher.group("parents"), matcher.group("parentsDepth")),
                depth(matcher.group("children"), matcher.group("childrenDepth")),
                childrensParents);
        String value = matcher.group("value");
        Optional<String> method = Optional.ofNullable(matcher.group("method"));
        if (value.isEmpty()) {
            throw invalid("the selection criterion '" + raw + "' has no value"
                    + method.map(name -> "; write what to match after '" + name + ":'").orElse(""));
        }
        return criterion(method.orElseGet(() -> defaultMethod(value)), value, operators, Optional.empty(), raw);
    }

    /**
     * Builds a criterion from its parts.
     *
     * @param methodSpec the method with its dotted arguments, such as {@code config.materialized}
     */
    SelectionExpression criterion(String methodSpec, String value, Operators operators, Optional<IndirectSelection> indirectSelection, String raw) {
        List<String> pieces = List.of(methodSpec.split("\\.", -1));
        String name = pieces.get(0);
        if (name.equals(SELECTOR_METHOD)) {
            if (operators.any() || pieces.size() > 1) {
                throw invalid("'" + raw + "' cannot take graph operators or arguments; put them into the selector's definition in selectors.yml");
            }
            return namedSelectors.apply(value);
        }
        SelectorMethod method = methods.find(name).orElseThrow(() -> unknownMethod(name, raw));
        Predicate<Node> matcher = method.matcher(new MethodCall(name, pieces.subList(1, pieces.size()), value, raw));
        return new Criterion(raw, matcher, operators.parentsDepth(), operators.childrenDepth(), operators.childrensParents(), indirectSelection);
    }

    private RuntimeException unknownMethod(String name, String raw) {
        List<String> known = new ArrayList<>(methods.names());
        known.add(SELECTOR_METHOD);
        known.sort(null);
        return invalid("unknown selector method '" + name + "' in '" + raw + "'"
                + Suggestions.closest(name.toLowerCase(Locale.ROOT), known).map(suggestion -> "; did you mean '" + suggestion + "'?")
                        .orElse("; use one of: " + String.join(", ", known)));
    }

    /** dbt's choice when no method is written: a path if it has a slash, a file if it has an extension, else a qualified name. */
    private static String defaultMethod(String value) {
        if (value.contains("/") || value.contains("\\")) {
            return "path";
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".sql") || lower.endsWith(".py") || lower.endsWith(".csv")) {
            return "file";
        }
        return "fqn";
    }

    private static int depth(String operator, String digits) {
        if (operator == null) {
            return 0;
        }
        if (digits == null || digits.isEmpty()) {
            return Graph.UNLIMITED;
        }
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return Graph.UNLIMITED;
        }
    }
}
