package dev.baton.template;

import dev.baton.api.SourceLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the simplest templates without Jinja, as dbt's static parser does: a model whose only
 * markup is comments and {@code {{ ref(...) }}}, {@code {{ source(...) }}} and
 * {@code {{ config(...) }}} calls with literal arguments. Most models of a large project look like
 * that, and skipping the template engine for them saves starting it at all. Anything else (a
 * block tag, whitespace control, a variable, an expression, an escape in a string) is left to
 * Jinja, so the result is always what Jinja would render.
 */
public final class StaticTemplate {
    private StaticTemplate() {}

    private static final java.util.regex.Pattern REDEFINED = java.util.regex.Pattern.compile("macro\\s+(ref|source|config)\\s*\\(");

    /** Whether templates may be rendered statically next to these macros: not when they redefine ref, source or config. */
    public static boolean appliesWith(java.util.Collection<String> macroTexts) {
        for (String text : macroTexts) {
            if (REDEFINED.matcher(text).find()) {
                return false;
            }
        }
        return true;
    }

    /** The rendered text, with the calls made on {@code context}; empty when the template needs Jinja. */
    public static Optional<String> render(String template, String file, TemplateContext context) {
        String source = TemplateEngine.normalize(template);
        // The template as it reads: plain text (String) between calls (Call).
        List<Object> parts = new ArrayList<>();
        int position = 0;
        int line = 1;
        while (true) {
            int open = source.indexOf('{', position);
            while (open >= 0 && open + 1 < source.length() && "{%#".indexOf(source.charAt(open + 1)) < 0) {
                open = source.indexOf('{', open + 1);
            }
            if (open < 0 || open + 1 >= source.length()) {
                parts.add(source.substring(position));
                break;
            }
            parts.add(source.substring(position, open));
            line += count(source, position, open);
            char kind = source.charAt(open + 1);
            if (kind == '%' || (open + 2 < source.length() && source.charAt(open + 2) == '-')) {
                return Optional.empty();
            }
            if (kind == '#') {
                int close = source.indexOf("#}", open + 2);
                if (close < 0 || source.charAt(close - 1) == '-') {
                    return Optional.empty();
                }
                line += count(source, open, close);
                position = close + 2;
                continue;
            }
            Parser parser = new Parser(source, open + 2);
            Call call = parser.call(line);
            if (call == null) {
                return Optional.empty();
            }
            parts.add(call);
            line += count(source, open, parser.at);
            position = parser.at;
        }
        // Calls are made in order once the whole template is known to be static, so a template that
        // falls back to Jinja leaves no calls behind.
        StringBuilder rendered = new StringBuilder(source.length() + 64);
        for (Object part : parts) {
            if (part instanceof String text) {
                rendered.append(text);
            } else {
                rendered.append(make((Call) part, file, context));
            }
        }
        return Optional.of(rendered.toString());
    }

    /** Makes one call on the context and returns what it renders as. */
    private static String make(Call call, String file, TemplateContext context) {
        SourceLocation at = SourceLocation.of(file, call.line());
        switch (call.function()) {
            case "ref":
                return call.positional().size() == 1
                        ? context.ref(Optional.empty(), (String) call.positional().get(0), at)
                        : context.ref(Optional.of((String) call.positional().get(0)), (String) call.positional().get(1), at);
            case "source":
                return context.source((String) call.positional().get(0), (String) call.positional().get(1), at);
            default:
                context.config(Collections.unmodifiableMap(call.named()), at);
                return "";
        }
    }

    private static int count(String text, int from, int to) {
        int lines = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private record Call(String function, List<Object> positional, Map<String, Object> named, int line) {}

    /** Reads one {@code name(literal, key=literal) }}} expression; {@code null} for anything else. */
    private static final class Parser {
        private static final Object INVALID = new Object();
        private final String text;
        private int at;

        Parser(String text, int at) {
            this.text = text;
            this.at = at;
        }

        Call call(int line) {
            skipSpace();
            String function = identifier();
            if (!"ref".equals(function) && !"source".equals(function) && !"config".equals(function)) {
                return null;
            }
            skipSpace();
            if (!take('(')) {
                return null;
            }
            List<Object> positional = new ArrayList<>();
            Map<String, Object> named = new LinkedHashMap<>();
            skipSpace();
            if (!take(')')) {
                while (true) {
                    skipSpace();
                    int mark = at;
                    String key = identifier();
                    skipSpace();
                    if (key != null && peek('=') && !text.startsWith("==", at)) {
                        at++;
                        Object value = literal();
                        if (value == INVALID || named.put(key, value) != null) {
                            return null;
                        }
                    } else {
                        at = mark;
                        Object value = literal();
                        if (value == INVALID || !named.isEmpty()) {
                            return null;
                        }
                        positional.add(value);
                    }
                    skipSpace();
                    if (take(')')) {
                        break;
                    }
                    if (!take(',')) {
                        return null;
                    }
                }
            }
            skipSpace();
            if (!text.startsWith("}}", at)) {
                return null;
            }
            at += 2;
            boolean valid = switch (function) {
                case "ref" -> named.isEmpty() && (positional.size() == 1 || positional.size() == 2) && allStrings(positional);
                case "source" -> named.isEmpty() && positional.size() == 2 && allStrings(positional);
                default -> positional.isEmpty() && !named.isEmpty();
            };
            return valid ? new Call(function, positional, named, line) : null;
        }

        private static boolean allStrings(List<Object> values) {
            for (Object value : values) {
                if (!(value instanceof String)) {
                    return false;
                }
            }
            return true;
        }

        private Object literal() {
            skipSpace();
            if (at >= text.length()) {
                return INVALID;
            }
            char first = text.charAt(at);
            if (first == '\'' || first == '"') {
                int close = text.indexOf(first, at + 1);
                if (close < 0) {
                    return INVALID;
                }
                String value = text.substring(at + 1, close);
                if (value.indexOf('\\') >= 0 || value.indexOf('\n') >= 0 || value.contains("{{") || value.contains("{%")) {
                    return INVALID;
                }
                at = close + 1;
                return value;
            }
            if (first == '[') {
                at++;
                List<Object> items = new ArrayList<>();
                skipSpace();
                if (take(']')) {
                    return Collections.unmodifiableList(items);
                }
                while (true) {
                    Object item = literal();
                    if (item == INVALID) {
                        return INVALID;
                    }
                    items.add(item);
                    skipSpace();
                    if (take(']')) {
                        return Collections.unmodifiableList(items);
                    }
                    if (!take(',')) {
                        return INVALID;
                    }
                    skipSpace();
                    if (take(']')) {
                        return Collections.unmodifiableList(items);
                    }
                }
            }
            if (first == '{') {
                at++;
                Map<String, Object> entries = new LinkedHashMap<>();
                skipSpace();
                if (take('}')) {
                    return Collections.unmodifiableMap(entries);
                }
                while (true) {
                    Object key = literal();
                    skipSpace();
                    if (!(key instanceof String) || !take(':')) {
                        return INVALID;
                    }
                    Object value = literal();
                    if (value == INVALID) {
                        return INVALID;
                    }
                    entries.put((String) key, value);
                    skipSpace();
                    if (take('}')) {
                        return Collections.unmodifiableMap(entries);
                    }
                    if (!take(',')) {
                        return INVALID;
                    }
                    skipSpace();
                }
            }
            if (first == '-' || Character.isDigit(first)) {
                int start = at;
                at++;
                while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
                    at++;
                }
                String number = text.substring(start, at);
                try {
                    return number.contains(".") ? (Object) Double.parseDouble(number) : (Object) Long.parseLong(number);
                } catch (NumberFormatException e) {
                    return INVALID;
                }
            }
            String word = identifier();
            if ("True".equals(word) || "true".equals(word)) {
                return Boolean.TRUE;
            }
            if ("False".equals(word) || "false".equals(word)) {
                return Boolean.FALSE;
            }
            return INVALID;
        }

        private String identifier() {
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            return at > start && !Character.isDigit(text.charAt(start)) ? text.substring(start, at) : null;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private boolean peek(char c) {
            return at < text.length() && text.charAt(at) == c;
        }

        private boolean take(char c) {
            if (peek(c)) {
                at++;
                return true;
            }
            return false;
        }
    }
}
