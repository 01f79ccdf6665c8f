package dev.baton.template;

import static java.util.Objects.requireNonNull;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.baton.api.BatonException;
import dev.baton.api.SourceLocation;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The interpreter of one render: knows the file, the callbacks, the active macro calls, and keeps
 * the first fatal error as a {@link BatonException} (Jinjava records errors and renders on).
 */
final class DbtInterpreter extends JinjavaInterpreter {
    private final TemplateEngine engine;
    private final String file;
    private final TemplateContext callbacks;
    private final Deque<MacroFrame> frames = new ArrayDeque<>();
    private BatonException failure;

    DbtInterpreter(Jinjava jinjava, Context context, JinjavaConfig config, TemplateEngine engine, String file, TemplateContext callbacks) {
        super(jinjava, context, config);
        this.engine = requireNonNull(engine, "engine is null");
        this.file = requireNonNull(file, "file is null");
        this.callbacks = requireNonNull(callbacks, "callbacks is null");
    }

    TemplateEngine engine() {
        return engine;
    }

    String file() {
        return file;
    }

    TemplateContext callbacks() {
        return callbacks;
    }

    MacroFrame enterMacro(DbtMacro macro, int callLine) {
        MacroFrame frame = new MacroFrame(macro, callLine);
        frames.push(frame);
        return frame;
    }

    void exitMacro() {
        frames.pop();
    }

    Optional<MacroFrame> currentMacro() {
        return Optional.ofNullable(frames.peek());
    }

    /** True after {@code return()} in the running macro: the rest of its body has no effect. */
    boolean returnedFromCurrentMacro() {
        MacroFrame frame = frames.peek();
        return frame != null && frame.returned();
    }

    /** The place in the rendered file of what runs now: inside a macro, the line that called it. */
    SourceLocation callSite() {
        return location(getLineNumber());
    }

    /** The place in the rendered file for an error at {@code line} of whatever runs now. */
    SourceLocation location(int line) {
        MacroFrame outermost = frames.peekLast();
        return SourceLocation.of(file, outermost == null ? line : outermost.callLine());
    }

    /** " (in macro 'm' at macros/m.sql:4)" when running inside a macro, else empty. */
    String macroTrace(int line) {
        MacroFrame innermost = frames.peek();
        if (innermost == null) {
            return "";
        }
        DbtMacro macro = innermost.macro();
        return " (in macro '" + macro.getName() + "' at " + SourceLocation.of(macro.file(), line) + ")";
    }

    void fail(BatonException error) {
        if (failure == null) {
            failure = error;
        }
    }

    Optional<BatonException> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Text of a value in {@code {{ }}}: strings as they are (Jinjava's Python-style serializer would
     * run every string through JSON quoting and back), booleans as Python prints them.
     */
    @Override
    public String getAsString(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Boolean flag) {
            return flag ? "True" : "False";
        }
        return super.getAsString(value);
    }

    /** Jinja2 rejects what Jinjava only warns about, such as a stray end tag or an unclosed {@code {{}. */
    @Override
    public void addError(TemplateError error) {
        super.addError(error);
        if (failure == null && (error.getSeverity() == TemplateError.ErrorType.FATAL
                || error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR)) {
            failure = TemplateFailures.toException(error, this);
        }
    }
}
