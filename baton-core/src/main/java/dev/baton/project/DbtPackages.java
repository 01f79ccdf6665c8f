package dev.baton.project;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import dev.baton.yaml.YamlFiles;
import dev.baton.yaml.YamlValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The dbt packages a project declares in {@code packages.yml} (or {@code dependencies.yml}), which
 * Baton does not install yet: each is named in a warning, and its macro namespace (such as
 * {@code dbt_utils}) is known to templates, so that a call into it stops with an error at its line
 * instead of rendering as nothing.
 */
record DbtPackages(List<Declared> packages) {
    private static final List<String> FILES = List.of("packages.yml", "dependencies.yml");

    /** One declared package: as written ({@code dbt-labs/dbt_utils}), its macro namespace ({@code dbt_utils}) and where. */
    record Declared(String name, String namespace, SourceLocation location) {}

    DbtPackages {
        packages = List.copyOf(packages);
    }

    static DbtPackages read(Path root) {
        for (String file : FILES) {
            Path path = root.resolve(file);
            if (!Files.isRegularFile(path)) {
                ProjectInputs.absent(path);
                continue;
            }
            YamlValue.Mapping mapping = YamlFiles.parseMapping(ProjectSettingsReader.readString(path), file);
            List<Declared> declared = new ArrayList<>();
            for (YamlValue entry : mapping.sequence("packages")) {
                if (!(entry instanceof YamlValue.Mapping item)) {
                    throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE,
                            "each entry of packages: must be a mapping such as '{package: dbt-labs/dbt_utils, version: 1.3.0}'", entry.location());
                }
                Optional<String> name = item.string("package").or(() -> item.string("git")).or(() -> item.string("local"))
                        .or(() -> item.string("tarball")).or(() -> item.string("name"));
                name.filter(text -> !text.isBlank()).ifPresent(text -> declared.add(new Declared(text, namespace(text), item.location())));
            }
            return new DbtPackages(declared);
        }
        return new DbtPackages(List.of());
    }

    /** {@code dbt-labs/dbt_utils} and {@code https://github.com/dbt-labs/dbt-utils.git} name the namespace {@code dbt_utils}. */
    static String namespace(String name) {
        String last = name.replaceAll("[/\\\\]+$", "");
        last = last.substring(Math.max(last.lastIndexOf('/'), last.lastIndexOf('\\')) + 1);
        if (last.endsWith(".git")) {
            last = last.substring(0, last.length() - 4);
        }
        return last.replace('-', '_').toLowerCase(Locale.ROOT);
    }

    List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        for (Declared declared : packages) {
            warnings.add(declared.location() + ": package '" + declared.name() + "' is not installed: Baton does not install dbt packages yet, "
                    + "so a template that calls its macros (" + declared.namespace() + ".…) stops with an error");
        }
        return warnings;
    }

    /** Namespace to the package as written, for the template engine. */
    java.util.Map<String, String> namespaces() {
        java.util.Map<String, String> namespaces = new java.util.LinkedHashMap<>();
        packages.forEach(declared -> namespaces.putIfAbsent(declared.namespace(), declared.name()));
        return namespaces;
    }
}
