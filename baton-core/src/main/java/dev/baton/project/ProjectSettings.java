package dev.baton.project;

import static java.util.Objects.requireNonNull;

import dev.baton.api.SourceLocation;
import dev.baton.yaml.YamlValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The project file ({@code baton.yml}, or {@code dbt_project.yml} for a dbt project), validated
 * and frozen.
 *
 * @param file the project file's name relative to the project root
 * @param modelPaths folders holding models and their properties YAML
 * @param modelConfigs the {@code models:} block, keyed by project name then folders
 * @param targets the targets, by name; the default one is {@code defaultTarget}
 * @param stateUrl a JDBC URL for a shared state store, when the team uses one
 * @param snapshotPaths folders holding snapshots ({@code snapshots/} by default)
 */
public record ProjectSettings(
        String file,
        String name,
        String version,
        List<String> modelPaths,
        List<String> seedPaths,
        List<String> testPaths,
        List<String> macroPaths,
        List<String> docsPaths,
        String targetPath,
        Map<String, Object> vars,
        Optional<YamlValue.Mapping> modelConfigs,
        Optional<YamlValue.Mapping> seedConfigs,
        Optional<YamlValue.Mapping> testConfigs,
        Map<String, Target> targets,
        String defaultTarget,
        Optional<String> stateUrl,
        SourceLocation location,
        List<String> snapshotPaths,
        Map<String, SourceLocation> unrunHooks) {
    public ProjectSettings {
        requireNonNull(file, "file is null");
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        modelPaths = List.copyOf(modelPaths);
        seedPaths = List.copyOf(seedPaths);
        testPaths = List.copyOf(testPaths);
        macroPaths = List.copyOf(macroPaths);
        docsPaths = List.copyOf(docsPaths);
        requireNonNull(targetPath, "targetPath is null");
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        requireNonNull(modelConfigs, "modelConfigs is null");
        requireNonNull(seedConfigs, "seedConfigs is null");
        requireNonNull(testConfigs, "testConfigs is null");
        targets = Map.copyOf(targets);
        requireNonNull(defaultTarget, "defaultTarget is null");
        requireNonNull(stateUrl, "stateUrl is null");
        requireNonNull(location, "location is null");
        snapshotPaths = List.copyOf(snapshotPaths);
        unrunHooks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(unrunHooks));
    }
}
