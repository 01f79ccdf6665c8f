package dev.baton.template;

import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.Suggestions;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** dbt's context functions: ref, source, config, var, env_var, is_incremental, return, log, print, doc. */
final class DbtFunctions {
    private static final Logger LOG = LoggerFactory.getLogger("dev.baton.template.log");

    /** Template name to Java method name. */
    private static final Map<String, String> FUNCTIONS = Map.ofEntries(
            Map.entry("ref", "ref"),
            Map.entry("source", "source"),
            Map.entry("config", "config"),
            Map.entry("var", "variable"),
            Map.entry("env_var", "environmentVariable"),
            Map.entry("is_incremental", "isIncremental"),
            Map.entry("return", "returnValue"),
            Map.entry("log", "log"),
            Map.entry("print", "log"),
            Map.entry("doc", "doc"),
            Map.entry("adapter_dispatch", "adapterDispatch"));

    private DbtFunctions() {}

    /** The names of every function a template may call: these and {@link DataFunctions}'. */
    static Set<String> names() {
        Set<String> names = new java.util.TreeSet<>(FUNCTIONS.keySet());
        names.addAll(DataFunctions.FUNCTIONS.keySet());
        return names;
    }

    /** Registers the functions where Jinjava looks for them: the global context of the engine's own Jinjava. */
    static void register(Context context) {
        FUNCTIONS.forEach((name, method) -> context.registerFunction(new ELFunctionDefinition("", name, find(DbtFunctions.class, method))));
        DataFunctions.FUNCTIONS.forEach((name, method) -> context.registerFunction(new ELFunctionDefinition("", name, find(DataFunctions.class, method))));
    }

    private static Method find(Class<?> type, String name) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.getName().equals(name) && method.isVarArgs()) {
                method.setAccessible(true);
                return method;
            }
        }
        throw new IllegalStateException("no template function " + name);
    }

    static String ref(Object... arguments) {
        DbtInterpreter interpreter = current();
        if (interpreter.returnedFromCurrentMacro()) {
            return "";
        }
        List<Object> positional = positional(arguments);
        if (positional.size() == 1 && positional.get(0) instanceof String name) {
            return interpreter.callbacks().ref(Optional.empty(), name, interpreter.callSite());
        }
        if (positional.size() == 2 && positional.get(0) instanceof String pkg && positional.get(1) instanceof String name) {
            return interpreter.callbacks().ref(Optional.of(pkg), name, interpreter.callSite());
        }
        throw runtimeError(interpreter, "ref() takes a model name, or a package name and a model name, as strings; got "
                + describe(positional) + "; write ref('model') or ref('package', 'model')");
    }

    static String source(Object... arguments) {
        DbtInterpreter interpreter = current();
        if (interpreter.returnedFromCurrentMacro()) {
            return "";
        }
        List<Object> positional = positional(arguments);
        if (positional.size() == 2 && positional.get(0) instanceof String source && positional.get(1) instanceof String table) {
            return interpreter.callbacks().source(source, table, interpreter.callSite());
        }
        throw runtimeError(interpreter, "source() takes a source name and a table name, as strings; got "
                + describe(positional) + "; write source('source_name', 'table_name')");
    }

    static String config(Object... arguments) {
        DbtInterpreter interpreter = current();
        if (interpreter.returnedFromCurrentMacro()) {
            return "";
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Object argument : arguments) {
            if (argument instanceof NamedParameter named) {
                values.put(named.getName(), PlainValues.toPlain(named.getValue()));
            } else if (argument instanceof Map<?, ?> map) {
                map.forEach((key, value) -> values.put(String.valueOf(key), PlainValues.toPlain(value)));
            } else {
                throw runtimeError(interpreter, "config() takes named arguments, such as config(materialized='table'); got "
                        + describe(List.of(argument)));
            }
        }
        interpreter.callbacks().config(Collections.unmodifiableMap(values), interpreter.callSite());
        return "";
    }

    static Object variable(Object... arguments) {
        DbtInterpreter interpreter = current();
        List<Object> positional = positional(arguments);
        String name = nameArgument(interpreter, "var", positional);
        Map<String, Object> vars = interpreter.engine().vars();
        if (vars.containsKey(name)) {
            return vars.get(name);
        }
        if (positional.size() > 1) {
            return positional.get(1);
        }
        throw runtimeError(interpreter, "unknown variable '" + name + "' in var(); define it under vars: in baton.yml or pass --vars '{"
                + name + ": ...}'");
    }

    static Object environmentVariable(Object... arguments) {
        DbtInterpreter interpreter = current();
        List<Object> positional = positional(arguments);
        String name = nameArgument(interpreter, "env_var", positional);
        String value = interpreter.engine().environment().get(name);
        if (value != null) {
            return value;
        }
        if (positional.size() > 1) {
            return positional.get(1);
        }
        throw runtimeError(interpreter, "environment variable '" + name + "' is not set in env_var(); set it, or give a default: env_var('"
                + name + "', 'default')");
    }

    static boolean isIncremental(Object... arguments) {
        return current().callbacks().isIncremental();
    }

    static String returnValue(Object... arguments) {
        DbtInterpreter interpreter = current();
        Optional<MacroFrame> frame = interpreter.currentMacro();
        if (frame.isEmpty()) {
            throw runtimeError(interpreter, "return() is only allowed inside a macro; remove it or move this code into a macro");
        }
        frame.get().returnValue(arguments.length == 0 ? null : arguments[0]);
        return "";
    }

    static String log(Object... arguments) {
        DbtInterpreter interpreter = current();
        if (!interpreter.returnedFromCurrentMacro() && arguments.length > 0) {
            LOG.info("{}: {}", interpreter.callSite(), arguments[0]);
        }
        return "";
    }

    static String doc(Object... arguments) {
        DbtInterpreter interpreter = current();
        String name = nameArgument(interpreter, "doc", positional(arguments));
        String text = interpreter.engine().docs().get(name);
        if (text != null) {
            return text;
        }
        String hint = Suggestions.closest(name, interpreter.engine().docs().keySet())
                .map(suggestion -> "did you mean '" + suggestion + "'?")
                .orElse("define it in a {% docs " + name + " %} block in a .md file");
        throw runtimeError(interpreter, "unknown doc '" + name + "' in doc(); " + hint);
    }

    static Object adapterDispatch(Object... arguments) {
        DbtInterpreter interpreter = current();
        if (interpreter.returnedFromCurrentMacro()) {
            return "";
        }
        return Dispatch.call(interpreter, arguments);
    }

    static DbtInterpreter current() {
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        if (interpreter instanceof DbtInterpreter dbt) {
            return dbt;
        }
        throw new IllegalStateException("template function called outside a Baton render");
    }

    static BatonException runtimeError(DbtInterpreter interpreter, String detail) {
        return new BatonException(ErrorCode.TEMPLATE_RUNTIME, detail + interpreter.macroTrace(interpreter.getLineNumber()), interpreter.callSite());
    }

    private static String nameArgument(DbtInterpreter interpreter, String function, List<Object> positional) {
        if (positional.isEmpty() || !(positional.get(0) instanceof String name)) {
            throw runtimeError(interpreter, function + "() takes a name as its first argument, as a string; got " + describe(positional));
        }
        return name;
    }

    private static List<Object> positional(Object[] arguments) {
        List<Object> positional = new ArrayList<>(arguments.length);
        for (Object argument : arguments) {
            positional.add(argument instanceof NamedParameter named ? named.getValue() : argument);
        }
        return positional;
    }

    private static String describe(List<Object> arguments) {
        List<String> shown = new ArrayList<>();
        for (Object argument : arguments) {
            shown.add(argument instanceof String text ? "'" + text + "'" : String.valueOf(argument));
        }
        return "(" + String.join(", ", shown) + ")";
    }
}
