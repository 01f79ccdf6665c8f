package dev.baton.project;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded and compiled project: every enabled node with its rendered SQL, in a stable order.
 * Immutable.
 *
 * @param root the project folder
 * @param settings the project file
 * @param target the target this project was compiled for
 * @param nodes every node by unique id, in load order (models, seeds, sources, tests)
 * @param warnings things worth telling the user that do not stop a build
 * @param docs docs blocks by name
 */
public record Project(Path root, ProjectSettings settings, Target target, Map<String, Node> nodes, List<String> warnings, Map<String, String> docs) {
    public Project {
        requireNonNull(root, "root is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(target, "target is null");
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        warnings = List.copyOf(warnings);
        docs = Collections.unmodifiableMap(new LinkedHashMap<>(docs));
    }

    public String name() {
        return settings.name();
    }

    public Optional<Node> node(String uniqueId) {
        return Optional.ofNullable(nodes.get(uniqueId));
    }

    /** The folder Baton writes compiled SQL and artifacts to ({@code target/} by default). */
    public Path targetDir() {
        return root.resolve(settings.targetPath());
    }
}
