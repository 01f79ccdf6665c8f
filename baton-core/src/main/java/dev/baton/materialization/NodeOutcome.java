package dev.baton.materialization;

import java.util.OptionalLong;

/**
 * What executing one node produced, before the runner adds timings.
 *
 * @param message one line for people, such as {@code created table main.orders} or {@code 3 failing rows}
 * @param rowsAffected rows written, when known
 * @param failures failing rows, for tests
 * @param warned a test found failing rows but its severity is warn
 * @param failed a test found failing rows at severity error
 */
public record NodeOutcome(String message, OptionalLong rowsAffected, OptionalLong failures, boolean warned, boolean failed) {
    public static NodeOutcome built(String message, long rows) {
        return new NodeOutcome(message, rows >= 0 ? OptionalLong.of(rows) : OptionalLong.empty(), OptionalLong.empty(), false, false);
    }
}
