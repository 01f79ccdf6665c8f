package dev.baton.check;

import static java.util.Objects.requireNonNull;

/** The verdict on one check: its failure count and whether that passes, warns or fails. */
public record CheckOutcome(String testId, long failures, Verdict verdict, String message) {
    public enum Verdict {
        PASS,
        WARN,
        FAIL
    }

    public CheckOutcome {
        requireNonNull(testId, "testId is null");
        requireNonNull(verdict, "verdict is null");
        requireNonNull(message, "message is null");
    }
}
