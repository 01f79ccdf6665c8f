package dev.baton.server.run;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.event.EventSink;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Runs submitted work one at a time, in the order it came, on one thread: the warehouse's one writer. */
public final class SerialRunQueue implements RunQueue {
    /** Exit code of a run cancelled before it started, as for one stopped with Ctrl-C. */
    public static final int CANCELLED_EXIT = 130;

    private final RunExecutor executor;
    private final EventSink events;
    private final Consumer<QueuedRun> onFinished;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "baton-run-queue");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, QueuedRun> runs = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();

    /**
     * @param events receives the events of every run
     * @param onFinished called after each run, on the queue's thread
     */
    public SerialRunQueue(RunExecutor executor, EventSink events, Consumer<QueuedRun> onFinished) {
        this.executor = requireNonNull(executor, "executor is null");
        this.events = requireNonNull(events, "events is null");
        this.onFinished = requireNonNull(onFinished, "onFinished is null");
    }

    @Override
    public QueuedRun submit(RunRequest request) {
        QueuedRun run = new QueuedRun(request);
        runs.put(run.id(), run);
        waiting.incrementAndGet();
        try {
            worker.execute(() -> execute(run));
        } catch (RejectedExecutionException e) {
            runs.remove(run.id());
            waiting.decrementAndGet();
            throw new BatonException(ErrorCode.SERVER_REQUEST_FAILED, "the server is shutting down and takes no more runs; start it again with 'baton serve'");
        }
        return run;
    }

    private void execute(QueuedRun run) {
        waiting.decrementAndGet();
        if (run.cancelRequested()) {
            PrintStream err = stream(run, "err");
            err.println("Cancelled before it started.");
            err.flush();
            run.finished(CANCELLED_EXIT);
            return;
        }
        run.started();
        PrintStream out = stream(run, "out");
        PrintStream err = stream(run, "err");
        int code;
        try {
            code = executor.execute(run.request(), new RunIo() {
                @Override
                public PrintStream out() {
                    return out;
                }

                @Override
                public PrintStream err() {
                    return err;
                }

                @Override
                public EventSink events() {
                    return events;
                }

                @Override
                public void onCancel(Runnable cancel) {
                    if (run.registerCancel(cancel)) {
                        cancel.run();
                    }
                }
            });
        } catch (RuntimeException e) {
            err.println("internal error: " + e);
            code = 3;
        }
        out.flush();
        err.flush();
        run.finished(code);
        try {
            onFinished.accept(run);
        } catch (RuntimeException e) {
            // What follows a run (reloading the project) must not stop the queue.
        }
    }

    private static PrintStream stream(QueuedRun run, String name) {
        OutputStream chunks = new ByteArrayOutputStream() {
            @Override
            public synchronized void flush() {
                if (count > 0) {
                    run.append(name, buf, count);
                    reset();
                }
            }
        };
        return new PrintStream(chunks, true, StandardCharsets.UTF_8);
    }

    @Override
    public Optional<QueuedRun> find(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    @Override
    public int waiting() {
        return waiting.get();
    }

    @Override
    public <T> T read(Callable<T> task, Duration wait) throws TimeoutException, ExecutionException, InterruptedException {
        requireNonNull(task, "task is null");
        CountDownLatch started = new CountDownLatch(1);
        FutureTask<T> read = new FutureTask<>(() -> {
            started.countDown();
            return task.call();
        });
        try {
            worker.execute(read);
        } catch (RejectedExecutionException e) {
            throw new TimeoutException("the server is stopping");
        }
        try {
            if (!started.await(wait.toMillis(), TimeUnit.MILLISECONDS) && read.cancel(false)) {
                throw new TimeoutException("the warehouse is busy with a run");
            }
        } catch (InterruptedException e) {
            read.cancel(false);
            throw e;
        }
        return read.get();
    }

    @Override
    public boolean cancel(String id) {
        QueuedRun run = runs.get(id);
        if (run == null || run.state() == QueuedRun.State.FINISHED) {
            return false;
        }
        run.requestCancel().ifPresent(Runnable::run);
        return true;
    }

    @Override
    public void shutdown(Duration grace) {
        worker.shutdown();
        for (QueuedRun run : runs.values()) {
            if (run.state() != QueuedRun.State.FINISHED) {
                run.requestCancel().ifPresent(Runnable::run);
            }
        }
        try {
            if (!worker.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
