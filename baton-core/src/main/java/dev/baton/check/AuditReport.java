package dev.baton.check;

import dev.baton.api.event.RunEvent;
import java.util.List;
import java.util.Map;

/**
 * What an audit found: every check's outcome, the metrics its scans computed, and the queries it issued.
 */
public record AuditReport(Map<String, CheckOutcome> outcomes, List<RunEvent.Metric> metrics, List<String> queries) {
    public AuditReport {
        outcomes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outcomes));
        metrics = List.copyOf(metrics);
        queries = List.copyOf(queries);
    }

    /** The checks that failed at severity error. */
    public long errors() {
        return outcomes.values().stream().filter(outcome -> outcome.verdict() == CheckOutcome.Verdict.FAIL).count();
    }
}
