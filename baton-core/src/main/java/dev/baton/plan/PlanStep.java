package dev.baton.plan;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One node of a plan.
 *
 * @param nodeId the node's unique id
 * @param action what happens to it
 * @param reason why it runs: {@code new}, {@code modified}, {@code unchanged} (rebuilt because it
 *     was selected), or {@code test}
 * @param waitsFor steps that must finish first: the node's parents in the plan and, as in dbt's
 *     {@code build}, the tests of those parents
 * @param description how progress lines name it, such as {@code table model main.orders}
 */
public record PlanStep(String nodeId, Action action, String reason, List<String> waitsFor, String description) {
    public PlanStep {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(action, "action is null");
        requireNonNull(reason, "reason is null");
        waitsFor = List.copyOf(waitsFor);
        requireNonNull(description, "description is null");
    }
}
