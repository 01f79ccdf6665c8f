package dev.baton.project;

import static dev.baton.api.ErrorCode.DUPLICATE_NODE;
import static dev.baton.api.ErrorCode.UNKNOWN_REF;
import static dev.baton.api.ErrorCode.UNKNOWN_SOURCE;

import dev.baton.api.BatonException;
import dev.baton.api.SourceLocation;
import dev.baton.api.Suggestions;
import dev.baton.project.ProjectLoader.NodeNaming;
import dev.baton.project.Properties.NodeProperties;
import dev.baton.project.Properties.SourceTable;
import dev.baton.project.Properties.TestDeclaration;
import dev.baton.template.TemplateEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Makes test nodes: dbt's generic tests from properties YAML and singular tests from test-paths. */
final class TestCompiler {
    private final Path root;
    private final ProjectSettings settings;
    private final java.util.function.Supplier<TemplateEngine> templates;
    private final PropertiesReader properties;
    private final Map<String, Node> nodes;
    private final FolderConfigs folderConfigs;
    private final Map<String, Node> tests = new LinkedHashMap<>();
    private final Map<String, CustomTests.Definition> customTests;

    TestCompiler(Path root, ProjectSettings settings, NodeNaming naming, java.util.function.Supplier<TemplateEngine> templates, PropertiesReader properties,
            Map<String, Node> nodes, Map<String, CustomTests.Definition> customTests) {
        this.customTests = customTests;
        this.root = root;
        this.settings = settings;
        this.templates = templates;
        this.properties = properties;
        this.nodes = nodes;
        this.folderConfigs = new FolderConfigs(settings.testConfigs(), settings.file());
    }

    Map<String, Node> compile(ModelCompiler models) {
        Map<String, Node> byName = models.byName(nodes);
        List<NodeProperties> tested = new ArrayList<>();
        for (NodeProperties described : properties.models.values()) {
            Node model = byName.get(described.name());
            if (model != null && model.resourceType() == ResourceType.MODEL && !described.tests().isEmpty()) {
                tested.add(described);
            }
        }
        // The models' tests are made on every core; they are added, and the first mistake thrown, in
        // the order the properties declare them, as one after the other would.
        Made[] made = new Made[tested.size()];
        Balanced.forEach(java.util.stream.IntStream.range(0, tested.size()).boxed().toList(), i -> {
            NodeProperties described = tested.get(i);
            Node model = byName.get(described.name());
            made[i] = generic(described.tests(), model, model.name(), false, described.file(), byName, models);
        });
        for (Made outcome : made) {
            outcome.addTo(this);
        }
        for (NodeProperties described : properties.seeds.values()) {
            Node seed = byName.get(described.name());
            if (seed != null && seed.resourceType() == ResourceType.SEED) {
                addGeneric(described.tests(), seed, seed.name(), false, described.file(), byName, models);
            }
        }
        for (SourceTable table : properties.sources) {
            Node source = nodes.get("source." + settings.name() + "." + table.sourceName() + "." + table.tableName());
            addGeneric(table.tests(), source, table.sourceName() + "_" + table.tableName(), true, table.location().file(), byName, models);
        }
        addSingular(models);
        return tests;
    }

    private void addGeneric(List<TestDeclaration> declarations, Node tested, String nodePart, boolean isSource, String file, Map<String, Node> byName,
            ModelCompiler models) {
        generic(declarations, tested, nodePart, isSource, file, byName, models).addTo(this);
    }

    /** The tests made from one node's declarations, up to the first that is a mistake (then {@code failure}). */
    private record Made(List<Node> tests, RuntimeException failure) {
        /** Adds the tests as they were made, then throws the mistake: what adding each as it was made would have done. */
        void addTo(TestCompiler compiler) {
            tests.forEach(compiler::add);
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** The generic tests declared on one node, in the order declared; touches nothing else, so nodes' tests can be made at once. */
    private Made generic(List<TestDeclaration> declarations, Node tested, String nodePart, boolean isSource, String file, Map<String, Node> byName,
            ModelCompiler models) {
        List<Node> made = new ArrayList<>(declarations.size());
        try {
            for (TestDeclaration test : declarations) {
                CustomTests.Definition custom = GenericTests.BUILT_IN.contains(test.testName()) ? null : customTests.get(test.testName());
                if (custom == null) {
                    GenericTests.checkKnown(test, customTests.keySet());
                } else {
                    GenericTests.checkCustom(test, custom);
                }
                if (tested.isEphemeral()) {
                    throw new BatonException(UNKNOWN_REF, "test '" + test.testName() + "' is declared on ephemeral model '" + tested.name()
                            + "', which has no relation to test; test the models that use it, or materialize it as a view", test.location());
                }
                ConfigValues config = new ConfigValues();
                String fullName = GenericTests.name(test, nodePart, isSource);
                folderConfigs.apply(List.of(settings.name(), fullName), config);
                config.setAll(test.config(), test.location(), file);
                NodeConfig frozen = config.freeze(Materialization.TABLE, test.location());
                if (!frozen.enabled()) {
                    continue;
                }
                checkThresholds(frozen, test.location());
                List<String> dependsOn = new ArrayList<>();
                dependsOn.add(tested.uniqueId());
                Optional<String> toRelation = Optional.empty();
                if (test.testName().equals("relationships")) {
                    Node parent = referenced(GenericTests.reference(test), test.location(), byName);
                    dependsOn.add(parent.uniqueId());
                    toRelation = Optional.of(NodeNaming.sql(parent.relation().orElseThrow()));
                }
                Optional<String> where = frozen.other().containsKey("where") ? Optional.of(String.valueOf(frozen.other().get("where"))) : Optional.empty();
                String sql;
                if (custom != null) {
                    ModelCompiler.Resolution resolution = renderCustom(test, custom, NodeNaming.sql(tested.relation().orElseThrow()), where, file, models);
                    sql = resolution.sql();
                    resolution.dependsOn().stream().filter(id -> !dependsOn.contains(id)).forEach(dependsOn::add);
                } else {
                    sql = GenericTests.sql(test, NodeNaming.sql(tested.relation().orElseThrow()), toRelation, where);
                }
                made.add(new Node("test." + settings.name() + "." + fullName, ResourceType.TEST, fullName, settings.name(), file, test.location(),
                        List.of(settings.name(), fullName), frozen, Optional.empty(), "", sql, dependsOn, "", List.of(),
                        Optional.of(tested.uniqueId()), GenericTests.optionalColumn(test), Optional.of(test.testName()), test.arguments()));
            }
        } catch (RuntimeException e) {
            return new Made(made, e);
        }
        return new Made(made, null);
    }

    /** Calls the test's macro with {@code model}, {@code column_name} (when it takes one) and the declared arguments. */
    private ModelCompiler.Resolution renderCustom(TestDeclaration test, CustomTests.Definition custom, String relation, Optional<String> where,
            String file, ModelCompiler models) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("model", where.map(condition -> "(select * from " + relation + " where " + condition + ") dbt_subquery").orElse(relation));
        if (custom.parameters().contains("column_name")) {
            GenericTests.optionalColumn(test).ifPresent(column -> arguments.put("column_name", column));
        }
        test.arguments().forEach((key, value) -> {
            if (!key.equals("column_name")) {
                arguments.put(key, value);
            }
        });
        RenderedTemplate template = new RenderedTemplate();
        template.rendered = templates.get().renderCall("test_" + custom.name(), arguments, file, template.context(Optional.empty()));
        ModelCompiler.Resolution resolution = models.resolve(template);
        return new ModelCompiler.Resolution(models.injectCtes(resolution.sql(), models.ephemeralClosure(resolution.ephemeralDependencies())),
                resolution.dependsOn(), resolution.ephemeralDependencies());
    }

    private Node referenced(GenericTests.Reference reference, SourceLocation location, Map<String, Node> byName) {
        if (reference.isSource()) {
            String id = "source." + settings.name() + "." + reference.first() + "." + reference.second().orElseThrow();
            Node source = nodes.get(id);
            if (source == null) {
                throw new BatonException(UNKNOWN_SOURCE, "unknown source '" + reference.first() + "." + reference.second().orElseThrow()
                        + "' in relationships test; declare it under sources:", location);
            }
            return source;
        }
        Node model = byName.get(reference.first());
        if (model == null || model.relation().isEmpty()) {
            throw new BatonException(UNKNOWN_REF, "unknown model '" + reference.first() + "' in relationships test" + Suggestions.didYouMean(reference.first(), byName.keySet()),
                    location);
        }
        return model;
    }

    private void addSingular(ModelCompiler models) {
        List<String> files = new ArrayList<>(ProjectFiles.find(root, settings.testPaths(), ".sql"));
        // Files under <test-path>/generic/ define generic tests (read as macros), not singular tests.
        files.removeIf(path -> settings.testPaths().stream().anyMatch(folder -> path.startsWith(folder + "/generic/")));
        Map<String, RenderedTemplate> rendered = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, String> raws = new java.util.concurrent.ConcurrentHashMap<>();
        files.parallelStream().forEach(path -> {
            String raw = ProjectFiles.read(root, path);
            RenderedTemplate template = new RenderedTemplate();
            template.rendered = templates.get().render(raw, path, template.context(Optional.empty()));
            raws.put(path, raw);
            rendered.put(path, template);
        });
        for (String path : files) {
            RenderedTemplate template = rendered.get(path);
            String name = ProjectFiles.baseName(path);
            ConfigValues config = new ConfigValues();
            folderConfigs.apply(List.of(settings.name(), name), config);
            for (RenderedTemplate.ConfigCall call : template.configs) {
                config.setAll(call.values(), call.location(), "config()");
            }
            NodeConfig frozen = config.freeze(Materialization.TABLE, SourceLocation.of(path, 1));
            checkThresholds(frozen, SourceLocation.of(path, 1));
            if (!frozen.enabled()) {
                continue;
            }
            ModelCompiler.Resolution resolution = models.resolve(template);
            String sql = models.injectCtes(resolution.sql(), models.ephemeralClosure(resolution.ephemeralDependencies()));
            Optional<String> attached = resolution.dependsOn().isEmpty() ? Optional.empty() : Optional.of(resolution.dependsOn().get(0));
            add(new Node("test." + settings.name() + "." + name, ResourceType.TEST, name, settings.name(), path, SourceLocation.of(path, 1),
                    List.of(settings.name(), name), frozen, Optional.empty(), raws.get(path), sql, resolution.dependsOn(), "", List.of(),
                    attached, Optional.empty(), Optional.empty()));
        }
    }

    private static void checkThresholds(NodeConfig config, SourceLocation location) {
        for (String key : List.of("warn_if", "error_if")) {
            if (config.other().get(key) != null) {
                dev.baton.check.Threshold.parse(key, config.other().get(key), location);
            }
        }
    }

    private void add(Node test) {
        Node previous = tests.putIfAbsent(test.uniqueId(), test);
        if (previous != null) {
            throw new BatonException(DUPLICATE_NODE, "test '" + test.name() + "' is declared twice, here and at " + previous.location()
                    + "; remove one, or give them different arguments", test.location());
        }
    }
}
