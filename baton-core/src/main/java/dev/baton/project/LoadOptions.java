package dev.baton.project;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How to load a project.
 *
 * @param projectDir the project folder
 * @param target the target to compile for; the project's default when empty
 * @param vars values from {@code --vars}, overriding the project's vars
 * @param env the environment {@code env_var()} reads
 * @param partialParse reuse the renders of unchanged models from {@code target/partial_parse.bin}
 */
public record LoadOptions(Path projectDir, Optional<String> target, Map<String, Object> vars, Map<String, String> env, boolean partialParse) {
    public LoadOptions {
        requireNonNull(projectDir, "projectDir is null");
        requireNonNull(target, "target is null");
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        env = Map.copyOf(env);
    }

    public LoadOptions(Path projectDir, Optional<String> target, Map<String, Object> vars, Map<String, String> env) {
        this(projectDir, target, vars, env, true);
    }

    public static LoadOptions of(Path projectDir) {
        return new LoadOptions(projectDir, Optional.empty(), Map.of(), System.getenv());
    }
}
