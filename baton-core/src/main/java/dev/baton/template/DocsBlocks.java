package dev.baton.template;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code {% docs name %}...{% enddocs %}} blocks from markdown files, as dbt does. */
final class DocsBlocks {
    private static final Pattern OPEN = Pattern.compile("\\{%-?\\s*docs\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*-?%}");
    private static final Pattern CLOSE = Pattern.compile("\\{%-?\\s*enddocs\\s*-?%}");

    private DocsBlocks() {}

    /** Block name to its text, stripped of surrounding whitespace. */
    static Map<String, String> parse(Map<String, String> docFiles) {
        Map<String, String> docs = new LinkedHashMap<>();
        Map<String, SourceLocation> definedAt = new HashMap<>();
        for (Map.Entry<String, String> file : new TreeMap<>(docFiles).entrySet()) {
            String text = file.getValue();
            Matcher open = OPEN.matcher(text);
            int from = 0;
            while (open.find(from)) {
                SourceLocation at = SourceLocation.of(file.getKey(), lineOf(text, open.start()));
                String name = open.group(1);
                Matcher close = CLOSE.matcher(text);
                if (!close.find(open.end())) {
                    throw new BatonException(ErrorCode.TEMPLATE_SYNTAX,
                            "Jinja syntax error: {% docs " + name + " %} is never closed; add {% enddocs %} where the block ends", at);
                }
                SourceLocation previous = definedAt.putIfAbsent(name, at);
                if (previous != null) {
                    throw new BatonException(ErrorCode.DUPLICATE_NODE,
                            "docs block '" + name + "' is already defined at " + previous + "; rename or remove one of them", at);
                }
                docs.put(name, text.substring(open.end(), close.start()).strip());
                from = close.end();
            }
        }
        return docs;
    }

    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
