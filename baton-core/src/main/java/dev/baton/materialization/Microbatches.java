package dev.baton.materialization;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.ErrorType;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import dev.baton.materialization.IncrementalOptions.EventTimeRange;
import dev.baton.materialization.IntervalLedger.BatchRecord;
import dev.baton.project.IncrementalConfig;
import dev.baton.project.IncrementalConfig.BatchSize;
import dev.baton.project.Node;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A microbatch model: its table is a sequence of event-time windows ({@code batch_size} long from
 * {@code begin}), each built by its own query with the inputs that have an {@code event_time}
 * filtered to the window. A batch replaces its whole window in one transaction (delete the
 * window, insert the batch's rows), so running a batch again never doubles a row; the ledger
 * records it only after that commit. Batches are staged and audited in parallel where the model
 * allows it and applied one at a time.
 */
final class Microbatches {
    private static final DateTimeFormatter LITERAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final MaterializationContext context;
    private final Engine engine;
    private final Node node;
    private final IncrementalConfig config;
    private final Relation relation;
    private final String eventTime;
    private final Object publishing = new Object();

    /** One window of event time. */
    record Window(LocalDateTime start, LocalDateTime end) {}

    /** How one batch ended. */
    private record Outcome(Window window, long rows, Optional<String> error, long failedChecks, Optional<BatonException> userError) {
        boolean succeeded() {
            return error.isEmpty();
        }
    }

    Microbatches(MaterializationContext context, Engine engine, Node node, IncrementalConfig config) {
        this.context = context;
        this.engine = engine;
        this.node = node;
        this.config = config;
        this.relation = node.relation().orElseThrow();
        this.eventTime = engine.quote(config.eventTime().orElseThrow());
    }

    NodeOutcome execute(EngineSession session, Optional<RelationType> existing) throws SQLException {
        IncrementalOptions options = context.incremental();
        LocalDateTime now = LocalDateTime.ofInstant(options.clock().instant(), ZoneOffset.UTC);
        boolean rebuild = existing.isEmpty() || existing.get() != RelationType.TABLE || options.fullRefresh();
        if (rebuild) {
            return rebuild(session, allWindows(config, options, now), existing.isPresent());
        }
        List<Window> windows = toRun(now);
        if (windows.isEmpty()) {
            // Nothing is staged, so the checks judge the live table as it stays.
            long failed = context.checks().audit(session, engine.render(relation), relation.toString());
            if (failed > 0) {
                return IncrementalMaterialization.rejected("incremental model " + relation + " had no batch to run", 0, failed);
            }
            return NodeOutcome.built("incremental model " + relation + " is up to date: no batch to run", 0);
        }
        List<Outcome> outcomes = runBatches(session, windows, config.incrementalSql(), Optional.empty());
        return report(outcomes, "built " + count(windows) + " of incremental model " + relation + " " + span(windows));
    }

    /** The batches a build runs on a live table: a backfill's, the failed ones on retry, else the missing ones and the lookback. */
    List<Window> toRun(LocalDateTime now) {
        return toRun(config, node.uniqueId(), context.incremental(), now);
    }

    static List<Window> toRun(IncrementalConfig config, String nodeId, IncrementalOptions options, LocalDateTime now) {
        BatchSize size = config.batchSize();
        if (options.backfill().isPresent()) {
            EventTimeRange range = options.backfill().get();
            return windows(size, range.start(), range.end());
        }
        List<BatchRecord> recorded = options.ledger().batches(nodeId);
        if (options.onlyFailedBatches()) {
            List<Window> failed = recorded.stream().filter(batch -> !batch.succeeded()).map(batch -> new Window(batch.start(), batch.end())).toList();
            if (!failed.isEmpty()) {
                return failed;
            }
        }
        Set<LocalDateTime> complete = new HashSet<>();
        recorded.stream().filter(BatchRecord::complete).forEach(batch -> complete.add(batch.start()));
        LocalDateTime current = size.truncate(now);
        LocalDateTime lookbackStart = size.minus(current, config.lookback());
        List<Window> result = new ArrayList<>();
        for (Window window : windows(size, config.begin().orElseThrow(), size.next(current))) {
            if (!complete.contains(window.start()) || !window.start().isBefore(lookbackStart)) {
                result.add(window);
            }
        }
        return result;
    }

    /** Every batch from {@code begin} to the current one, or a backfill's: what a build without a live table runs. */
    static List<Window> allWindows(IncrementalConfig config, IncrementalOptions options, LocalDateTime now) {
        return options.backfill().map(range -> windows(config.batchSize(), range.start(), range.end()))
                .orElseGet(() -> windows(config.batchSize(), config.begin().orElseThrow(), config.batchSize().next(config.batchSize().truncate(now))));
    }

    static List<Window> windows(BatchSize size, LocalDateTime from, LocalDateTime until) {
        List<Window> windows = new ArrayList<>();
        for (LocalDateTime start = size.truncate(from); start.isBefore(until); start = size.next(start)) {
            windows.add(new Window(start, size.next(start)));
        }
        return windows;
    }

    /** Builds the table from scratch, batch by batch into a staging table, audits it whole and swaps it in. */
    private NodeOutcome rebuild(EngineSession session, List<Window> windows, boolean replacing) throws SQLException {
        List<Outcome> outcomes = new ArrayList<>();
        long[] failedChecks = {0};
        Publisher.Published published = Publisher.publishAudited(engine, session, relation, into -> {
            Window shape = windows.isEmpty() ? new Window(config.begin().orElseThrow(), config.begin().orElseThrow()) : windows.get(0);
            session.execute("create table " + engine.render(into) + " as select * from (\n" + batchSql(node.compiledSql(), shape) + "\n) as batch where false");
            outcomes.addAll(runBatches(session, windows, node.compiledSql(), Optional.of(into)));
            if (!windows.isEmpty() && outcomes.stream().noneMatch(Outcome::succeeded)) {
                throw failure(outcomes, false);
            }
            return outcomes.stream().filter(Outcome::succeeded).mapToLong(Outcome::rows).sum();
        }, staged -> {
            failedChecks[0] = context.checks().audit(session, engine.render(staged), relation.toString());
            return failedChecks[0] == 0;
        }, Optional.empty());
        if (!published.published()) {
            return IncrementalMaterialization.rejected(replacing ? "kept previous version of " + relation
                    : "did not publish " + relation + ", which has no previous version", published.rows(), failedChecks[0]);
        }
        IntervalLedger ledger = context.incremental().ledger();
        ledger.clearBatches(node.uniqueId());
        Instant processed = context.incremental().clock().instant();
        for (Outcome outcome : outcomes) {
            ledger.recordBatch(node.uniqueId(), record(outcome, processed));
        }
        String what = replacing ? "rebuilt incremental model " + relation + " (full refresh)" : "created incremental model " + relation;
        return report(outcomes, what + " from " + count(windows) + " " + span(windows));
    }

    /** Runs the batches, in parallel when the model allows it; into a fresh table, or applied to the live one. */
    private List<Outcome> runBatches(EngineSession session, List<Window> windows, String sql, Optional<Relation> fresh) throws SQLException {
        boolean readsItself = sql.contains(engine.render(relation));
        boolean concurrent = config.concurrentBatches().orElse(!readsItself) && context.threads() > 1 && windows.size() > 1;
        List<Outcome> outcomes = new ArrayList<>();
        if (!concurrent) {
            for (Window window : windows) {
                outcomes.add(batch(session, window, sql, fresh));
            }
            return outcomes;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(context.threads(), windows.size()), runnable -> {
            Thread thread = new Thread(runnable, "baton-batch");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Window window : windows) {
                futures.add(pool.submit(() -> {
                    try (EngineSession own = engine.openSession()) {
                        return batch(own, window, sql, fresh);
                    }
                }));
            }
            for (Future<Outcome> future : futures) {
                try {
                    outcomes.add(future.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SQLException cause) {
                        throw cause;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting for batches", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return outcomes;
    }

    /** One batch: staged, audited, then applied in one transaction (or appended to the fresh table of a rebuild). */
    private Outcome batch(EngineSession session, Window window, String sql, Optional<Relation> fresh) {
        String select = "select * from (\n" + batchSql(sql, window) + "\n) as batch where " + eventTime + " >= " + literal(window.start()) + " and "
                + eventTime + " < " + literal(window.end());
        if (fresh.isPresent()) {
            try {
                long rows = session.execute("insert into " + engine.render(fresh.get()) + " " + select);
                return new Outcome(window, rows, Optional.empty(), 0, Optional.empty());
            } catch (SQLException | RuntimeException e) {
                return failed(window, e);
            }
        }
        Relation staged = relation.withIdentifier(relation.identifier() + "__" + key(window) + Publisher.STAGING_SUFFIX);
        String stagedSql = engine.render(staged);
        try {
            session.execute("drop table if exists " + stagedSql);
            session.execute("create table " + stagedSql + " as " + select);
            long rows = Long.parseLong(session.query("select count(*) from " + stagedSql, 1).rows().get(0).get(0));
            long failedChecks = context.checks().audit(session, stagedSql, relation + " batch " + label(window));
            if (failedChecks > 0) {
                Outcome outcome = new Outcome(window, rows, Optional.of(failedChecks + " check" + (failedChecks == 1 ? "" : "s") + " failed"), failedChecks,
                        Optional.empty());
                context.incremental().ledger().recordBatch(node.uniqueId(), record(outcome, context.incremental().clock().instant()));
                return outcome;
            }
            synchronized (publishing) {
                SchemaChange change = SchemaChange.between(session, relation, staged);
                change.check(config.onSchemaChange(), relation.toString(), config.location("on_schema_change", node.location()));
                String inWindow = eventTime + " >= " + literal(window.start()) + " and " + eventTime + " < " + literal(window.end());
                if (engine.capabilities().updateDelete()) {
                    List<String> statements = new ArrayList<>(change.ddl(engine, relation, config.onSchemaChange()));
                    statements.add("delete from " + engine.render(relation) + " where " + inWindow);
                    statements.addAll(IncrementalMaterialization.apply(engine, relation, stagedSql, change.insertedColumns(config.onSchemaChange()),
                            List.of(), IncrementalConfig.Strategy.APPEND));
                    statements.add("drop table " + stagedSql);
                    session.executeAtomically(statements);
                } else {
                    // Tables that cannot delete rows in place are rewritten: the rows outside the window, then the batch's, swapped in.
                    Publisher.publishTable(engine, session, relation, "select " + String.join(", ", change.liveExpressions(engine, config.onSchemaChange()))
                            + " from " + engine.render(relation) + " as live where not coalesce(" + inWindow + ", false)\nunion all\nselect "
                            + String.join(", ", change.stagedExpressions(engine, config.onSchemaChange())) + " from " + stagedSql);
                }
            }
            Outcome outcome = new Outcome(window, rows, Optional.empty(), 0, Optional.empty());
            context.incremental().ledger().recordBatch(node.uniqueId(), record(outcome, context.incremental().clock().instant()));
            return outcome;
        } catch (SQLException | RuntimeException e) {
            Outcome outcome = failed(window, e);
            context.incremental().ledger().recordBatch(node.uniqueId(), record(outcome, context.incremental().clock().instant()));
            return outcome;
        } finally {
            IncrementalMaterialization.dropQuietly(session, "drop table if exists " + stagedSql);
        }
    }

    private static Outcome failed(Window window, Exception e) {
        Optional<BatonException> user = e instanceof BatonException baton && baton.errorCode().type() == ErrorType.USER_ERROR ? Optional.of(baton)
                : Optional.empty();
        String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
        return new Outcome(window, -1, Optional.of(message), 0, user);
    }

    private BatchRecord record(Outcome outcome, Instant processed) {
        return new BatchRecord(outcome.window().start(), outcome.window().end(), outcome.succeeded(), context.runId(), processed, outcome.rows(),
                outcome.error());
    }

    /** The node's outcome: built, or failed naming the failed batches (the others stay published). */
    private NodeOutcome report(List<Outcome> outcomes, String success) {
        List<Outcome> failed = outcomes.stream().filter(outcome -> !outcome.succeeded()).toList();
        long rows = outcomes.stream().filter(Outcome::succeeded).mapToLong(outcome -> Math.max(0, outcome.rows())).sum();
        if (failed.isEmpty()) {
            return NodeOutcome.built(success + ": " + rows + " row" + (rows == 1 ? "" : "s"), rows);
        }
        Optional<BatonException> user = failed.stream().flatMap(outcome -> outcome.userError().stream()).findFirst();
        if (user.isPresent()) {
            throw user.get();
        }
        long failedChecks = failed.stream().mapToLong(Outcome::failedChecks).sum();
        if (failed.stream().allMatch(outcome -> outcome.failedChecks() > 0)) {
            return new NodeOutcome(describeFailures(outcomes, failed), OptionalLong.of(rows), OptionalLong.of(failedChecks), false, true);
        }
        throw failure(outcomes, true);
    }

    private BatonException failure(List<Outcome> outcomes, boolean published) {
        List<Outcome> failed = outcomes.stream().filter(outcome -> !outcome.succeeded()).toList();
        Optional<BatonException> user = failed.stream().flatMap(outcome -> outcome.userError().stream()).findFirst();
        if (user.isPresent()) {
            return user.get();
        }
        return new BatonException(ErrorCode.BATCH_FAILED, describeFailures(outcomes, failed)
                + (published ? "; 'baton retry' runs only the failed batches" : ""));
    }

    private String describeFailures(List<Outcome> outcomes, List<Outcome> failed) {
        StringBuilder text = new StringBuilder(failed.size() + " of " + count(outcomes.size()) + " of " + relation + " failed ("
                + (outcomes.size() - failed.size()) + " published)");
        for (Outcome outcome : failed) {
            text.append("; batch ").append(label(outcome.window())).append(": ").append(outcome.error().orElse(""));
        }
        return text.toString();
    }

    private String batchSql(String sql, Window window) {
        return sql.replace(IncrementalConfig.BATCH_START, literal(window.start())).replace(IncrementalConfig.BATCH_END, literal(window.end()));
    }

    static String literal(LocalDateTime time) {
        return "TIMESTAMP '" + LITERAL.format(time) + "'";
    }

    /** A batch as people name it: {@code 2024-01-05}, {@code 2024-01-05T07:00}, {@code 2024-01}. */
    private String label(Window window) {
        return label(config, window);
    }

    static String label(IncrementalConfig config, Window window) {
        return switch (config.batchSize()) {
            case HOUR -> window.start().toString();
            case DAY -> window.start().toLocalDate().toString();
            case MONTH -> window.start().toLocalDate().toString().substring(0, 7);
            case YEAR -> String.valueOf(window.start().getYear());
        };
    }

    private static String key(Window window) {
        return DateTimeFormatter.ofPattern("yyyyMMddHH").format(window.start());
    }

    private String span(List<Window> windows) {
        return span(config, windows);
    }

    static String span(IncrementalConfig config, List<Window> windows) {
        if (windows.isEmpty()) {
            return "(no batch)";
        }
        return "(" + label(config, windows.get(0)) + (windows.size() == 1 ? "" : " to " + label(config, windows.get(windows.size() - 1))) + ")";
    }

    static String count(List<Window> windows) {
        return count(windows.size());
    }

    private static String count(int batches) {
        return batches + " batch" + (batches == 1 ? "" : "es");
    }
}
