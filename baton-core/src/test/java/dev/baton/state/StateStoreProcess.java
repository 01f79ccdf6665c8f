package dev.baton.state;

import dev.baton.api.event.RunEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Runs a store in a fresh JVM: to time opening it, or to die in the middle of a run. */
public final class StateStoreProcess {
    private StateStoreProcess() {}

    public static void main(String[] args) throws Exception {
        Path projectDir = Path.of(args[1]);
        Optional<String> url = args.length > 2 && !args[2].isEmpty() ? Optional.of(args[2]) : Optional.empty();
        switch (args[0]) {
            case "open" -> {
                // CPU time of this thread tells the cost apart from the machine's load; the bean loads before timing.
                java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
                long startCpu = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                long opened;
                boolean migrated;
                try (StateStore store = StateStore.open(projectDir, url)) {
                    opened = System.nanoTime();
                    long openedCpu = threads.getCurrentThreadCpuTime();
                    System.out.println("open_cpu_micros=" + (openedCpu - startCpu) / 1_000);
                    migrated = ((SqlStateStore) store).migrated();
                }
                long again = System.nanoTime();
                try (StateStore store = StateStore.open(projectDir, url)) {
                    store.recentRuns(1);
                }
                long reopened = System.nanoTime();
                System.out.println("open_micros=" + (opened - start) / 1_000 + " migrated=" + migrated
                        + " second_open_micros=" + (reopened - again) / 1_000);
            }
            case "crash" -> {
                StateStore store = StateStore.open(projectDir, url);
                String runId = args[3];
                store.runStarted(new RunEvent.RunStarted(runId, "baton build", "shop", "dev", 5, 4, Instant.now()));
                for (int i = 1; i <= 3; i++) {
                    store.nodeFinished(runId, StateStoreTestSupport.success("model.shop.m" + i), Optional.empty());
                }
                Thread.sleep(StateStore.COMMIT_INTERVAL_MILLIS * 4);
                System.out.println("halting");
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
