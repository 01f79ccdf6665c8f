package dev.baton.template;

import static java.util.Objects.requireNonNull;

/** One active macro call during a render: where it was called from and what it returned. */
final class MacroFrame {
    private final DbtMacro macro;
    private final int callLine;
    private boolean returned;
    private Object value;

    MacroFrame(DbtMacro macro, int callLine) {
        this.macro = requireNonNull(macro, "macro is null");
        this.callLine = callLine;
    }

    DbtMacro macro() {
        return macro;
    }

    int callLine() {
        return callLine;
    }

    boolean returned() {
        return returned;
    }

    Object value() {
        return value;
    }

    /** {@code return(x)}: the first call wins, as the macro stops there in dbt. */
    void returnValue(Object value) {
        if (!returned) {
            this.returned = true;
            this.value = value;
        }
    }
}
