package dev.baton.materialization;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Which batches of a microbatch model are done. A batch is recorded only after its rows are
 * committed to the warehouse; a process that dies in between leaves the batch unrecorded, and
 * since every batch replaces its whole window, running it again never doubles a row.
 */
public interface IntervalLedger {
    /** The latest record of every batch of a model, oldest batch first. */
    List<BatchRecord> batches(String nodeId);

    /** Records how one batch ended, replacing any earlier record of the same batch. */
    void recordBatch(String nodeId, BatchRecord batch);

    /** Forgets every batch of a model (its table was rebuilt from scratch). */
    void clearBatches(String nodeId);

    /** A ledger kept in memory, for runs without a state store: it forgets everything when the process ends. */
    static IntervalLedger inMemory() {
        return new IntervalLedger() {
            private final java.util.Map<String, java.util.TreeMap<LocalDateTime, BatchRecord>> batches = new java.util.HashMap<>();

            @Override
            public synchronized List<BatchRecord> batches(String nodeId) {
                return List.copyOf(batches.getOrDefault(nodeId, new java.util.TreeMap<>()).values());
            }

            @Override
            public synchronized void recordBatch(String nodeId, BatchRecord batch) {
                batches.computeIfAbsent(nodeId, key -> new java.util.TreeMap<>()).put(batch.start(), batch);
            }

            @Override
            public synchronized void clearBatches(String nodeId) {
                batches.remove(nodeId);
            }
        };
    }

    /**
     * One batch's latest outcome.
     *
     * @param start the first instant of the window (UTC)
     * @param end the end of the window, exclusive
     * @param succeeded whether its rows were published
     * @param runId the run that processed it
     * @param processedAt when it was processed: a window that had not ended by then is incomplete
     * @param rows rows written, or -1
     * @param error why it failed
     */
    record BatchRecord(LocalDateTime start, LocalDateTime end, boolean succeeded, String runId, Instant processedAt, long rows, Optional<String> error) {
        public BatchRecord {
            requireNonNull(start, "start is null");
            requireNonNull(end, "end is null");
            requireNonNull(runId, "runId is null");
            requireNonNull(processedAt, "processedAt is null");
            requireNonNull(error, "error is null");
        }

        /** Whether the batch succeeded after its window had ended, so it holds every row it ever will. */
        public boolean complete() {
            return succeeded && !end.isAfter(LocalDateTime.ofInstant(processedAt, java.time.ZoneOffset.UTC));
        }
    }
}
