package dev.baton.template;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** dbt's {@code exceptions} namespace: {@code raise_compiler_error(msg)} and {@code warn(msg)}. */
final class CompilerExceptions {
    private static final Logger LOG = LoggerFactory.getLogger("dev.baton.template.log");

    CompilerExceptions() {}

    /** Fails the render with the message, at the line that called it. */
    public String raise_compiler_error(Object message) {
        DbtInterpreter interpreter = DbtFunctions.current();
        if (interpreter.returnedFromCurrentMacro()) {
            return "";
        }
        throw new BatonException(ErrorCode.TEMPLATE_RUNTIME,
                message + interpreter.macroTrace(interpreter.getLineNumber()), interpreter.callSite());
    }

    public String warn(Object message) {
        DbtInterpreter interpreter = DbtFunctions.current();
        if (!interpreter.returnedFromCurrentMacro()) {
            LOG.warn("{}: {}", interpreter.callSite(), message);
        }
        return "";
    }
}
