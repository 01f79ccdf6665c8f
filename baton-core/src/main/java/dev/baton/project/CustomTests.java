package dev.baton.project;

import static java.util.Objects.requireNonNull;

import dev.baton.api.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The custom generic tests a project defines: dbt's {@code {% test name(model, column_name, ...) %}}
 * blocks (and {@code {% macro test_name(...) %}} macros) in macro files and under
 * {@code tests/generic/}, with their parameters, so properties YAML can be checked before rendering.
 */
final class CustomTests {
    private static final Pattern DEFINITION = Pattern.compile(
            "\\{%-?\\s*(?:test\\s+([A-Za-z_][A-Za-z0-9_]*)|macro\\s+test_([A-Za-z_][A-Za-z0-9_]*))\\s*\\(([^)]*)\\)");

    /** One definition: its parameters in order, and which of them have no default. */
    record Definition(String name, SourceLocation location, List<String> parameters, List<String> required) {
        Definition {
            requireNonNull(name, "name is null");
            parameters = List.copyOf(parameters);
            required = List.copyOf(required);
        }

        /** The arguments properties YAML may give: every parameter but {@code model} and {@code column_name}. */
        List<String> arguments() {
            return parameters.stream().filter(parameter -> !parameter.equals("model") && !parameter.equals("column_name")).toList();
        }
    }

    private CustomTests() {}

    static Map<String, Definition> find(Map<String, String> macroFiles) {
        Map<String, Definition> definitions = new LinkedHashMap<>();
        macroFiles.forEach((file, text) -> {
            if (!text.contains("test")) {
                return;
            }
            Matcher matcher = DEFINITION.matcher(text);
            while (matcher.find()) {
                String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
                List<String> parameters = new ArrayList<>();
                List<String> required = new ArrayList<>();
                for (String parameter : splitTopLevel(matcher.group(3))) {
                    String trimmed = parameter.trim();
                    if (trimmed.isEmpty() || trimmed.startsWith("*")) {
                        continue;
                    }
                    int equals = trimmed.indexOf('=');
                    String parameterName = (equals < 0 ? trimmed : trimmed.substring(0, equals)).trim();
                    parameters.add(parameterName);
                    if (equals < 0) {
                        required.add(parameterName);
                    }
                }
                int line = 1 + (int) text.substring(0, matcher.start()).chars().filter(c -> c == '\n').count();
                definitions.putIfAbsent(name, new Definition(name, SourceLocation.of(file, line), parameters, required));
            }
        });
        return definitions;
    }

    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        StringBuilder current = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '{' || c == '(') {
                depth++;
            } else if (c == ']' || c == '}' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        parts.add(current.toString());
        return parts;
    }
}
