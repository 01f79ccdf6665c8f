package dev.baton.graph.selector;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import dev.baton.api.Suggestions;
import dev.baton.yaml.YamlFiles;
import dev.baton.yaml.YamlValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The named selectors of a project's {@code selectors.yml}, in dbt's format. Parsing checks the
 * file's shape; the definitions themselves are checked when a {@link NodeSelector} is created,
 * since that is when the selector methods are known.
 */
public final class SelectorsFile {
    private static final Set<String> TOP_LEVEL_KEYS = Set.of("selectors");
    private static final Set<String> SELECTOR_KEYS = Set.of("name", "description", "default", "definition");

    /** One named selector as written. */
    record Definition(String name, Optional<String> description, boolean isDefault, YamlValue definition, SourceLocation location) {
        Definition {
            requireNonNull(name, "name is null");
            requireNonNull(description, "description is null");
            requireNonNull(definition, "definition is null");
            requireNonNull(location, "location is null");
        }
    }

    private final Map<String, Definition> definitions;

    private SelectorsFile(Map<String, Definition> definitions) {
        this.definitions = Collections.unmodifiableMap(new LinkedHashMap<>(definitions));
    }

    public static SelectorsFile empty() {
        return new SelectorsFile(Map.of());
    }

    /**
     * Parses selectors.yml.
     *
     * @param file the path shown in errors, relative to the project root
     */
    public static SelectorsFile parse(String yamlText, String file) {
        YamlValue.Mapping root = YamlFiles.parseMapping(yamlText, file);
        checkKeys(root, TOP_LEVEL_KEYS, "at the top of selectors.yml");
        Map<String, Definition> definitions = new LinkedHashMap<>();
        Optional<Definition> defaultSelector = Optional.empty();
        for (YamlValue item : root.sequence("selectors")) {
            Definition definition = definition(item);
            Definition previous = definitions.putIfAbsent(definition.name(), definition);
            if (previous != null) {
                throw invalid("selector '" + definition.name() + "' is defined twice, first at " + previous.location()
                        + "; rename one of them", definition.location());
            }
            if (definition.isDefault() && defaultSelector.isPresent()) {
                throw invalid("selectors '" + defaultSelector.get().name() + "' and '" + definition.name()
                        + "' are both marked 'default: true'; keep it on one of them", definition.location());
            }
            if (definition.isDefault()) {
                defaultSelector = Optional.of(definition);
            }
        }
        return new SelectorsFile(definitions);
    }

    private static Definition definition(YamlValue item) {
        if (!(item instanceof YamlValue.Mapping mapping)) {
            throw invalid("each entry of 'selectors' must be a mapping with 'name' and 'definition'", item.location());
        }
        checkKeys(mapping, SELECTOR_KEYS, "in a selector");
        String name = mapping.string("name")
                .orElseThrow(() -> invalid("this selector has no 'name'; add one so it can be used with --selector", mapping.location()));
        YamlValue definition = mapping.get("definition")
                .orElseThrow(() -> invalid("selector '" + name + "' has no 'definition'; add one, such as \"definition: 'tag:nightly'\"",
                        mapping.location()));
        boolean isDefault = false;
        if (mapping.get("default").isPresent()) {
            Object value = mapping.get("default").get().toJava();
            if (!(value instanceof Boolean flag)) {
                throw invalid("'default' of selector '" + name + "' must be true or false, not '" + value + "'",
                        mapping.get("default").get().location());
            }
            isDefault = flag;
        }
        return new Definition(name, mapping.string("description"), isDefault, definition, mapping.location());
    }

    static void checkKeys(YamlValue.Mapping mapping, Set<String> allowed, String where) {
        for (String key : mapping.entries().keySet()) {
            if (!allowed.contains(key)) {
                List<String> sorted = new ArrayList<>(allowed);
                sorted.sort(null);
                throw invalid("unknown key '" + key + "' " + where
                        + Suggestions.closest(key, sorted).map(name -> "; did you mean '" + name + "'?")
                                .orElse("; allowed keys are: " + String.join(", ", sorted)),
                        mapping.keyLocation(key));
            }
        }
    }

    static BatonException invalid(String message, SourceLocation location) {
        return new BatonException(ErrorCode.INVALID_SELECTOR, message, location);
    }

    /** The selector names in file order. */
    public List<String> names() {
        return List.copyOf(definitions.keySet());
    }

    /** The selector marked {@code default: true}, used when no selection is given. */
    public Optional<String> defaultSelector() {
        return definitions.values().stream().filter(Definition::isDefault).map(Definition::name).findFirst();
    }

    public Optional<String> description(String name) {
        return definition(name).flatMap(Definition::description);
    }

    Optional<Definition> definition(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    List<Definition> definitions() {
        return List.copyOf(definitions.values());
    }
}
