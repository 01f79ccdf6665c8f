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
                long start = System.nanoTime();
                try (StateStore store = StateStore.open(projectDir, url)) {
                    long opened = System.nanoTime();
                    System.out.println("open_micros=" + (opened - start) / 1_000 + " migrated=" + ((SqlStateStore) store).migrated());
                }
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
