package dev.baton.yaml;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ArrayList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Parses YAML text into {@link YamlValue}s that remember file, line and column. */
public final class YamlFiles {
    private YamlFiles() {}

    /**
     * Parses one document. An empty document is an empty mapping.
     *
     * @param file the path shown in errors, relative to the project root
     */
    public static YamlValue parse(String text, String file) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        Yaml yaml = new Yaml(options);
        Node root;
        try {
            root = yaml.compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            SourceLocation location = mark == null
                    ? SourceLocation.ofFile(file)
                    : new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new BatonException(ErrorCode.YAML_SYNTAX,
                    "invalid YAML: " + problem + "; check the indentation and quoting on this line",
                    Optional.of(location), e);
        } catch (RuntimeException e) {
            throw new BatonException(ErrorCode.YAML_SYNTAX, "invalid YAML: " + e.getMessage(), Optional.of(SourceLocation.ofFile(file)), e);
        }
        if (root == null) {
            return new YamlValue.Mapping(Map.of(), Map.of(), SourceLocation.of(file, 1));
        }
        return convert(root, file);
    }

    /** Parses a document whose top level must be a mapping. */
    public static YamlValue.Mapping parseMapping(String text, String file) {
        YamlValue value = parse(text, file);
        if (value instanceof YamlValue.Mapping mapping) {
            return mapping;
        }
        if (value instanceof YamlValue.Scalar scalar && scalar.isNull()) {
            return new YamlValue.Mapping(Map.of(), Map.of(), value.location());
        }
        throw new BatonException(ErrorCode.YAML_SYNTAX, "expected a mapping of keys to values at the top of the file", value.location());
    }

    private static YamlValue convert(Node node, String file) {
        SourceLocation location = locate(node.getStartMark(), file);
        if (node instanceof ScalarNode scalar) {
            boolean isNull = scalar.getTag().equals(Tag.NULL);
            boolean quoted = scalar.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN;
            return new YamlValue.Scalar(isNull ? null : scalar.getValue(), quoted, location);
        }
        if (node instanceof SequenceNode sequence) {
            List<YamlValue> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                items.add(convert(item, file));
            }
            return new YamlValue.Sequence(items, location);
        }
        MappingNode mapping = (MappingNode) node;
        Map<String, YamlValue> entries = new LinkedHashMap<>();
        Map<String, SourceLocation> keyLocations = new LinkedHashMap<>();
        List<YamlValue.Mapping> merged = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (keyNode.getTag().equals(Tag.MERGE)) {
                merged.addAll(mergedMappings(tuple.getValueNode(), locate(keyNode.getStartMark(), file), file));
                continue;
            }
            String key = keyNode instanceof ScalarNode scalarKey ? scalarKey.getValue() : String.valueOf(keyNode);
            SourceLocation keyLocation = locate(keyNode.getStartMark(), file);
            SourceLocation previous = keyLocations.putIfAbsent(key, keyLocation);
            if (previous != null) {
                throw new BatonException(ErrorCode.YAML_SYNTAX, "key '" + key + "' is given twice in one mapping, here and at " + previous
                        + "; remove one (YAML would keep only the last)", keyLocation);
            }
            entries.put(key, convert(tuple.getValueNode(), file));
        }
        if (merged.isEmpty()) {
            return new YamlValue.Mapping(entries, keyLocations, location);
        }
        // YAML's merge key, as PyYAML (which dbt reads YAML with) applies it: the merged mappings' keys
        // come first, then the mapping's own; an own key wins over a merged one, an earlier merged
        // mapping over a later one. A merged key keeps the place it was written at.
        Map<String, YamlValue> all = new LinkedHashMap<>();
        Map<String, SourceLocation> allLocations = new LinkedHashMap<>();
        for (YamlValue.Mapping source : merged) {
            for (Map.Entry<String, YamlValue> entry : source.entries().entrySet()) {
                if (!entries.containsKey(entry.getKey()) && !all.containsKey(entry.getKey())) {
                    all.put(entry.getKey(), entry.getValue());
                    allLocations.put(entry.getKey(), source.keyLocation(entry.getKey()));
                }
            }
        }
        all.putAll(entries);
        allLocations.putAll(keyLocations);
        return new YamlValue.Mapping(all, allLocations, location);
    }

    /** What a merge key ({@code <<: *defaults} or {@code <<: [*a, *b]}) at {@code at} brings in: mappings only. */
    private static List<YamlValue.Mapping> mergedMappings(Node value, SourceLocation at, String file) {
        List<Node> sources = value instanceof SequenceNode sequence ? sequence.getValue() : List.of(value);
        List<YamlValue.Mapping> mappings = new ArrayList<>();
        for (Node source : sources) {
            if (!(source instanceof MappingNode)) {
                throw new BatonException(ErrorCode.YAML_SYNTAX, "the merge key '<<' takes a mapping or a list of mappings, such as "
                        + "'<<: *defaults' where '&defaults' names a mapping; fix its value", at);
            }
            mappings.add((YamlValue.Mapping) convert(source, file));
        }
        return mappings;
    }

    private static SourceLocation locate(Mark mark, String file) {
        return mark == null ? SourceLocation.ofFile(file) : new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
    }
}
