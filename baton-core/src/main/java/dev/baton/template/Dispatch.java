package dev.baton.template;

import com.hubspot.jinjava.lib.fn.MacroFunction;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dbt's {@code adapter.dispatch('name', 'package')(arguments)}. Jinjava's expressions cannot call
 * the result of a call, so templates are rewritten, on the same line, to
 * {@code adapter_dispatch(['name', 'package'], arguments)}, which finds the macro for the target's
 * adapter ({@link TemplateEngine#dispatch}) and calls it.
 */
final class Dispatch {
    private static final Pattern NO_ARGUMENTS = Pattern.compile("adapter\\.dispatch\\(([^()]*)\\)[ \\t]*\\([ \\t]*\\)");
    private static final Pattern WITH_ARGUMENTS = Pattern.compile("adapter\\.dispatch\\(([^()]*)\\)[ \\t]*\\(");
    private static final Pattern NAMED = Pattern.compile("\\b(macro_name|macro_namespace)\\s*=\\s*");

    private Dispatch() {}

    static String rewrite(String template) {
        if (!template.contains("adapter.dispatch")) {
            return template;
        }
        String rewritten = replace(NO_ARGUMENTS, template, "])");
        return replace(WITH_ARGUMENTS, rewritten, "], ");
    }

    private static String replace(Pattern pattern, String text, String end) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String arguments = NAMED.matcher(matcher.group(1)).replaceAll("");
            matcher.appendReplacement(result, Matcher.quoteReplacement("adapter_dispatch([" + arguments + end));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** The function behind the rewritten call: the first argument holds dispatch's own arguments. */
    static Object call(DbtInterpreter interpreter, Object... arguments) {
        if (arguments.length == 0 || !(arguments[0] instanceof List<?> dispatch) || dispatch.isEmpty() || !(dispatch.get(0) instanceof String name)) {
            throw DbtFunctions.runtimeError(interpreter, "adapter.dispatch() takes a macro name as a string, such as adapter.dispatch('dateadd', 'dbt')");
        }
        MacroFunction macro = interpreter.engine().dispatch(name).orElseThrow(() -> new BatonException(ErrorCode.DISPATCH_NOT_FOUND,
                "adapter.dispatch('" + name + "') found no macro for the " + interpreter.engine().adapterType() + " adapter; define "
                        + interpreter.engine().adapterType() + "__" + name + " or default__" + name + " in a macro file"
                        + interpreter.macroTrace(interpreter.getLineNumber()),
                interpreter.callSite()));
        return macro.evaluate(Arrays.copyOfRange(arguments, 1, arguments.length));
    }
}
