package dev.baton.template;

import static java.util.Objects.requireNonNull;

import com.hubspot.jinjava.interpret.Context.TemporaryValueClosable;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter.InterpreterScopeClosable;
import com.hubspot.jinjava.lib.fn.MacroFunction;
import com.hubspot.jinjava.tree.Node;
import java.util.List;
import java.util.Map;

/**
 * A macro from a file under {@code macros/}, parsed once and called from any render. Unlike a plain
 * Jinjava macro it honours dbt's {@code return(x)}: the call evaluates to {@code x}, and the rest of
 * the macro body is skipped.
 */
final class DbtMacro extends MacroFunction {
    private final String file;

    DbtMacro(MacroFunction parsed, String file) {
        super(parsed, parsed.getName());
        this.file = requireNonNull(file, "file is null");
    }

    String file() {
        return file;
    }

    int definitionLine() {
        return definitionLineNumber;
    }

    @Override
    public Object doEvaluate(Map<String, Object> argMap, Map<String, Object> kwargMap, List<Object> varArgs) {
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        if (!(interpreter instanceof DbtInterpreter dbt)) {
            return super.doEvaluate(argMap, kwargMap, varArgs);
        }
        int callLine = interpreter.getLineNumber();
        int callPosition = interpreter.getPosition();
        MacroFrame frame = dbt.enterMacro(this, callLine);
        try (InterpreterScopeClosable scope = interpreter.enterScope()) {
            String output = renderBody(argMap, kwargMap, varArgs, interpreter, frame);
            return frame.returned() ? frame.value() : output;
        } finally {
            dbt.exitMacro();
            interpreter.setLineNumber(callLine);
            interpreter.setPosition(callPosition);
        }
    }

    private String renderBody(
            Map<String, Object> argMap,
            Map<String, Object> kwargMap,
            List<Object> varArgs,
            JinjavaInterpreter interpreter,
            MacroFrame frame) {
        interpreter.setLineNumber(definitionLineNumber);
        interpreter.setPosition(definitionStartPosition);
        argMap.forEach(interpreter.getContext()::put);
        interpreter.getContext().put(KWARGS_KEY, kwargMap);
        interpreter.getContext().put(VARARGS_KEY, varArgs);
        StringBuilder output = new StringBuilder();
        try (TemporaryValueClosable<Boolean> raw = interpreter.getContext().withUnwrapRawOverride()) {
            for (Node node : content) {
                output.append(node.render(interpreter));
                if (frame.returned()) {
                    break;
                }
            }
        }
        return output.toString();
    }
}
