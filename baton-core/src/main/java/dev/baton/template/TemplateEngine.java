package dev.baton.template;

import static java.util.Objects.requireNonNull;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.TemplateSyntaxException;
import dev.baton.api.BatonException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Renders model SQL, test SQL and macros with dbt's Jinja context on Jinjava. Macro files are parsed
 * once, when the engine is created; every render then shares them. Thread-safe.
 */
public final class TemplateEngine {
    private static final JinjavaConfig CONFIG = JinjavaConfig.newBuilder()
            .withLegacyOverrides(LegacyOverrides.newBuilder()
                    .withIterateOverMapKeys(true)
                    .withUsePyishObjectMapper(true)
                    .withUseNaturalOperatorPrecedence(true)
                    .withKeepNullableLoopValues(true)
                    .withEvaluateMapKeys(true)
                    .withParseWhitespaceControlStrictly(true)
                    .withHandleBackslashInQuotesOnly(true)
                    .withUseTrimmingForNotesAndExpressions(true)
                    .build())
            .withTrimBlocks(false)
            .withLstripBlocks(false)
            .withNestedInterpretationEnabled(false)
            .withEnableRecursiveMacroCalls(true)
            .withMaxMacroRecursionDepth(200)
            .build();

    private final Jinjava jinjava;
    private final LibraryContext library;
    private final Map<String, Object> vars;
    private final Map<String, String> environment;
    private final Map<String, String> docs;
    private final String invocationId;
    private final Map<String, DbtMacro> macros = new HashMap<>();
    private final Map<String, DbtMacro> builtinMacros = new HashMap<>();
    private final String adapterType;
    /** The target's database, for {@code this.database}; null when the target names none. */
    private final String database;
    private final Set<String> callableNames = new TreeSet<>(DbtFunctions.names());

    private TemplateEngine(Map<String, String> docFiles, Map<String, Object> vars, Map<String, String> environment, Map<String, Object> target) {
        this.jinjava = new Jinjava(CONFIG);
        this.library = new LibraryContext(jinjava.getGlobalContext());
        this.vars = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(vars, "vars is null")));
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.docs = Collections.unmodifiableMap(DocsBlocks.parse(requireNonNull(docFiles, "docFiles is null")));
        this.invocationId = UUID.randomUUID().toString();
        this.adapterType = String.valueOf(requireNonNull(target, "target is null").getOrDefault("type", "duckdb"));
        this.database = target.get("database") == null ? null : String.valueOf(target.get("database"));
        DbtFunctions.register(jinjava.getGlobalContext());
        library.put("target", Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(target, "target is null"))));
        library.put("run_started_at", new RunStartedAt(ZonedDateTime.now(ZoneOffset.UTC)));
        library.put("invocation_id", invocationId);
        library.put("exceptions", new CompilerExceptions());
        library.put("execute", Boolean.TRUE);
        library.put("config", TemplateConfig.INSTANCE);
        library.put("adapter", new Adapter());
        library.put("modules", UnavailableNamespace.modules());
    }

    /**
     * An engine for one project invocation.
     *
     * @param macroFiles path (relative, forward slashes) to text of every {@code macros/**}{@code /*.sql}
     * @param docFiles path to text of every {@code .md} file holding {@code {% docs %}} blocks
     * @param vars project vars merged with {@code --vars}
     * @param env the environment ({@code System.getenv()} in production)
     * @param target the target as a map (name, type, schema, threads, ...)
     * @throws BatonException when a macro or docs file is malformed, or a macro is defined twice
     */
    public static TemplateEngine create(
            Map<String, String> macroFiles,
            Map<String, String> docFiles,
            Map<String, Object> vars,
            Map<String, String> env,
            Map<String, Object> target) {
        return create(Optional.empty(), macroFiles, docFiles, vars, env, target);
    }

    /**
     * What templates know of the project beyond its files: its name ({@code project_name}) and the
     * dbt packages it declares but Baton does not install, by macro namespace ({@code dbt_utils}
     * to {@code dbt-labs/dbt_utils}).
     */
    public record ProjectIdentity(String name, Map<String, String> uninstalledPackages) {
        public ProjectIdentity {
            requireNonNull(name, "name is null");
            uninstalledPackages = Map.copyOf(uninstalledPackages);
        }
    }

    /** As {@link #create(Map, Map, Map, Map, Map)}, for the project {@code project}. */
    public static TemplateEngine create(
            ProjectIdentity project,
            Map<String, String> macroFiles,
            Map<String, String> docFiles,
            Map<String, Object> vars,
            Map<String, String> env,
            Map<String, Object> target) {
        return create(Optional.of(project), macroFiles, docFiles, vars, env, target);
    }

    private static TemplateEngine create(
            Optional<ProjectIdentity> project,
            Map<String, String> macroFiles,
            Map<String, String> docFiles,
            Map<String, Object> vars,
            Map<String, String> env,
            Map<String, Object> target) {
        TemplateEngine engine = new TemplateEngine(docFiles, vars, env, target);
        project.ifPresent(identity -> {
            engine.library.put("project_name", identity.name());
            identity.uninstalledPackages().forEach((namespace, name) -> engine.library.put(namespace, UnavailableNamespace.of(namespace, name)));
        });
        CrossDatabaseMacros.load(engine).forEach(engine::addBuiltinMacro);
        // dbt's own macros are also reached through its namespace: dbt.dateadd(...), dbt.type_string().
        engine.library.put("dbt", Collections.unmodifiableMap(new java.util.TreeMap<>(engine.builtinMacros)));
        MacroFiles.load(engine, requireNonNull(macroFiles, "macroFiles is null")).forEach(engine::addMacro);
        return engine;
    }

    /**
     * Renders one template.
     *
     * @param file the path shown in errors, such as {@code models/staging/stg_orders.sql}
     * @throws BatonException on a syntax error, an unknown macro, a failing expression, or whatever a
     *     callback of {@code context} throws (passed on unchanged)
     */
    public String render(String template, String file, TemplateContext context) {
        requireNonNull(file, "file is null");
        requireNonNull(context, "context is null");
        String source = normalize(requireNonNull(template, "template is null"));
        if (!hasMarkup(source)) {
            return source;
        }
        Context scope = new TemplateScope(library, file);
        context.thisRelation().ifPresent(relation -> scope.put("this", thisValue(relation)));
        return run(new DbtInterpreter(jinjava, scope, CONFIG, this, file, context), source);
    }

    /**
     * Calls one macro with keyword arguments, as a custom generic test is called: {@code
     * test_<name>(model=..., column_name=..., ...)}. The argument values are passed as they are (lists,
     * mappings, text), not rendered.
     *
     * @param file the path shown in errors, such as the properties file declaring the test
     */
    public String renderCall(String macro, Map<String, Object> arguments, String file, TemplateContext context) {
        requireNonNull(macro, "macro is null");
        requireNonNull(file, "file is null");
        requireNonNull(context, "context is null");
        Context scope = new TemplateScope(library, file);
        context.thisRelation().ifPresent(relation -> scope.put("this", thisValue(relation)));
        StringBuilder call = new StringBuilder("{{ ").append(macro).append("(");
        int index = 0;
        for (Map.Entry<String, Object> argument : arguments.entrySet()) {
            String variable = "__baton_argument_" + index++;
            scope.put(variable, argument.getValue());
            call.append(index > 1 ? ", " : "").append(argument.getKey()).append("=").append(variable);
        }
        call.append(") }}");
        return run(new DbtInterpreter(jinjava, scope, CONFIG, this, file, context), call.toString());
    }

    /**
     * {@code this}: a relation with its parts (in the target's database when it names none), or the
     * text as it is when it names no relation.
     */
    private Object thisValue(String relation) {
        return TemplateRelation.parse(relation).<Object>map(parsed -> parsed.inDatabase(database)).orElse(relation);
    }

    /** The docs blocks by name, for {@code doc()} in descriptions. */
    public Map<String, String> docs() {
        return docs;
    }

    /** The names of the macros defined under {@code macros/}, including {@code test_<name>} of generic tests. */
    public Set<String> macroNames() {
        return Collections.unmodifiableSet(new TreeSet<>(macros.keySet()));
    }

    /** The {@code invocation_id} templates see. */
    public String invocationId() {
        return invocationId;
    }

    Map<String, Object> vars() {
        return vars;
    }

    Map<String, String> environment() {
        return environment;
    }

    Set<String> callableNames() {
        return callableNames;
    }

    /** A fresh scope under the shared library, for reading one macro file. */
    DbtInterpreter macroFileInterpreter(Context scope, String file, TemplateContext callbacks) {
        return new DbtInterpreter(jinjava, scope, CONFIG, this, file, callbacks);
    }

    Context library() {
        return library;
    }

    String run(DbtInterpreter interpreter, String source) {
        String output;
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            output = interpreter.render(source);
        } catch (RuntimeException e) {
            throw interpreter.failure()
                    .or(() -> TemplateFailures.findBatonException(e))
                    .orElseGet(() -> TemplateFailures.toException(asTemplateError(e), interpreter));
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        if (interpreter.failure().isPresent()) {
            throw interpreter.failure().get();
        }
        return output;
    }

    /**
     * The macro {@code adapter.dispatch(name)} calls, as dbt resolves it: the project's
     * {@code <adapter>__name}, then its {@code default__name}, then the same two among Baton's built-in macros.
     */
    java.util.Optional<DbtMacro> dispatch(String name) {
        for (Map<String, DbtMacro> namespace : java.util.List.of(macros, builtinMacros)) {
            DbtMacro found = namespace.getOrDefault(adapterType + "__" + name, namespace.get("default__" + name));
            if (found != null) {
                return java.util.Optional.of(found);
            }
        }
        return java.util.Optional.empty();
    }

    String adapterType() {
        return adapterType;
    }

    private void addBuiltinMacro(String name, DbtMacro macro) {
        builtinMacros.put(name, macro);
        callableNames.add(name);
        library.addGlobalMacro(macro);
    }

    private void addMacro(String name, DbtMacro macro) {
        macros.put(name, macro);
        callableNames.add(name);
        library.addGlobalMacro(macro);
    }

    private static TemplateError asTemplateError(RuntimeException e) {
        if (e instanceof TemplateSyntaxException syntax) {
            return TemplateError.fromException(syntax);
        }
        if (e instanceof InterpretException interpret) {
            return TemplateError.fromSyntaxError(interpret);
        }
        return TemplateError.fromException(e);
    }

    /** Jinja2 reads newlines as {@code \n} and drops one trailing newline of the template. */
    static String normalize(String template) {
        String text = template.indexOf('\r') >= 0 ? template.replace("\r\n", "\n").replace('\r', '\n') : template;
        return Dispatch.rewrite(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
    }

    private static boolean hasMarkup(String text) {
        int brace = text.indexOf('{');
        while (brace >= 0 && brace < text.length() - 1) {
            char next = text.charAt(brace + 1);
            if (next == '{' || next == '%' || next == '#') {
                return true;
            }
            brace = text.indexOf('{', brace + 1);
        }
        return false;
    }

    /**
     * dbt's {@code adapter} object, as far as a template can use it without a connection:
     * {@code adapter.quote('name')}. ({@code adapter.dispatch(...)} is rewritten to a function call
     * before rendering.)
     */
    public static final class Adapter {
        Adapter() {}

        /** The identifier in double quotes, a double quote in it doubled. */
        public String quote(String identifier) {
            return '"' + identifier.replace("\"", "\"\"") + '"';
        }
    }
}
