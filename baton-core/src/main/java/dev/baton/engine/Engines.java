package dev.baton.engine;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineProvider;
import dev.baton.api.engine.EngineTarget;
import dev.baton.project.Target;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engines this Baton can build on, found with {@link ServiceLoader}: DuckDB and PostgreSQL
 * from the core, and any engine module on the class path. A target picks its engine by {@code type:}.
 */
public final class Engines {
    private static final Pattern ENV_VAR = Pattern.compile(
            "\\{\\{\\s*env_var\\(\\s*['\"]([^'\"]+)['\"]\\s*(?:,\\s*['\"]([^'\"]*)['\"]\\s*)?\\)\\s*}}");
    private static final Map<String, EngineProvider> PROVIDERS = load();

    private Engines() {}

    private static Map<String, EngineProvider> load() {
        Map<String, EngineProvider> providers = new TreeMap<>();
        for (EngineProvider provider : ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader())) {
            providers.putIfAbsent(provider.type(), provider);
        }
        return Collections.unmodifiableMap(providers);
    }

    /** The target types there is an engine for, sorted. */
    public static Set<String> types() {
        return PROVIDERS.keySet();
    }

    public static Optional<EngineProvider> provider(String type) {
        return Optional.ofNullable(PROVIDERS.get(type));
    }

    /**
     * Opens the engine of a target.
     *
     * @param threads statements the engine may run at once; 0 or less keeps the target's setting
     * @param env the environment {@code env_var()} in the target's settings reads
     */
    public static Engine open(Target target, Path projectRoot, int threads, Map<String, String> env) {
        EngineProvider provider = provider(target.type()).orElseThrow(() -> unknownType(target.name(), target.type(), target.location()));
        return provider.open(engineTarget(target, projectRoot, threads, env));
    }

    /** The target as its provider sees it, with {@code env_var()} resolved in its settings. */
    public static EngineTarget engineTarget(Target target, Path projectRoot, int threads, Map<String, String> env) {
        Map<String, Object> settings = new LinkedHashMap<>();
        target.settings().forEach((key, value) -> settings.put(key, value instanceof String text ? resolve(target, key, text, env) : value));
        target.path().ifPresent(path -> settings.put("path", path));
        return new EngineTarget(target.name(), target.type(), target.schema(), threads > 0 ? threads : target.threads(), settings, projectRoot,
                target.location());
    }

    /** The error for a target whose type no engine opens. */
    public static BatonException unknownType(String targetName, String type, dev.baton.api.SourceLocation location) {
        return new BatonException(ErrorCode.UNKNOWN_TARGET_TYPE, "target '" + targetName + "' has type '" + type
                + "', which this Baton cannot build on; known types: " + String.join(", ", types())
                + dev.baton.api.Suggestions.didYouMean(type, types()), location);
    }

    private static String resolve(Target target, String key, String text, Map<String, String> env) {
        Matcher matcher = ENV_VAR.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String found = env.get(name);
            if (found == null) {
                found = matcher.group(2);
            }
            if (found == null) {
                throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "setting '" + key + "' of target '" + target.name() + "' reads env_var('"
                        + name + "'), which is not set; set the variable or give a default: env_var('" + name + "', '...')", target.location());
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(found));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }
}
