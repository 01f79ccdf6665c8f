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
import java.util.Optional;
import java.nio.file.Path;
import dev.baton.project.Project;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * dbt's {@code state:} and {@code result:} selector methods, answered from the state store
 * instead of a manifest or run_results file: {@code state:new}, {@code state:modified} (new, or
 * changed SQL, config or contract), {@code state:modified.body}, {@code state:modified.configs},
 * {@code state:modified.contract}, {@code state:unmodified}, {@code state:old};
 * {@code result:error|fail|warn|pass|success|skipped|cancelled} of the last run. With
 * {@code --state DIR}, {@code state:} compares with {@code DIR/manifest.json} instead.
 */
public final class StateSelectorMethods {
    private static final List<String> STATES = List.of("new", "old", "modified", "modified.body", "modified.configs", "modified.contract", "unmodified");
    private static final List<String> RESULTS = List.of("error", "fail", "warn", "pass", "success", "skipped", "cancelled");

    private StateSelectorMethods() {}

    /** Adds {@code state:} and {@code result:} to {@code methods}; the store is read only if a criterion uses them. */
    public static SelectorMethods register(SelectorMethods methods, Supplier<StateStore> store) {
        return register(methods, Optional.empty(), store, Optional.empty());
    }

    /**
     * As {@link #register(SelectorMethods, Supplier)}; {@code state:} compares the project's nodes with
     * {@code stateDir/manifest.json} when given, else with the store's last successful builds.
     */
    public static SelectorMethods register(SelectorMethods methods, Optional<Project> project, Supplier<StateStore> store, Optional<Path> stateDir) {
        Memo<PreviousState> previous = new Memo<>(() -> {
            Fingerprints current = Fingerprints.of(project.orElseThrow(() -> new IllegalStateException("state: needs the project")));
            return stateDir.isPresent() ? ManifestState.read(stateDir.get(), current)
                    : PreviousState.of(store.get().lastBuiltFingerprints(), current);
        });
        if (project.isEmpty()) {
            // Without the project only the compiled SQL can be compared.
            Memo<Map<String, String>> hashes = new Memo<>(() -> store.get().lastBuiltHashes());
            previous = new Memo<>(() -> bodiesOnly(hashes.get()));
        }
        Memo<PreviousState> state = previous;
        Memo<Map<String, NodeStatus>> lastResults = new Memo<>(() -> lastRunResults(store.get()));
        return methods
                .with(SelectorMethod.of("state", call -> state(call, state)))
                .with(SelectorMethod.of("result", call -> result(call, lastResults)));
    }

    private static PreviousState bodiesOnly(Map<String, String> hashes) {
        return new PreviousState() {
            @Override
            public boolean isNew(Node node) {
                return !hashes.containsKey(node.uniqueId());
            }

            @Override
            public boolean bodyChanged(Node node) {
                String before = hashes.get(node.uniqueId());
                return before != null && !before.equals(Fingerprints.sqlHash(node));
            }

            @Override
            public boolean configChanged(Node node) {
                return false;
            }

            @Override
            public boolean contractChanged(Node node) {
                return false;
            }
        };
    }

    private static Predicate<Node> state(MethodCall call, Memo<PreviousState> previous) {
        String value = call.value().toLowerCase(Locale.ROOT);
        if (!STATES.contains(value)) {
            throw new BatonException(ErrorCode.INVALID_SELECTOR, "unknown state '" + call.value() + "' in '" + call.criterion() + "'"
                    + Suggestions.didYouMeanOr(value, STATES, "use one of " + String.join(", ", STATES)));
        }
        return node -> {
            PreviousState state = previous.get();
            boolean isNew = state.isNew(node);
            return switch (value) {
                case "new" -> isNew;
                case "old" -> !isNew;
                case "modified" -> isNew || state.bodyChanged(node) || state.configChanged(node) || state.contractChanged(node);
                case "modified.body" -> state.bodyChanged(node);
                case "modified.configs" -> state.configChanged(node);
                case "modified.contract" -> state.contractChanged(node);
                default -> !isNew && !state.bodyChanged(node) && !state.configChanged(node) && !state.contractChanged(node);
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
