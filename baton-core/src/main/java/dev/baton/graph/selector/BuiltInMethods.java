package dev.baton.graph.selector;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.Suggestions;
import dev.baton.project.Node;
import dev.baton.project.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** The selector methods of dbt that need nothing but the graph. */
final class BuiltInMethods {
    /** Resource types dbt knows that Baton projects do not have yet: they select nothing. */
    private static final Set<String> ABSENT_RESOURCE_TYPES = Set.of(
            "snapshot", "analysis", "operation", "exposure", "metric", "semantic_model", "saved_query", "unit_test", "function");
    private static final List<String> UNSUPPORTED = List.of(
            "access", "exposure", "group", "metric", "saved_query", "semantic_model", "source_status", "unit_test", "version");

    private BuiltInMethods() {}

    static List<SelectorMethod> all() {
        List<SelectorMethod> methods = new ArrayList<>();
        methods.add(SelectorMethod.of("fqn", noArguments(BuiltInMethods::fqn)));
        methods.add(SelectorMethod.of("tag", noArguments(BuiltInMethods::tag)));
        methods.add(SelectorMethod.of("path", noArguments(BuiltInMethods::path)));
        methods.add(SelectorMethod.of("file", noArguments(BuiltInMethods::file)));
        methods.add(SelectorMethod.of("package", noArguments(BuiltInMethods::packageName)));
        methods.add(SelectorMethod.of("source", noArguments(BuiltInMethods::source)));
        methods.add(SelectorMethod.of("resource_type", noArguments(BuiltInMethods::resourceType)));
        methods.add(SelectorMethod.of("test_type", noArguments(BuiltInMethods::testType)));
        methods.add(SelectorMethod.of("test_name", noArguments(BuiltInMethods::testName)));
        methods.add(SelectorMethod.of("config", ConfigMatcher::compile));
        methods.add(SelectorMethod.of("state", call -> {
            throw invalid("selector method 'state' in '" + call.criterion()
                    + "' needs the state of a previous run, which is not available to this command");
        }));
        methods.add(SelectorMethod.of("result", call -> {
            throw invalid("selector method 'result' in '" + call.criterion()
                    + "' needs the results of a previous run, which are not available to this command");
        }));
        for (String name : UNSUPPORTED) {
            methods.add(SelectorMethod.of(name, call -> {
                throw invalid("selector method '" + name + "' in '" + call.criterion() + "' is not supported by Baton yet");
            }));
        }
        return methods;
    }

    static BatonException invalid(String message) {
        return new BatonException(ErrorCode.INVALID_SELECTOR, message);
    }

    private static Function<MethodCall, Predicate<Node>> noArguments(
            Function<MethodCall, Predicate<Node>> compiler) {
        return call -> {
            if (!call.arguments().isEmpty()) {
                throw invalid("selector method '" + call.method() + "' takes nothing between its name and the colon, in '"
                        + call.criterion() + "'; write '" + call.method() + ":" + call.value() + "'");
            }
            return compiler.apply(call);
        };
    }

    /** dbt's qualified-name match: the node name, or a dotted fqn prefix with or without the package. */
    private static Predicate<Node> fqn(MethodCall call) {
        String selector = call.value();
        String[] parts = selector.split("\\.", -1);
        int wildcardAt = -1;
        for (int i = 0; i < parts.length; i++) {
            if (WildcardPatterns.hasWildcard(parts[i])) {
                wildcardAt = i;
                break;
            }
        }
        Predicate<String> rest = wildcardAt < 0 ? null
                : WildcardPatterns.fnmatch(String.join(".", List.of(parts).subList(wildcardAt, parts.length)));
        int slurpFrom = wildcardAt;
        return node -> {
            if (node.resourceType() == ResourceType.SOURCE) {
                return false;
            }
            List<String> fqn = node.fqn();
            return fqnMatches(fqn, selector, parts, slurpFrom, rest)
                    || !fqn.isEmpty() && fqnMatches(fqn.subList(1, fqn.size()), selector, parts, slurpFrom, rest);
        };
    }

    private static boolean fqnMatches(List<String> fqn, String selector, String[] parts, int slurpFrom, Predicate<String> rest) {
        if (!fqn.isEmpty() && fqn.get(fqn.size() - 1).equals(selector)) {
            return true;
        }
        List<String> flat = flatten(fqn);
        if (flat.size() < parts.length) {
            return false;
        }
        int exactParts = slurpFrom < 0 ? parts.length : slurpFrom;
        for (int i = 0; i < exactParts; i++) {
            if (!flat.get(i).equals(parts[i])) {
                return false;
            }
        }
        return slurpFrom < 0 || rest.test(String.join(".", flat.subList(slurpFrom, flat.size())));
    }

    /** Dots inside a part act as separators, as in dbt. */
    private static List<String> flatten(List<String> fqn) {
        boolean dotted = false;
        for (String segment : fqn) {
            dotted |= segment.indexOf('.') >= 0;
        }
        if (!dotted) {
            return fqn;
        }
        List<String> flat = new ArrayList<>();
        for (String segment : fqn) {
            flat.addAll(List.of(segment.split("\\.", -1)));
        }
        return flat;
    }

    private static Predicate<Node> tag(MethodCall call) {
        Predicate<String> pattern = WildcardPatterns.fnmatch(call.value());
        return node -> node.tags().stream().anyMatch(pattern);
    }

    /** A file or folder relative to the project root; a node matches when its file or a folder above it does. */
    private static Predicate<Node> path(MethodCall call) {
        String glob = call.value().replace('\\', '/');
        while (glob.startsWith("./")) {
            glob = glob.substring(2);
        }
        while (glob.endsWith("/") && glob.length() > 1) {
            glob = glob.substring(0, glob.length() - 1);
        }
        if (glob.isEmpty() || glob.equals(".")) {
            return node -> true;
        }
        Predicate<String> pattern = WildcardPatterns.pathGlob(glob);
        return node -> {
            String candidate = node.path();
            while (true) {
                if (pattern.test(candidate)) {
                    return true;
                }
                int slash = candidate.lastIndexOf('/');
                if (slash < 0) {
                    return false;
                }
                candidate = candidate.substring(0, slash);
            }
        };
    }

    private static Predicate<Node> file(MethodCall call) {
        Predicate<String> pattern = WildcardPatterns.fnmatch(call.value());
        return node -> {
            String name = node.path().substring(node.path().lastIndexOf('/') + 1);
            int dot = name.lastIndexOf('.');
            return pattern.test(name) || dot > 0 && pattern.test(name.substring(0, dot));
        };
    }

    private static Predicate<Node> packageName(MethodCall call) {
        Predicate<String> pattern = WildcardPatterns.fnmatch(call.value());
        return node -> pattern.test(node.packageName());
    }

    /** {@code source_name}, {@code source_name.table} or {@code package.source_name.table}. */
    private static Predicate<Node> source(MethodCall call) {
        String[] parts = call.value().split("\\.", -1);
        if (parts.length > 3) {
            throw invalid("'" + call.criterion() + "' is not a source; write 'source:<source>', 'source:<source>.<table>' "
                    + "or 'source:<package>.<source>.<table>'");
        }
        Predicate<String> packagePattern = WildcardPatterns.fnmatch(parts.length == 3 ? parts[0] : "*");
        Predicate<String> sourcePattern = WildcardPatterns.fnmatch(parts[parts.length == 3 ? 1 : 0]);
        Predicate<String> tablePattern = WildcardPatterns.fnmatch(parts.length == 1 ? "*" : parts[parts.length - 1]);
        return node -> node.resourceType() == ResourceType.SOURCE
                && packagePattern.test(node.packageName())
                && sourcePattern.test(sourceName(node))
                && tablePattern.test(node.name());
    }

    /** The source name of a source node, read from {@code source.<package>.<source>.<table>}. */
    static String sourceName(Node node) {
        String prefix = "source." + node.packageName() + ".";
        String suffix = "." + node.name();
        String id = node.uniqueId();
        if (id.startsWith(prefix) && id.endsWith(suffix) && id.length() > prefix.length() + suffix.length()) {
            return id.substring(prefix.length(), id.length() - suffix.length());
        }
        List<String> fqn = node.fqn();
        return fqn.size() >= 2 ? fqn.get(fqn.size() - 2) : "";
    }

    private static Predicate<Node> resourceType(MethodCall call) {
        String value = call.value();
        var type = ResourceType.fromLabel(value);
        if (type.isPresent()) {
            ResourceType wanted = type.get();
            return node -> node.resourceType() == wanted;
        }
        if (ABSENT_RESOURCE_TYPES.contains(value)) {
            return node -> false;
        }
        List<String> labels = new ArrayList<>();
        for (ResourceType known : ResourceType.values()) {
            labels.add(known.label());
        }
        throw invalid("unknown resource type '" + value + "' in '" + call.criterion() + "'"
                + Suggestions.closest(value, labels).map(name -> "; did you mean '" + name + "'?")
                        .orElse("; use one of: " + String.join(", ", labels)));
    }

    private static Predicate<Node> testType(MethodCall call) {
        return switch (call.value()) {
            case "generic", "schema" -> node -> node.resourceType() == ResourceType.TEST && node.testMetadata().isPresent();
            case "singular", "data" -> node -> node.resourceType() == ResourceType.TEST && node.testMetadata().isEmpty();
            case "unit" -> node -> false;
            default -> throw invalid("unknown test type '" + call.value() + "' in '" + call.criterion()
                    + "'; use 'test_type:generic' or 'test_type:singular'");
        };
    }

    private static Predicate<Node> testName(MethodCall call) {
        Predicate<String> pattern = WildcardPatterns.fnmatch(call.value());
        return node -> node.resourceType() == ResourceType.TEST && node.testMetadata().filter(pattern).isPresent();
    }
}
