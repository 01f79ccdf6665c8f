package dev.baton.project;

import static dev.baton.api.ErrorCode.UNKNOWN_TARGET;

import dev.baton.api.BatonException;
import dev.baton.api.Suggestions;
import dev.baton.template.TemplateEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything a template renders against besides its own text: the project file, the target, the
 * vars (the project's, then {@code --vars}), the macros and the docs blocks.
 */
record TemplateSetup(ProjectSettings settings, Target target, Map<String, Object> vars, Map<String, String> macroFiles, Map<String, String> docFiles,
        DbtPackages packages) {
    static TemplateSetup read(Path root, LoadOptions options) {
        ProjectSettings settings = ProjectSettingsReader.read(root, options.env());
        String targetName = options.target().orElse(settings.defaultTarget());
        Target target = settings.targets().get(targetName);
        if (target == null) {
            throw new BatonException(UNKNOWN_TARGET, "unknown target '" + targetName + "'"
                    + Suggestions.didYouMeanOr(targetName, settings.targets().keySet(), "the project defines " + String.join(", ", settings.targets().keySet())));
        }
        List<String> docFolders = new ArrayList<>(settings.modelPaths());
        docFolders.addAll(settings.docsPaths());
        List<String> macroFolders = new ArrayList<>(settings.macroPaths());
        settings.testPaths().forEach(folder -> macroFolders.add(folder + "/generic"));
        return new TemplateSetup(settings, target, vars(settings, options), readAll(root, ProjectFiles.find(root, macroFolders, ".sql")),
                readAll(root, ProjectFiles.find(root, docFolders, ".md")), DbtPackages.read(root));
    }

    /** A template engine with these macros, docs, vars and target. */
    TemplateEngine engine(Map<String, String> env) {
        return TemplateEngine.create(new TemplateEngine.ProjectIdentity(settings.name(), packages.namespaces()), macroFiles, docFiles, vars, env,
                target.asTemplateValue());
    }

    private static Map<String, Object> vars(ProjectSettings settings, LoadOptions options) {
        Map<String, Object> vars = new LinkedHashMap<>();
        settings.vars().forEach((key, value) -> {
            if (key.equals(settings.name()) && value instanceof Map<?, ?> scoped) {
                scoped.forEach((k, v) -> vars.put(String.valueOf(k), v));
            } else {
                vars.putIfAbsent(key, value);
            }
        });
        vars.putAll(options.vars());
        return vars;
    }

    /** The texts of {@code files}, read in parallel, in the order given. */
    static Map<String, String> readAll(Path root, List<String> files) {
        Map<String, String> texts = new ConcurrentHashMap<>();
        files.parallelStream().forEach(file -> texts.put(file, ProjectFiles.read(root, file)));
        Map<String, String> ordered = new LinkedHashMap<>();
        files.forEach(file -> ordered.put(file, texts.get(file)));
        return ordered;
    }
}
