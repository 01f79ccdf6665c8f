package dev.baton.check;

import static java.util.Objects.requireNonNull;

/**
 * The verdict on one check: its failure count, whether that passes, warns or fails, and up to
 * {@value #SAMPLE_ROWS} failing rows (PII columns masked) when it did not pass.
 */
public record CheckOutcome(String testId, long failures, Verdict verdict, String message, java.util.List<String> sample) {
    public static final int SAMPLE_ROWS = 5;

    public CheckOutcome(String testId, long failures, Verdict verdict, String message) {
        this(testId, failures, verdict, message, java.util.List.of());
    }

    public CheckOutcome withSample(java.util.List<String> rows) {
        return new CheckOutcome(testId, failures, verdict, message, rows);
    }

    /** The message with the sample rows on the lines below it. */
    public String messageWithSample() {
        if (sample.isEmpty()) {
            return message;
        }
        return message + "\n    failing rows (first " + sample.size() + "):\n      " + String.join("\n      ", sample);
    }

    public enum Verdict {
        PASS,
        WARN,
        FAIL
    }

    public CheckOutcome {
        requireNonNull(testId, "testId is null");
        requireNonNull(verdict, "verdict is null");
        requireNonNull(message, "message is null");
        sample = java.util.List.copyOf(sample);
    }
}
