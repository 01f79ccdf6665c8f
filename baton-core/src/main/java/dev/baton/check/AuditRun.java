package dev.baton.check;

import static java.util.Objects.requireNonNull;

import dev.baton.api.event.RunEvent;
import dev.baton.materialization.MaterializationContext;
import dev.baton.materialization.Materializations;
import dev.baton.materialization.NodeExecution;
import dev.baton.materialization.StagedChecks;
import dev.baton.materialization.NodeOutcome;
import dev.baton.plan.Action;
import dev.baton.plan.Plan;
import dev.baton.plan.PlanStep;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ResourceType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Write-audit-publish for one run. In {@code build}, the checks attached to a table or view model
 * run inside the model's step against the staged relation, before it is published; the test steps
 * of those checks then report what the audit found instead of querying again, so {@code baton
 * plan} and the progress lines still show every test.
 */
public final class AuditRun {
    private final Map<String, List<CheckSpec>> checksByModel;
    private final Set<String> auditedTests;
    private final Map<String, CheckOutcome> outcomes = new ConcurrentHashMap<>();
    private final boolean keepFailed;
    private final String runId;
    private final Consumer<RunEvent> events;

    private final boolean auditing;
    /** Whether published models are held to their enforced contracts: in {@code build} and, as dbt does, in {@code run}. */
    private final boolean contracts;
    private final Project project;

    private AuditRun(Project project, boolean auditing, boolean contracts, Map<String, List<CheckSpec>> checksByModel, boolean keepFailed, String runId, Consumer<RunEvent> events) {
        this.auditing = auditing;
        this.contracts = contracts;
        this.project = project;
        this.checksByModel = checksByModel;
        this.auditedTests = new HashSet<>();
        checksByModel.values().forEach(checks -> checks.forEach(check -> auditedTests.add(check.testId())));
        this.keepFailed = keepFailed;
        this.runId = requireNonNull(runId, "runId is null");
        this.events = requireNonNull(events, "events is null");
    }

    private MetricHistory history = MetricHistory.NONE;

    /** The audits of a plan, judging anomaly checks against {@code history}. */
    public static AuditRun of(Project project, Plan plan, boolean enabled, boolean keepFailed, String runId, Consumer<RunEvent> events,
            MetricHistory history) {
        AuditRun audits = of(project, plan, enabled, keepFailed, runId, events);
        audits.history = java.util.Objects.requireNonNull(history, "history is null");
        return audits;
    }

    /**
     * The audits of a plan: none unless the plan is a {@code build} and {@code enabled}, except that
     * a {@code run} still holds each model with an enforced contract to it before publishing it.
     */
    public static AuditRun of(Project project, Plan plan, boolean enabled, boolean keepFailed, String runId, Consumer<RunEvent> events) {
        boolean auditing = enabled && plan.command().equals("build");
        boolean contracts = auditing || enabled && plan.command().equals("run");
        return new AuditRun(project, auditing, contracts, auditing ? auditedChecks(project, plan) : Map.of(), keepFailed, runId, events);
    }

    /**
     * For each table or view model of the plan, the checks its step audits: the tests attached to it
     * whose other inputs are already built when the model's step runs (upstream of it, or not in the plan).
     */
    public static Map<String, List<CheckSpec>> auditedChecks(Project project, Plan plan) {
        Map<String, PlanStep> steps = new LinkedHashMap<>();
        plan.steps().forEach(step -> steps.put(step.nodeId(), step));
        Map<String, List<CheckSpec>> result = new LinkedHashMap<>();
        Map<String, Set<String>> upstreamCache = new HashMap<>();
        for (PlanStep step : plan.steps()) {
            if (step.action() != Action.RUN_TEST) {
                continue;
            }
            Node test = project.node(step.nodeId()).orElseThrow();
            Optional<String> attached = test.attachedNode();
            if (attached.isEmpty() || !steps.containsKey(attached.get())) {
                continue;
            }
            PlanStep model = steps.get(attached.get());
            if (model.action() != Action.CREATE_TABLE && model.action() != Action.CREATE_VIEW && model.action() != Action.INCREMENTAL) {
                continue;
            }
            Set<String> upstream = upstreamCache.computeIfAbsent(model.nodeId(), id -> upstream(id, steps));
            boolean ready = test.dependsOn().stream().allMatch(id -> id.equals(model.nodeId()) || !steps.containsKey(id) || upstream.contains(id));
            if (ready) {
                result.computeIfAbsent(model.nodeId(), id -> new ArrayList<>()).add(CheckSpec.of(test, project));
            }
        }
        return result;
    }

    private static Set<String> upstream(String id, Map<String, PlanStep> steps) {
        Set<String> seen = new HashSet<>();
        Deque<String> stack = new ArrayDeque<>(steps.get(id).waitsFor());
        while (!stack.isEmpty()) {
            String next = stack.pop();
            if (seen.add(next) && steps.containsKey(next)) {
                stack.addAll(steps.get(next).waitsFor());
            }
        }
        return seen;
    }

    /** How to run a step when its audit changes it: a model audited before publishing, or a test reporting its audit. */
    public Optional<NodeExecution> execution(PlanStep step, Node node) {
        return execution(step, node, null);
    }

    /** As {@link #execution(PlanStep, Node)}; an incremental model gets its checks through {@code context}. */
    public Optional<NodeExecution> execution(PlanStep step, Node node, MaterializationContext context) {
        List<CheckSpec> checks = checksByModel.get(step.nodeId());
        if (checks != null && node.resourceType() == ResourceType.MODEL && step.action() == Action.INCREMENTAL && context != null) {
            return Optional.of(Materializations.forAction(Action.INCREMENTAL, context.withChecks(stagedChecks(node, checks))));
        }
        boolean publishes = step.action() == Action.CREATE_TABLE || step.action() == Action.CREATE_VIEW;
        Optional<dev.baton.contract.ModelContract> contract = contracts && publishes
                ? dev.baton.contract.ModelContract.of(node).map(declared -> declared.resolve(project.nodes())) : Optional.empty();
        if ((checks != null || contract.isPresent()) && node.resourceType() == ResourceType.MODEL) {
            return Optional.of(new AuditedModel(checks == null ? List.of() : checks, contract, keepFailed, runId, this::record, history));
        }
        if (auditedTests.contains(step.nodeId())) {
            return Optional.of((engine, session, test) -> report(test.uniqueId()));
        }
        return Optional.empty();
    }

    /**
     * The checks of an incremental model, run on what it stages: the rebuilt table, the table as it
     * would be after an increment, or a batch's rows. A model audited several times in one step
     * (one audit per batch) reports each check's worst outcome.
     */
    private StagedChecks stagedChecks(Node node, List<CheckSpec> checks) {
        String live = CheckSpec.sql(node.relation().orElseThrow());
        return (session, relationSql, what) -> {
            AuditReport report = Auditor.run(session, relationSql, live, checks);
            report.outcomes().forEach((id, outcome) -> outcomes.merge(id, outcome, (old, fresh) -> fresh.verdict().compareTo(old.verdict()) >= 0 ? fresh : old));
            events.accept(new RunEvent.AuditFinished(runId, node.uniqueId(), what, report.errors() == 0, report.queries().size(), report.metrics(),
                    java.time.Instant.now()));
            return report.errors();
        };
    }

    /** Whether the audit of this test ran, so its step reports even though the model was not published. */
    public boolean reported(String testId) {
        return outcomes.containsKey(testId);
    }

    private void record(AuditReport report, RunEvent event) {
        outcomes.putAll(report.outcomes());
        events.accept(event);
        if (event instanceof RunEvent.AuditFinished audit && audit.published()) {
            project.node(audit.nodeId()).filter(dev.baton.contract.ModelContract::enforced).ifPresent(model -> {
                dev.baton.contract.OdcsContract contract = dev.baton.contract.Odcs.export(project, model);
                events.accept(new RunEvent.ContractPublished(runId, model.uniqueId(), contract.version(), dev.baton.contract.Odcs.write(contract),
                        audit.finishedAt()));
            });
        }
    }

    private NodeOutcome report(String testId) {
        CheckOutcome outcome = outcomes.get(testId);
        if (outcome == null) {
            // The model's step never audited (it failed to build): run as a plain test would not help; report it as not run.
            throw new dev.baton.api.BatonException(dev.baton.api.ErrorCode.INTERNAL, "the audit of " + testId + " did not run");
        }
        return switch (outcome.verdict()) {
            case PASS -> new NodeOutcome(outcome.message(), OptionalLong.empty(), OptionalLong.of(outcome.failures()), false, false);
            case WARN -> new NodeOutcome(outcome.messageWithSample(), OptionalLong.empty(), OptionalLong.of(outcome.failures()), true, false);
            case FAIL -> new NodeOutcome(outcome.messageWithSample(), OptionalLong.empty(), OptionalLong.of(outcome.failures()), false, true);
        };
    }
}
