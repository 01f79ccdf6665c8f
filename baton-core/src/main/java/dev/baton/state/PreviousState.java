package dev.baton.state;

import dev.baton.api.event.Fingerprint;
import dev.baton.plan.Fingerprints;
import dev.baton.project.Node;
import java.util.Map;

/** What {@code state:} selectors compare the project with: the last successful builds, or a previous run's manifest. */
interface PreviousState {
    boolean isNew(Node node);

    boolean bodyChanged(Node node);

    boolean configChanged(Node node);

    boolean contractChanged(Node node);

    /** The state store's fingerprints; a hash recorded before fingerprints existed (empty) counts as unchanged. */
    static PreviousState of(Map<String, Fingerprint> previous, Fingerprints current) {
        return new PreviousState() {
            @Override
            public boolean isNew(Node node) {
                return !previous.containsKey(node.uniqueId());
            }

            @Override
            public boolean bodyChanged(Node node) {
                Fingerprint before = previous.get(node.uniqueId());
                return before != null && !before.body().equals(current.get(node.uniqueId()).body());
            }

            @Override
            public boolean configChanged(Node node) {
                Fingerprint before = previous.get(node.uniqueId());
                return before != null && !before.config().isEmpty() && !before.config().equals(current.get(node.uniqueId()).config());
            }

            @Override
            public boolean contractChanged(Node node) {
                Fingerprint before = previous.get(node.uniqueId());
                return before != null && !before.contract().isEmpty() && !before.contract().equals(current.get(node.uniqueId()).contract());
            }
        };
    }
}
