package dev.baton.template;

import com.hubspot.jinjava.interpret.Context;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the files under {@code macros/}: each is rendered once, and the macros it defines are kept.
 * dbt's generic test blocks ({@code {% test name(...) %}}) become macros named {@code test_<name>};
 * custom materialization blocks are skipped.
 */
final class MacroFiles {
    private static final Pattern TEST_OPEN = Pattern.compile("\\{%(-?)(\\s*)test\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
    private static final Pattern TEST_CLOSE = Pattern.compile("\\{%(-?)(\\s*)endtest(\\s*)(-?)%}");
    private static final Pattern MATERIALIZATION_OPEN = Pattern.compile("\\{%(-?)\\s*materialization\\s[^%]*?(-?)%}");
    private static final Pattern MATERIALIZATION_CLOSE = Pattern.compile("\\{%(-?)\\s*endmaterialization\\s*(-?)%}");

    private MacroFiles() {}

    static Map<String, DbtMacro> load(TemplateEngine engine, Map<String, String> files) {
        Map<String, DbtMacro> macros = new LinkedHashMap<>();
        for (Map.Entry<String, String> file : new TreeMap<>(files).entrySet()) {
            for (DbtMacro macro : parse(engine, file.getKey(), file.getValue())) {
                DbtMacro previous = macros.putIfAbsent(macro.getName(), macro);
                if (previous != null) {
                    throw new BatonException(ErrorCode.DUPLICATE_NODE,
                            "macro '" + macro.getName() + "' is already defined at "
                                    + SourceLocation.of(previous.file(), previous.definitionLine())
                                    + "; rename or remove one of them",
                            SourceLocation.of(macro.file(), macro.definitionLine()));
                }
            }
        }
        return macros;
    }

    private static Iterable<DbtMacro> parse(TemplateEngine engine, String file, String text) {
        Context scope = new TemplateScope(engine.library(), file);
        DbtInterpreter interpreter = engine.macroFileInterpreter(scope, file, new TopLevel());
        engine.run(interpreter, rewriteBlocks(TemplateEngine.normalize(text)));
        return scope.getGlobalMacros().values().stream()
                .map(DbtMacro.class::cast)
                .sorted((left, right) -> left.getName().compareTo(right.getName()))
                .toList();
    }

    /** Rewrites dbt-only block tags in place, keeping every line where it was. */
    static String rewriteBlocks(String text) {
        if (!text.contains("test") && !text.contains("materialization")) {
            return text;
        }
        String rewritten = TEST_OPEN.matcher(text).replaceAll("{%$1$2macro test_$3(");
        rewritten = TEST_CLOSE.matcher(rewritten).replaceAll("{%$1$2endmacro$3$4%}");
        rewritten = MATERIALIZATION_OPEN.matcher(rewritten).replaceAll("{%$1 if false $2%}");
        return MATERIALIZATION_CLOSE.matcher(rewritten).replaceAll("{%$1 endif $2%}");
    }

    /** The callbacks for code at the top level of a macro file, outside any macro. */
    private static final class TopLevel implements TemplateContext {
        @Override
        public String ref(Optional<String> packageName, String name, SourceLocation at) {
            throw outsideMacro("ref", at);
        }

        @Override
        public String source(String sourceName, String tableName, SourceLocation at) {
            throw outsideMacro("source", at);
        }

        @Override
        public void config(Map<String, Object> values, SourceLocation at) {
            throw outsideMacro("config", at);
        }

        @Override
        public Optional<String> thisRelation() {
            return Optional.empty();
        }

        @Override
        public boolean isIncremental() {
            return false;
        }

        private static BatonException outsideMacro(String function, SourceLocation at) {
            return new BatonException(ErrorCode.TEMPLATE_RUNTIME,
                    function + "() is called outside a macro in a macro file; move the call into a {% macro %} block", at);
        }
    }
}
