package dev.baton.template;

import com.hubspot.jinjava.interpret.MissingEndTagException;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.TemplateSyntaxException;
import com.hubspot.jinjava.interpret.UnknownTagException;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.Suggestions;
import dev.baton.api.SourceLocation;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns Jinjava's template errors into messages that say what failed and how to fix it. */
final class TemplateFailures {
    private static final Pattern UNRESOLVED_FUNCTION = Pattern.compile("Could not resolve function '([^']+)'");
    private static final Pattern MISMATCHED_END_TAG = Pattern.compile("Syntax error in '(.*)': Mismatched end tag, expected: (\\w+)", Pattern.DOTALL);
    private static final Pattern MISSING_END_TAG = Pattern.compile("Missing end tag: (\\w+) for tag defined as: (.*)", Pattern.DOTALL);

    private TemplateFailures() {}

    static BatonException toException(TemplateError error, DbtInterpreter interpreter) {
        Optional<BatonException> thrown = findBatonException(error.getException());
        if (thrown.isPresent()) {
            return thrown.get();
        }
        int line = Math.max(error.getLineno(), 0);
        SourceLocation at = interpreter.location(line);
        String trace = interpreter.macroTrace(line);
        String message = error.getMessage() == null ? "" : error.getMessage();
        Matcher unresolved = UNRESOLVED_FUNCTION.matcher(message);
        if (unresolved.find()) {
            return unknownMacro(unresolved.group(1), trace, at, interpreter.engine());
        }
        if (isSyntaxError(error)) {
            return new BatonException(ErrorCode.TEMPLATE_SYNTAX, "Jinja syntax error: " + describeSyntaxError(error) + trace, at);
        }
        String expression = error.getFieldName() == null || error.getFieldName().isBlank() ? "" : " in '" + error.getFieldName() + "'";
        return new BatonException(ErrorCode.TEMPLATE_RUNTIME,
                "Jinja error" + expression + trace + ": " + message + "; fix the expression or the values it uses", at);
    }

    /** The BatonException in a chain of causes, such as one thrown by a callback inside Jinjava. */
    static Optional<BatonException> findBatonException(Throwable throwable) {
        for (Throwable cause = throwable; cause != null; cause = cause.getCause()) {
            if (cause instanceof BatonException batonException) {
                return Optional.of(batonException);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }

    static BatonException unknownMacro(String name, String trace, SourceLocation at, TemplateEngine engine) {
        String hint = Suggestions.closest(name, engine.callableNames())
                .map(suggestion -> "did you mean '" + suggestion + "'?")
                .orElse("define it in a file under macros/");
        return new BatonException(ErrorCode.UNDEFINED_MACRO, "unknown macro '" + name + "'" + trace + "; " + hint, at);
    }

    private static boolean isSyntaxError(TemplateError error) {
        Exception exception = error.getException();
        if (exception instanceof MissingEndTagException || exception instanceof UnknownTagException) {
            return true;
        }
        String message = error.getMessage() == null ? "" : error.getMessage();
        return error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR && error.getSeverity() == TemplateError.ErrorType.WARNING
                || message.startsWith("Error parsing") || message.startsWith("Syntax error in")
                || exception instanceof TemplateSyntaxException && exception.getCause() == null;
    }

    private static String describeSyntaxError(TemplateError error) {
        String message = error.getMessage();
        Matcher missing = MISSING_END_TAG.matcher(message);
        if (error.getException() instanceof MissingEndTagException && missing.find()) {
            return missing.group(2).strip() + " is never closed; add {% " + missing.group(1) + " %} where the block ends";
        }
        if (error.getException() instanceof UnknownTagException) {
            String tag = error.getFieldName() == null ? "" : error.getFieldName();
            return "unknown tag '" + tag + "'; check its spelling, and that every end tag closes a block opened before it";
        }
        Matcher mismatched = MISMATCHED_END_TAG.matcher(message);
        if (mismatched.find()) {
            return "found " + mismatched.group(1) + " while the open block needs {% " + mismatched.group(2) + " %}; add {% "
                    + mismatched.group(2) + " %} before it";
        }
        if (message.equals("Missing start tag") && error.getFieldName() != null) {
            String end = error.getFieldName();
            String start = end.startsWith("end") ? end.substring(3) : end;
            return "{% " + end + " %} closes a block that is not open; remove it, or add the {% " + start + " ... %} it should close";
        }
        if (message.equals("Unclosed token")) {
            return "a {{ or {% is never closed; close it with }} or %}";
        }
        String stripped = message.replaceFirst("^Syntax error in '(.*?)': ", "$1: ");
        return stripped + "; fix the tag or expression on this line";
    }
}
