package dev.baton.template;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplateErrorsTest {
    private static final Map<String, String> MACROS = Map.of(
            "macros/money.sql", "{% macro cents_to_dollars(column) %}round({{ column }} / 100.0, 2){% endmacro %}",
            "macros/checks.sql", "{% macro check_positive(column) %}\n  {% if column == 'bad' %}\n    {{ exceptions.raise_compiler_error('column ' ~ column ~ ' cannot be checked') }}\n  {% endif %}\n  {{ column }} > 0\n{% endmacro %}",
            "macros/broken.sql", "{% macro uses_unknown() %}\n\n  {{ cents_to_dolars('x') }}\n{% endmacro %}",
            "macros/refs.sql", "{% macro orders_relation() %}\n{{ ref('ordrs') }}\n{% endmacro %}");

    private static final TemplateEngine ENGINE = TemplateEngine.create(MACROS, Map.of("models/docs.md", "{% docs orders %}Orders{% enddocs %}"),
            Map.of(), Map.of(), Map.of("name", "dev"));

    private static TemplateEngine engine() {
        return ENGINE;
    }

    private static BatonException renderError(String template) {
        try {
            engine().render(template, "models/x.sql", new RecordingContext());
        } catch (BatonException e) {
            return e;
        }
        throw new AssertionError("expected an error rendering " + template);
    }

    private static void assertError(String template, ErrorCode code, String message) {
        BatonException error = renderError(template);
        org.assertj.core.api.Assertions.assertThat(error.getMessage()).isEqualTo(message);
        org.assertj.core.api.Assertions.assertThat(error.errorCode()).isEqualTo(code);
    }

    @Test
    void missingEndTag() {
        assertError("select 1\n\n{% for x in [1, 2] %}\n{{ x }}", ErrorCode.TEMPLATE_SYNTAX,
                "models/x.sql:3: Jinja syntax error: {% for x in [1, 2] %} is never closed; add {% endfor %} where the block ends");
    }

    @Test
    void ifWithoutExpression() {
        assertError("select 1\n{% if %}a{% endif %}", ErrorCode.TEMPLATE_SYNTAX,
                "models/x.sql:2: Jinja syntax error: {% if %}: Tag 'if' expects expression; fix the tag or expression on this line");
    }

    @Test
    void brokenExpression() {
        assertError("select\n\n{{ 1 + }}", ErrorCode.TEMPLATE_SYNTAX,
                "models/x.sql:3: Jinja syntax error: Error parsing '1 +': syntax error at position 6, encountered '}', expected <IDENTIFIER>|<STRING>|<FLOAT>|<INTEGER>|'true'|'false'|'null'|'-'|'!'|'not'|'empty'|'('; fix the tag or expression on this line");
    }

    @Test
    void unknownTag() {
        assertError("select 1\n{% frobnicate %}", ErrorCode.TEMPLATE_SYNTAX,
                "models/x.sql:2: Jinja syntax error: unknown tag 'frobnicate'; check its spelling, and that every end tag closes a block opened before it");
    }

    @Test
    void strayEndTag() {
        assertError("select 1\n{% endif %}", ErrorCode.TEMPLATE_SYNTAX,
                "models/x.sql:2: Jinja syntax error: {% endif %} closes a block that is not open; remove it, or add the {% if ... %} it should close");
    }

    @Test
    void unclosedExpression() {
        assertError("select 1\n{{ ref('orders')", ErrorCode.TEMPLATE_SYNTAX,
                "models/x.sql:2: Jinja syntax error: a {{ or {% is never closed; close it with }} or %}");
    }

    @Test
    void unknownMacroWithSuggestion() {
        assertError("select\n\n  {{ cents_to_dolars('amount') }}", ErrorCode.UNDEFINED_MACRO,
                "models/x.sql:3: unknown macro 'cents_to_dolars'; did you mean 'cents_to_dollars'?");
    }

    @Test
    void unknownMacroWithoutCloseName() {
        assertError("{{ frobnicate_everything() }}", ErrorCode.UNDEFINED_MACRO,
                "models/x.sql:1: unknown macro 'frobnicate_everything'; define it in a file under macros/");
    }

    @Test
    void unknownMacroInsideAMacroPointsAtTheCallerAndTheMacro() {
        assertError("select\n{{ uses_unknown() }}", ErrorCode.UNDEFINED_MACRO,
                "models/x.sql:2: unknown macro 'cents_to_dolars' (in macro 'uses_unknown' at macros/broken.sql:3); did you mean 'cents_to_dollars'?");
    }

    @Test
    void callbackErrorsPassThroughUnchanged() {
        BatonException error = renderError("select *\nfrom {{ ref('custmers') }}");

        org.assertj.core.api.Assertions.assertThat(error.errorCode()).isEqualTo(ErrorCode.UNKNOWN_REF);
        org.assertj.core.api.Assertions.assertThat(error.getMessage()).isEqualTo("models/x.sql:2: unknown model 'custmers' in ref()");
    }

    @Test
    void callbackErrorsInsideAMacroPointAtTheCallingLine() {
        BatonException error = renderError("-- header\n\n\nselect * from {{ orders_relation() }}");

        org.assertj.core.api.Assertions.assertThat(error.errorCode()).isEqualTo(ErrorCode.UNKNOWN_REF);
        org.assertj.core.api.Assertions.assertThat(error.location()).contains(SourceLocation.of("models/x.sql", 4));
    }

    @Test
    void raiseCompilerErrorInsideAMacro() {
        assertError("select\n  {{ check_positive('amount') }},\n  {{ check_positive('bad') }}", ErrorCode.TEMPLATE_RUNTIME,
                "models/x.sql:3: column bad cannot be checked (in macro 'check_positive' at macros/checks.sql:3)");
    }

    @Test
    void raiseCompilerErrorInAModel() {
        assertError("\n{{ exceptions.raise_compiler_error('this model is retired') }}", ErrorCode.TEMPLATE_RUNTIME,
                "models/x.sql:2: this model is retired");
    }

    @Test
    void unknownVariable() {
        assertError("select\n{{ var('start_date') }}", ErrorCode.TEMPLATE_RUNTIME,
                "models/x.sql:2: unknown variable 'start_date' in var(); define it under vars: in baton.yml or pass --vars '{start_date: ...}'");
    }

    @Test
    void unsetEnvironmentVariable() {
        assertError("{{ env_var('WAREHOUSE_PASSWORD') }}", ErrorCode.TEMPLATE_RUNTIME,
                "models/x.sql:1: environment variable 'WAREHOUSE_PASSWORD' is not set in env_var(); set it, or give a default: env_var('WAREHOUSE_PASSWORD', 'default')");
    }

    @Test
    void unknownDoc() {
        assertError("{{ doc('ordrs') }}", ErrorCode.TEMPLATE_RUNTIME, "models/x.sql:1: unknown doc 'ordrs' in doc(); did you mean 'orders'?");
        assertError("{{ doc('customers') }}", ErrorCode.TEMPLATE_RUNTIME,
                "models/x.sql:1: unknown doc 'customers' in doc(); define it in a {% docs customers %} block in a .md file");
    }

    @Test
    void refWithWrongArguments() {
        assertError("{{ ref() }}", ErrorCode.TEMPLATE_RUNTIME,
                "models/x.sql:1: ref() takes a model name, or a package name and a model name, as strings; got (); write ref('model') or ref('package', 'model')");
    }

    @Test
    void returnOutsideAMacro() {
        assertError("{{ return(1) }}", ErrorCode.TEMPLATE_RUNTIME,
                "models/x.sql:1: return() is only allowed inside a macro; remove it or move this code into a macro");
    }

    @Test
    void failingExpression() {
        assertError("select\n{{ 'abc'.no_such_method() }}", ErrorCode.TEMPLATE_RUNTIME,
                "models/x.sql:2: Jinja error in ''abc'.no_such_method()': Cannot find method no_such_method with 0 parameters in class java.lang.String; fix the expression or the values it uses");
    }

    @Test
    void syntaxErrorInAMacroFileFailsCreation() {
        assertThatThrownBy(() -> TemplateEngine.create(Map.of("macros/bad.sql", "{% macro a() %}\n{% if x %}\n{% endmacro %}"), Map.of(), Map.of(), Map.of(), Map.of()))
                .isInstanceOf(BatonException.class)
                .hasMessage("macros/bad.sql:3: Jinja syntax error: found {% endmacro %} while the open block needs {% endif %}; add {% endif %} before it");
    }

    @Test
    void duplicateMacro() {
        assertThatThrownBy(() -> TemplateEngine.create(Map.of(
                        "macros/a.sql", "{% macro same() %}a{% endmacro %}",
                        "macros/b.sql", "\n\n{% macro same() %}b{% endmacro %}"), Map.of(), Map.of(), Map.of(), Map.of()))
                .isInstanceOf(BatonException.class)
                .hasMessage("macros/b.sql:3: macro 'same' is already defined at macros/a.sql:1; rename or remove one of them");
    }

    @Test
    void duplicateAndUnclosedDocs() {
        assertThatThrownBy(() -> TemplateEngine.create(Map.of(), Map.of(
                        "a.md", "{% docs orders %}A{% enddocs %}",
                        "b.md", "\n{% docs orders %}B{% enddocs %}"), Map.of(), Map.of(), Map.of()))
                .hasMessage("b.md:2: docs block 'orders' is already defined at a.md:1; rename or remove one of them");
        assertThatThrownBy(() -> TemplateEngine.create(Map.of(), Map.of("a.md", "\n\n{% docs orders %}A"), Map.of(), Map.of(), Map.of()))
                .hasMessage("a.md:3: Jinja syntax error: {% docs orders %} is never closed; add {% enddocs %} where the block ends");
    }

    @Test
    void firstErrorWinsWhenRenderingGoesOn() {
        BatonException error = renderError("{{ ref('nope') }}\n{{ var('missing') }}");

        org.assertj.core.api.Assertions.assertThat(error.getMessage()).isEqualTo("models/x.sql:1: unknown model 'nope' in ref()");
    }

    @Test
    void thisIsEmptyOutsideModels() {
        org.assertj.core.api.Assertions.assertThat(engine().render("[{{ this }}]", "tests/t.sql", new RecordingContext(Optional.empty(), false)))
                .isEqualTo("[]");
    }
}
