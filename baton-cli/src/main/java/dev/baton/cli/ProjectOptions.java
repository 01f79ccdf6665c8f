package dev.baton.cli;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.project.LoadOptions;
import dev.baton.yaml.YamlFiles;
import dev.baton.yaml.YamlValue;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options naming the project and how to compile it. */
final class ProjectOptions {
    @Option(names = "--project-dir", paramLabel = "DIR", defaultValue = ".", description = "The project folder (default: the current folder).")
    Path projectDir;

    @Option(names = {"-t", "--target"}, paramLabel = "NAME", description = "The target to build on (default: the project's default target).")
    String target;

    @Option(names = "--vars", paramLabel = "YAML", description = "Values for var(), as a YAML mapping: --vars '{start_date: 2024-01-01}'.")
    String vars;

    @Option(names = "--no-partial-parse", description = "Render every model again instead of reusing target/partial_parse.bin.")
    boolean noPartialParse;

    /**
     * Everything besides the files that decides what a compile writes: the folder, the target,
     * --vars and where profiles.yml is looked for. The key of {@code target/compile_stamp.bin}.
     */
    String compileStampKey(Map<String, String> env) {
        return String.join("\u0000", projectDir.toAbsolutePath().normalize().toString(), String.valueOf(target), String.valueOf(vars),
                String.valueOf(env.get("DBT_PROFILES_DIR")), String.valueOf(env.get("HOME")));
    }

    LoadOptions loadOptions(Map<String, String> env) {
        return new LoadOptions(projectDir, Optional.ofNullable(target), parseVars(), env, !noPartialParse);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parseVars() {
        if (vars == null || vars.isBlank()) {
            return Map.of();
        }
        YamlValue value;
        try {
            value = YamlFiles.parse(vars, "--vars");
        } catch (BatonException e) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "--vars is not valid YAML: " + e.detail() + "; write it as '{name: value}'");
        }
        if (!(value instanceof YamlValue.Mapping mapping)) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "--vars must be a YAML mapping such as '{name: value}', not '" + vars + "'");
        }
        return (Map<String, Object>) mapping.toJava();
    }
}
