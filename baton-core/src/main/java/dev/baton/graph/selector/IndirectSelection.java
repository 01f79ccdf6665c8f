package dev.baton.graph.selector;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which tests come along when the nodes they test are selected (dbt's {@code --indirect-selection}). */
public enum IndirectSelection {
    /** A test is selected when any node it depends on is selected. dbt's default. */
    EAGER,
    /** A test is selected only when every node it depends on is selected. */
    CAUTIOUS,
    /** Like cautious, but a test may also depend on ancestors of the selected nodes. */
    BUILDABLE,
    /** Only tests selected directly. */
    EMPTY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a mode as written on the command line or in selectors.yml. */
    public static IndirectSelection fromLabel(String label) {
        for (IndirectSelection mode : values()) {
            if (mode.label().equals(label)) {
                return mode;
            }
        }
        throw new BatonException(ErrorCode.INVALID_SELECTOR, "unknown indirect selection mode '" + label + "'; use one of: "
                + Arrays.stream(values()).map(IndirectSelection::label).collect(Collectors.joining(", ")));
    }
}
