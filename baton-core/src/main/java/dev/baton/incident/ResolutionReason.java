package dev.baton.incident;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.Suggestions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Why an incident was resolved. */
public enum ResolutionReason {
    FIXED,
    UPSTREAM_ISSUE,
    FALSE_POSITIVE,
    EXPECTED_CHANGE,
    OTHER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws BatonException {@code INVALID_ARGUMENT} for a reason that is not one of the labels
     */
    public static ResolutionReason parse(String text) {
        String normalized = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        for (ResolutionReason reason : values()) {
            if (reason.label().equals(normalized)) {
                return reason;
            }
        }
        List<String> labels = Arrays.stream(values()).map(ResolutionReason::label).toList();
        throw new BatonException(ErrorCode.INVALID_ARGUMENT, "unknown resolution reason '" + text + "'"
                + Suggestions.didYouMeanOr(normalized, labels, "use one of " + String.join(", ", labels)));
    }
}
