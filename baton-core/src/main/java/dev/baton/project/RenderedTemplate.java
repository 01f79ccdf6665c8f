package dev.baton.project;

import static java.util.Objects.requireNonNull;

import dev.baton.api.SourceLocation;
import dev.baton.template.TemplateContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One model or singular test after Jinja rendering. {@code ref()} and {@code source()} render
 * as placeholders, resolved once every node's final name is known, so a project renders each
 * file exactly once.
 */
final class RenderedTemplate {
    static final char REF_MARK = '\u0001';
    static final char SOURCE_MARK = '\u0002';

    record RefCall(Optional<String> packageName, String name, SourceLocation location) {}

    record SourceCall(String sourceName, String tableName, SourceLocation location) {}

    record ConfigCall(Map<String, Object> values, SourceLocation location) {}

    final List<RefCall> refs = new ArrayList<>();
    final List<SourceCall> sources = new ArrayList<>();
    final List<ConfigCall> configs = new ArrayList<>();
    String rendered = "";

    /** The callbacks one render uses; {@code thisRelation} is the node's own relation as SQL text. */
    TemplateContext context(Optional<String> thisRelation) {
        return new TemplateContext() {
            @Override
            public String ref(Optional<String> packageName, String name, SourceLocation at) {
                requireNonNull(name, "name is null");
                refs.add(new RefCall(packageName, name, at));
                return REF_MARK + Integer.toString(refs.size() - 1) + REF_MARK;
            }

            @Override
            public String source(String sourceName, String tableName, SourceLocation at) {
                sources.add(new SourceCall(sourceName, tableName, at));
                return SOURCE_MARK + Integer.toString(sources.size() - 1) + SOURCE_MARK;
            }

            @Override
            public void config(Map<String, Object> values, SourceLocation at) {
                configs.add(new ConfigCall(values, at));
            }

            @Override
            public Optional<String> thisRelation() {
                return thisRelation;
            }

            @Override
            public boolean isIncremental() {
                return false;
            }
        };
    }

    /** Replaces the placeholders with the texts chosen for each call. */
    String resolve(List<String> refTexts, List<String> sourceTexts) {
        StringBuilder out = new StringBuilder(rendered.length() + 64);
        int i = 0;
        while (i < rendered.length()) {
            char c = rendered.charAt(i);
            if (c == REF_MARK || c == SOURCE_MARK) {
                int end = rendered.indexOf(c, i + 1);
                int index = Integer.parseInt(rendered, i + 1, end, 10);
                out.append(c == REF_MARK ? refTexts.get(index) : sourceTexts.get(index));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
