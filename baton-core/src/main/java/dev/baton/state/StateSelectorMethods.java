package dev.baton.state;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.Suggestions;
import dev.baton.api.event.NodeStatus;
import dev.baton.graph.selector.MethodCall;
import dev.baton.graph.selector.SelectorMethod;
import dev.baton.graph.selector.SelectorMethods;
import dev.baton.plan.Fingerprints;
import dev.baton.project.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * dbt's {@code state:} and {@code result:} selector methods, answered from the state store
 * instead of a manifest or run_results file: {@code state:new}, {@code state:modified} (new or
 * changed SQL, as dbt counts it), {@code state:modified.body}, {@code state:unmodified},
 * {@code state:old}; {@code result:error|fail|warn|pass|success|skipped|cancelled} of the last run.
 */
public final class StateSelectorMethods {
    private static final List<String> STATES = List.of("new", "old", "modified", "modified.body", "unmodified");
    private static final List<String> RESULTS = List.of("error", "fail", "warn", "pass", "success", "skipped", "cancelled");

    private StateSelectorMethods() {}

    /** Adds {@code state:} and {@code result:} to {@code methods}; the store is read only if a criterion uses them. */
    public static SelectorMethods register(SelectorMethods methods, Supplier<StateStore> store) {
        Memo<Map<String, String>> hashes = new Memo<>(() -> store.get().lastBuiltHashes());
        Memo<Map<String, NodeStatus>> lastResults = new Memo<>(() -> lastRunResults(store.get()));
        return methods
                .with(SelectorMethod.of("state", call -> state(call, hashes)))
                .with(SelectorMethod.of("result", call -> result(call, lastResults)));
    }

    private static Predicate<Node> state(MethodCall call, Memo<Map<String, String>> hashes) {
        String value = call.value().toLowerCase(Locale.ROOT);
        if (!STATES.contains(value)) {
            throw new BatonException(ErrorCode.INVALID_SELECTOR, "unknown state '" + call.value() + "' in '" + call.criterion() + "'"
                    + Suggestions.didYouMeanOr(value, STATES, "use one of " + String.join(", ", STATES)));
        }
        return node -> {
            String previous = hashes.get().get(node.uniqueId());
            boolean isNew = previous == null;
            boolean changed = !isNew && !previous.equals(Fingerprints.sqlHash(node));
            return switch (value) {
                case "new" -> isNew;
                case "old" -> !isNew;
                case "modified" -> isNew || changed;
                case "modified.body" -> changed;
                default -> !isNew && !changed;
            };
        };
    }

    private static Predicate<Node> result(MethodCall call, Memo<Map<String, NodeStatus>> lastResults) {
        String value = call.value().toLowerCase(Locale.ROOT);
        if (!RESULTS.contains(value)) {
            throw new BatonException(ErrorCode.INVALID_SELECTOR, "unknown result '" + call.value() + "' in '" + call.criterion() + "'"
                    + Suggestions.didYouMeanOr(value, RESULTS, "use one of " + String.join(", ", RESULTS)));
        }
        NodeStatus wanted = NodeStatus.valueOf(value.toUpperCase(Locale.ROOT));
        return node -> lastResults.get().get(node.uniqueId()) == wanted;
    }

    /** The status of every node of the most recent run, empty when there is none. */
    public static Map<String, NodeStatus> lastRunResults(StateStore store) {
        Map<String, NodeStatus> results = new HashMap<>();
        store.recentRuns(1).forEach(run -> store.nodeResults(run.id()).forEach(result -> results.put(result.nodeId(), result.status())));
        return results;
    }

    /** Computes a value on first use, once. */
    private static final class Memo<T> implements Supplier<T> {
        private final Supplier<T> source;
        private T value;

        Memo(Supplier<T> source) {
            this.source = source;
        }

        @Override
        public synchronized T get() {
            if (value == null) {
                value = source.get();
            }
            return value;
        }
    }
}
