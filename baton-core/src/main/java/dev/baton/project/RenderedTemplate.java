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
    private static final String REF_MARK = "__BATON_REF_";
    private static final String SOURCE_MARK = "__BATON_SOURCE_";
    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("__BATON_(REF|SOURCE)_(\\d+)__");

    record RefCall(Optional<String> packageName, String name, SourceLocation location) {}

    record SourceCall(String sourceName, String tableName, SourceLocation location) {}

    record ConfigCall(Map<String, Object> values, SourceLocation location) {}

    final List<RefCall> refs = new ArrayList<>();
    final List<SourceCall> sources = new ArrayList<>();
    final List<ConfigCall> configs = new ArrayList<>();
    String rendered = "";
    /** Whether the template called {@code is_incremental()}. */
    boolean askedIncremental;
    /** The same template rendered with {@code is_incremental()} true, when it asked. */
    RenderedTemplate incremental;
    /**
     * The node's configuration before the template's own {@code config()} calls, which
     * {@code config.get()} reads (none for a file that is no node); whether the template read it is
     * {@link #askedConfig}. Its map is made only when a template asks.
     */
    NodeConfig baseConfig;
    /** Whether the template read its configuration ({@code config.get()} or {@code config.require()}). */
    boolean askedConfig;

    /** The callbacks one render uses; {@code thisRelation} is the node's own relation as SQL text. */
    TemplateContext context(Optional<String> thisRelation) {
        return context(thisRelation, false);
    }

    /** As {@link #context(Optional)}, with {@code is_incremental()} answering {@code incremental}. */
    TemplateContext context(Optional<String> thisRelation, boolean incremental) {
        return new TemplateContext() {
            @Override
            public String ref(Optional<String> packageName, String name, SourceLocation at) {
                requireNonNull(name, "name is null");
                refs.add(new RefCall(packageName, name, at));
                return REF_MARK + (refs.size() - 1) + "__";
            }

            @Override
            public String source(String sourceName, String tableName, SourceLocation at) {
                sources.add(new SourceCall(sourceName, tableName, at));
                return SOURCE_MARK + (sources.size() - 1) + "__";
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
                askedIncremental = true;
                return incremental;
            }

            @Override
            public Optional<Object> configValue(String key) {
                askedConfig = true;
                for (int i = configs.size() - 1; i >= 0; i--) {
                    if (configs.get(i).values().containsKey(key)) {
                        return Optional.ofNullable(configs.get(i).values().get(key));
                    }
                }
                return baseConfig == null ? Optional.empty() : Optional.ofNullable(baseConfig.asMap().get(key));
            }
        };
    }

    /** Replaces the placeholders with the texts chosen for each call. */
    String resolve(List<String> refTexts, List<String> sourceTexts) {
        if (refTexts.isEmpty() && sourceTexts.isEmpty()) {
            return rendered;
        }
        java.util.regex.Matcher matcher = PLACEHOLDER.matcher(rendered);
        StringBuilder out = new StringBuilder(rendered.length() + 64);
        while (matcher.find()) {
            int index = Integer.parseInt(matcher.group(2));
            List<String> texts = matcher.group(1).equals("REF") ? refTexts : sourceTexts;
            matcher.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(texts.get(index)));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
