package dev.baton.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.baton.graph.selector.Selection;
import dev.baton.plan.CommandKind;
import dev.baton.plan.Plan;
import dev.baton.plan.PlanStep;
import dev.baton.plan.Planner;
import dev.baton.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print what 'baton build' (or --command run|test|seed) would do: each node, its action and why, in order.")
final class PlanCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ProjectOptions projectOptions;

    @Mixin
    SelectionOptions selectionOptions;

    @Option(names = "--command", paramLabel = "COMMAND", defaultValue = "build", description = "The command to plan: build (default), run, test or seed.")
    CommandKind command;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    String output;

    @Mixin
    IncrementalFlags incrementalFlags;

    @Option(names = "--explain", description = "Also show how each model's checks are audited before it is published: which checks share which query.")
    boolean explain;

    PlanCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Workspace workspace = Workspace.load(projectOptions, context);
        incrementalFlags.range(java.time.Clock.systemUTC());
        Plan plan;
        Map<String, String> details = new LinkedHashMap<>();
        try (StateStore store = StateStore.open(workspace.project().root(), workspace.project().settings().stateUrl())) {
            Selection selection = workspace.select(selectionOptions.spec(), selectionOptions.stateDir(), context, () -> store);
            plan = Planner.plan(command, workspace.project(), workspace.graph(), selection.nodeIds(), store.lastBuiltHashes(), selection.warnings());
            dev.baton.materialization.IncrementalOptions options = incrementalFlags.options(store, false);
            for (PlanStep step : plan.steps()) {
                if (step.action() == dev.baton.plan.Action.INCREMENTAL) {
                    details.put(step.nodeId(), dev.baton.materialization.IncrementalPlans.describe(workspace.project().node(step.nodeId()).orElseThrow(), options));
                }
            }
        }
        Map<String, List<dev.baton.check.CheckSpec>> audits = explain ? dev.baton.check.AuditRun.auditedChecks(workspace.project(), plan) : Map.of();
        if (OutputFormat.parse(output) == OutputFormat.JSON) {
            Map<String, Object> json = asJson(plan, details);
            if (explain) {
                json.put("audits", auditsJson(workspace, audits));
            }
            context.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
            return 0;
        }
        context.out().println("Plan for 'baton " + plan.command() + "' on target " + workspace.project().target().name() + ": "
                + plan.steps().size() + " step" + (plan.steps().size() == 1 ? "" : "s"));
        int width = 4;
        for (PlanStep step : plan.steps()) {
            width = Math.max(width, step.nodeId().length());
        }
        context.out().printf("%4s  %-" + width + "s  %-12s  %s%n", "#", "node", "action", "reason");
        int index = 1;
        for (PlanStep step : plan.steps()) {
            String detail = details.containsKey(step.nodeId()) ? "  " + details.get(step.nodeId()) : "";
            context.out().printf("%4d  %-" + width + "s  %-12s  %s%s%n", index++, step.nodeId(), step.action().label(), step.reason(), detail);
        }
        if (explain) {
            printAudits(workspace, audits);
        }
        return 0;
    }

    private void printAudits(Workspace workspace, Map<String, List<dev.baton.check.CheckSpec>> audits) {
        context.out().println();
        if (audits.isEmpty()) {
            context.out().println("No audits: no table or view model of this plan has checks that can run before it is published.");
            return;
        }
        context.out().println("Audits (checks run on the staged relation; it is published only if no error-level check fails):");
        for (Map.Entry<String, List<dev.baton.check.CheckSpec>> entry : audits.entrySet()) {
            List<dev.baton.check.AuditQuery> queries = queries(workspace, entry.getKey(), entry.getValue());
            context.out().println("  " + entry.getKey() + ": " + entry.getValue().size() + " check" + (entry.getValue().size() == 1 ? "" : "s") + " in "
                    + queries.size() + " quer" + (queries.size() == 1 ? "y" : "ies"));
            Map<String, String> names = new LinkedHashMap<>();
            entry.getValue().forEach(check -> names.put(check.testId(), check.name()));
            int number = 1;
            List<String> measuring = new java.util.ArrayList<>();
            for (dev.baton.check.AuditQuery query : queries) {
                if (query.outputs().stream().anyMatch(output -> output.checkId().isEmpty() && !output.probe())) {
                    measuring.add(String.valueOf(number));
                }
                List<String> checks = query.checkIds().stream().map(names::get).toList();
                context.out().println("    query " + number++ + " " + query.shape() + ": " + (checks.isEmpty() ? "metrics only" : String.join(", ", checks)));
            }
            List<String> anomalies = entry.getValue().stream().filter(dev.baton.check.CheckSpec::anomaly).map(dev.baton.check.CheckSpec::name).toList();
            if (!anomalies.isEmpty()) {
                String by = measuring.size() == 1 ? "query " + measuring.get(0)
                        : "queries " + String.join(", ", measuring.subList(0, measuring.size() - 1)) + " and " + measuring.get(measuring.size() - 1);
                context.out().println("    against the metric history (measured by " + by + "): " + String.join(", ", anomalies));
            }
        }
    }

    private static List<dev.baton.check.AuditQuery> queries(Workspace workspace, String modelId, List<dev.baton.check.CheckSpec> checks) {
        dev.baton.api.engine.Relation relation = workspace.project().node(modelId).orElseThrow().relation().orElseThrow();
        String live = dev.baton.check.CheckSpec.sql(relation);
        String staged = dev.baton.check.CheckSpec.sql(relation.withIdentifier(relation.identifier() + dev.baton.materialization.Publisher.STAGING_SUFFIX));
        // The queries as the target's engine will run them (on DuckDB: range checks counted apart, from block statistics).
        dev.baton.api.engine.EngineCapabilities capabilities = dev.baton.engine.Engines.provider(workspace.project().target().type())
                .map(dev.baton.api.engine.EngineProvider::capabilities).orElse(dev.baton.api.engine.EngineCapabilities.builder().build());
        return dev.baton.check.FusedAudit.compile(staged, live, checks, capabilities);
    }

    private static List<Object> auditsJson(Workspace workspace, Map<String, List<dev.baton.check.CheckSpec>> audits) {
        List<Object> result = new ArrayList<>();
        for (Map.Entry<String, List<dev.baton.check.CheckSpec>> entry : audits.entrySet()) {
            List<Object> queries = new ArrayList<>();
            for (dev.baton.check.AuditQuery query : queries(workspace, entry.getKey(), entry.getValue())) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("shape", query.shape());
                item.put("checks", query.checkIds());
                item.put("sql", query.sql());
                queries.add(item);
            }
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("node", entry.getKey());
            model.put("queries", queries);
            result.add(model);
        }
        return result;
    }

    static Map<String, Object> asJson(Plan plan) {
        return asJson(plan, Map.of());
    }

    static Map<String, Object> asJson(Plan plan, Map<String, String> details) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", plan.command());
        List<Object> steps = new ArrayList<>();
        for (PlanStep step : plan.steps()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("node", step.nodeId());
            entry.put("action", step.action().label());
            entry.put("reason", step.reason());
            entry.put("waits_for", step.waitsFor());
            if (details.containsKey(step.nodeId())) {
                entry.put("incremental", details.get(step.nodeId()));
            }
            steps.add(entry);
        }
        json.put("steps", steps);
        json.put("warnings", plan.warnings());
        return json;
    }
}
