package dev.baton.materialization;

import dev.baton.project.IncrementalConfig;
import dev.baton.project.IncrementalConfig.Strategy;
import dev.baton.project.Node;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** What a build will do to an incremental model, for {@code baton plan}. */
public final class IncrementalPlans {
    private IncrementalPlans() {}

    /**
     * One line such as {@code merge on (id)}, {@code full refresh}, or {@code microbatch by day: 3
     * batches (2024-01-03 to 2024-01-05)}. A microbatch model with no recorded batch is taken to
     * have no table yet, so every batch from {@code begin} is listed.
     */
    public static String describe(Node node, IncrementalOptions options) {
        IncrementalConfig config = node.incremental().orElseThrow();
        if (config.strategy() != Strategy.MICROBATCH) {
            String strategy = config.strategy().label() + (config.replacedBy().isEmpty() ? "" : " on (" + String.join(", ", config.replacedBy()) + ")");
            return options.fullRefresh() ? "full refresh" : strategy;
        }
        LocalDateTime now = LocalDateTime.ofInstant(options.clock().instant(), ZoneOffset.UTC);
        boolean fresh = options.fullRefresh() || options.ledger().batches(node.uniqueId()).isEmpty();
        List<Microbatches.Window> windows = fresh ? Microbatches.allWindows(config, options, now) : Microbatches.toRun(config, node.uniqueId(), options, now);
        String kind = options.backfill().isPresent() ? "backfill " : fresh ? "all " : options.onlyFailedBatches() ? "failed " : "";
        return "microbatch by " + config.batchSize().label() + ": " + kind + Microbatches.count(windows) + " " + Microbatches.span(config, windows)
                + (options.fullRefresh() ? ", full refresh" : "");
    }
}
