package dev.baton.template;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A project with a fixed set of models and sources that records what a template asked for. */
final class RecordingContext implements TemplateContext {
    static final Set<String> MODELS = Set.of("customers", "orders", "payments");

    final List<String> refs = new ArrayList<>();
    final List<SourceLocation> refLocations = new ArrayList<>();
    final List<Map<String, Object>> configs = new ArrayList<>();
    final List<SourceLocation> configLocations = new ArrayList<>();
    private final Optional<String> thisRelation;
    private final boolean incremental;
    /** The configuration before the template's config() calls, for config.get(). */
    Map<String, Object> baseConfig = Map.of();

    RecordingContext() {
        this(Optional.empty(), false);
    }

    RecordingContext(Optional<String> thisRelation, boolean incremental) {
        this.thisRelation = thisRelation;
        this.incremental = incremental;
    }

    @Override
    public String ref(Optional<String> packageName, String name, SourceLocation at) {
        if (!MODELS.contains(name)) {
            throw new BatonException(ErrorCode.UNKNOWN_REF, "unknown model '" + name + "' in ref()", at);
        }
        refs.add(packageName.map(pkg -> pkg + ".").orElse("") + name);
        refLocations.add(at);
        return "\"main\".\"" + name + "\"";
    }

    @Override
    public String source(String sourceName, String tableName, SourceLocation at) {
        return "\"raw_" + sourceName + "\".\"" + tableName + "\"";
    }

    @Override
    public void config(Map<String, Object> values, SourceLocation at) {
        configs.add(values);
        configLocations.add(at);
    }

    @Override
    public Optional<String> thisRelation() {
        return thisRelation;
    }

    @Override
    public Optional<Object> configValue(String key) {
        for (int i = configs.size() - 1; i >= 0; i--) {
            if (configs.get(i).containsKey(key)) {
                return Optional.ofNullable(configs.get(i).get(key));
            }
        }
        return Optional.ofNullable(baseConfig.get(key));
    }

    @Override
    public boolean isIncremental() {
        return incremental;
    }
}
