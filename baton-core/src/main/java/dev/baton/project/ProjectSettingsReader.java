package dev.baton.project;

import static dev.baton.api.ErrorCode.INVALID_CONFIG_VALUE;
import static dev.baton.api.ErrorCode.PROJECT_NOT_FOUND;
import static dev.baton.api.ErrorCode.UNKNOWN_CONFIG_KEY;
import static dev.baton.api.ErrorCode.UNKNOWN_TARGET;

import dev.baton.api.BatonException;
import dev.baton.api.SourceLocation;
import dev.baton.api.Suggestions;
import dev.baton.api.engine.EngineProvider;
import dev.baton.engine.Engines;
import dev.baton.yaml.YamlFiles;
import dev.baton.yaml.YamlValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads and validates the project file and, for dbt projects, {@code profiles.yml}. */
final class ProjectSettingsReader {
    static final String BATON_FILE = "baton.yml";
    static final String DBT_FILE = "dbt_project.yml";

    /** Keys of dbt_project.yml that Baton accepts (dbt's own), plus Baton's additions. */
    private static final Set<String> PROJECT_KEYS = Set.of(
            "name", "version", "config-version", "profile", "require-dbt-version",
            "model-paths", "source-paths", "seed-paths", "data-paths", "test-paths", "analysis-paths", "macro-paths",
            "snapshot-paths", "docs-paths", "asset-paths", "packages-install-path", "target-path", "log-path",
            "clean-targets", "vars", "models", "seeds", "tests", "data_tests", "snapshots", "sources", "metrics",
            "semantic-models", "saved-queries", "exposures", "on-run-start", "on-run-end", "dispatch", "quoting",
            "query-comment", "restrict-access", "flags", "dbt-cloud", "analyses",
            "target", "targets", "state", "jobs", "alerts", "openlineage", "kpi_targets");
    /** Keys every target may have; each engine adds its own ({@link dev.baton.api.engine.EngineProvider#settingKeys()}). */
    private static final Set<String> TARGET_KEYS = Set.of("type", "schema", "threads");

    private ProjectSettingsReader() {}

    static ProjectSettings read(Path projectDir, Map<String, String> env) {
        Path batonFile = projectDir.resolve(BATON_FILE);
        Path dbtFile = projectDir.resolve(DBT_FILE);
        Path file;
        if (Files.isRegularFile(batonFile)) {
            file = batonFile;
        } else if (Files.isRegularFile(dbtFile)) {
            ProjectInputs.absent(batonFile);
            file = dbtFile;
        } else {
            throw new BatonException(PROJECT_NOT_FOUND, "no baton.yml or dbt_project.yml in " + projectDir.toAbsolutePath().normalize()
                    + "; run 'baton init NAME' to create a project, or pass --project-dir pointing at one");
        }
        String fileName = file.getFileName().toString();
        YamlValue.Mapping root = YamlFiles.parseMapping(readString(file), fileName);
        for (String key : root.entries().keySet()) {
            if (!PROJECT_KEYS.contains(key)) {
                throw new BatonException(UNKNOWN_CONFIG_KEY, "unknown key '" + key + "' in " + fileName
                        + Suggestions.didYouMeanOr(key, PROJECT_KEYS, "fix the spelling or remove it"), root.keyLocation(key));
            }
        }
        String name = root.string("name").orElseThrow(() -> new BatonException(INVALID_CONFIG_VALUE,
                "the project has no name; add 'name: my_project' to " + fileName, root.location()));
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new BatonException(INVALID_CONFIG_VALUE, "project name '" + name + "' must contain only letters, digits and underscores, starting with a letter",
                    root.keyLocation("name"));
        }
        Map<String, Target> targets = new LinkedHashMap<>();
        String defaultTarget;
        Optional<YamlValue.Mapping> targetsBlock = root.mapping("targets");
        if (targetsBlock.isPresent()) {
            targetsBlock.get().entries().forEach((targetName, value) -> targets.put(targetName, target(targetName, value, fileName, name)));
            defaultTarget = root.string("target").orElse(targets.keySet().iterator().next());
            if (!targets.containsKey(defaultTarget)) {
                throw new BatonException(UNKNOWN_TARGET, "default target '" + defaultTarget + "' is not defined under targets:"
                        + Suggestions.didYouMean(defaultTarget, targets.keySet()), root.keyLocation("target"));
            }
        } else {
            Optional<Profile> profile = Profile.find(projectDir, root.string("profile").orElse(name), env);
            if (profile.isPresent()) {
                profile.get().outputs().forEach((targetName, value) -> targets.put(targetName, target(targetName, value, profile.get().file(), name)));
                defaultTarget = profile.get().defaultTarget();
            } else {
                targets.put("dev", new Target("dev", "duckdb", Optional.of("target/" + name + ".duckdb"), "main", 0, Map.of(), root.location()));
                defaultTarget = "dev";
            }
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        root.mapping("vars").ifPresent(block -> vars.putAll(castMap(block.toJava())));
        return new ProjectSettings(
                fileName,
                name,
                root.string("version").orElse("1.0.0"),
                paths(root, "model-paths", List.of("models"), "source-paths"),
                paths(root, "seed-paths", List.of("seeds"), "data-paths"),
                paths(root, "test-paths", List.of("tests"), null),
                paths(root, "macro-paths", List.of("macros"), null),
                paths(root, "docs-paths", List.of(), null),
                root.string("target-path").orElse("target"),
                vars,
                root.mapping("models"),
                root.mapping("seeds"),
                root.mapping("data_tests").or(() -> root.mapping("tests")),
                targets,
                defaultTarget,
                root.mapping("state").flatMap(state -> state.string("url")),
                root.location(),
                paths(root, "snapshot-paths", List.of("snapshots"), null),
                unrunHooks(root));
    }

    /** {@code on-run-start} and {@code on-run-end} when set, with their places: accepted, not run yet. */
    private static Map<String, SourceLocation> unrunHooks(YamlValue.Mapping root) {
        Map<String, SourceLocation> hooks = new LinkedHashMap<>();
        for (String key : List.of("on-run-start", "on-run-end")) {
            root.get(key).filter(value -> !(value instanceof YamlValue.Scalar scalar && (scalar.isNull() || scalar.text().isBlank()))
                    && !(value instanceof YamlValue.Sequence sequence && sequence.items().isEmpty()))
                    .ifPresent(value -> hooks.put(key, root.keyLocation(key)));
        }
        return hooks;
    }

    private static List<String> paths(YamlValue.Mapping root, String key, List<String> defaults, String legacyKey) {
        List<YamlValue> items = root.sequence(key);
        if (items.isEmpty() && legacyKey != null) {
            items = root.sequence(legacyKey);
        }
        if (items.isEmpty()) {
            return defaults;
        }
        List<String> result = new ArrayList<>();
        for (YamlValue item : items) {
            if (!(item instanceof YamlValue.Scalar scalar) || scalar.isNull()) {
                throw new BatonException(INVALID_CONFIG_VALUE, "'" + key + "' must be a list of folder names", item.location());
            }
            result.add(scalar.text().replaceAll("/+$", ""));
        }
        return result;
    }

    private static Target target(String targetName, YamlValue value, String file, String projectName) {
        if (!(value instanceof YamlValue.Mapping mapping)) {
            throw new BatonException(INVALID_CONFIG_VALUE, "target '" + targetName + "' must be a mapping with at least 'type'", value.location());
        }
        String type = mapping.string("type").orElseThrow(() -> new BatonException(INVALID_CONFIG_VALUE,
                "target '" + targetName + "' has no type; add 'type: duckdb' (or one of: " + String.join(", ", Engines.types()) + ")",
                mapping.location()));
        EngineProvider provider = Engines.provider(type)
                .orElseThrow(() -> Engines.unknownType(targetName, type, mapping.keyLocation("type")));
        Set<String> keys = new java.util.TreeSet<>(TARGET_KEYS);
        keys.addAll(provider.settingKeys());
        for (String key : mapping.entries().keySet()) {
            if (!keys.contains(key)) {
                throw new BatonException(UNKNOWN_CONFIG_KEY, "unknown key '" + key + "' in target '" + targetName + "' of type " + type
                        + Suggestions.didYouMeanOr(key, keys, "the keys of a " + type + " target are " + String.join(", ", keys)), mapping.keyLocation(key));
            }
        }
        int threads = 0;
        Optional<String> threadsText = mapping.string("threads");
        if (threadsText.isPresent()) {
            try {
                threads = Integer.parseInt(threadsText.get());
            } catch (NumberFormatException e) {
                throw new BatonException(INVALID_CONFIG_VALUE, "threads must be a whole number, not '" + threadsText.get() + "'", mapping.keyLocation("threads"));
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>(castMap(mapping.toJava()));
        Optional<String> path = mapping.string("path").filter(p -> !p.isBlank());
        if (path.isEmpty() && provider.settingKeys().contains("path")) {
            // An engine kept in a file: one per project under target/ unless the target names it.
            path = Optional.of("target/" + projectName + "." + type);
        }
        return new Target(targetName, type, path,
                mapping.string("schema").orElse(provider.defaultSchema()), threads, settings, mapping.location());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }

    static String readString(Path file) {
        try {
            return ProjectInputs.read(file);
        } catch (IOException e) {
            throw new BatonException(PROJECT_NOT_FOUND, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** A dbt profile from profiles.yml in the project folder or in ~/.dbt. */
    private record Profile(String file, String defaultTarget, Map<String, YamlValue> outputs) {
        static Optional<Profile> find(Path projectDir, String profileName, Map<String, String> env) {
            List<Path> candidates = new ArrayList<>();
            Optional.ofNullable(env.get("DBT_PROFILES_DIR")).ifPresent(dir -> candidates.add(Path.of(dir).resolve("profiles.yml")));
            candidates.add(projectDir.resolve("profiles.yml"));
            Optional.ofNullable(env.get("HOME")).ifPresent(home -> candidates.add(Path.of(home, ".dbt", "profiles.yml")));
            for (Path candidate : candidates) {
                if (!Files.isRegularFile(candidate)) {
                    ProjectInputs.absent(candidate);
                    continue;
                }
                String shownName = candidate.startsWith(projectDir) ? projectDir.relativize(candidate).toString() : candidate.toString();
                YamlValue.Mapping root = YamlFiles.parseMapping(readString(candidate), shownName);
                Optional<YamlValue.Mapping> profile = root.mapping(profileName);
                if (profile.isEmpty()) {
                    continue;
                }
                YamlValue.Mapping outputs = profile.get().mapping("outputs").orElseThrow(() -> new BatonException(INVALID_CONFIG_VALUE,
                        "profile '" + profileName + "' has no outputs:", profile.get().location()));
                if (outputs.entries().isEmpty()) {
                    throw new BatonException(INVALID_CONFIG_VALUE, "profile '" + profileName + "' has no outputs", outputs.location());
                }
                String defaultTarget = profile.get().string("target").orElse(outputs.entries().keySet().iterator().next());
                if (!outputs.entries().containsKey(defaultTarget)) {
                    throw new BatonException(UNKNOWN_TARGET, "target '" + defaultTarget + "' of profile '" + profileName + "' is not under outputs:"
                            + Suggestions.didYouMean(defaultTarget, outputs.entries().keySet()), profile.get().keyLocation("target"));
                }
                return Optional.of(new Profile(shownName, defaultTarget, outputs.entries()));
            }
            return Optional.empty();
        }
    }

}
