package dev.baton.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Lets the scheduler stop a running attempt: the executor registers how to stop its work. */
public final class Cancellation {
    private final List<Runnable> actions = new ArrayList<>();
    private String reason;

    /** Runs {@code action} when the attempt is cancelled, at once when it already was. */
    public void onCancel(Runnable action) {
        boolean now;
        synchronized (this) {
            now = reason != null;
            if (!now) {
                actions.add(action);
            }
        }
        if (now) {
            action.run();
        }
    }

    /** Cancels the attempt; the first reason wins. */
    public void cancel(String why) {
        List<Runnable> toRun;
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
            toRun = List.copyOf(actions);
            actions.clear();
        }
        toRun.forEach(Runnable::run);
    }

    public synchronized Optional<String> reason() {
        return Optional.ofNullable(reason);
    }
}
