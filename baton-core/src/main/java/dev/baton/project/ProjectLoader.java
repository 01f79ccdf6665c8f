package dev.baton.project;

import static dev.baton.api.ErrorCode.DUPLICATE_NODE;

import dev.baton.api.BatonException;
import dev.baton.api.SourceLocation;
import dev.baton.api.engine.Relation;
import dev.baton.project.Properties.NodeProperties;
import dev.baton.project.Properties.SourceTable;
import dev.baton.template.TemplateEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a project folder into a compiled {@link Project}: reads the project file, properties
 * YAML, seeds, macros, models and tests; renders every template once (in parallel); resolves
 * refs and sources; inlines ephemeral models; and synthesises dbt's generic tests.
 */
public final class ProjectLoader {
    private final LoadOptions options;
    private final Path root;
    private final List<String> warnings = new ArrayList<>();

    private ProjectLoader(LoadOptions options) {
        this.options = options;
        this.root = options.projectDir().toAbsolutePath().normalize();
    }

    public static Project load(LoadOptions options) {
        return ProjectFiles.withListingCache(() -> new ProjectLoader(options).load());
    }

    /**
     * Loads the project and records what the load read, so that a later run can tell whether
     * anything changed without loading it again.
     */
    public static Loaded loadRecordingInputs(LoadOptions options) {
        ProjectInputs.Recorded<Project> recorded = ProjectInputs.record(options.env(), () -> load(options));
        return new Loaded(recorded.value(), recorded.inputs());
    }

    /** A project and the inputs it was loaded from. */
    public record Loaded(Project project, ProjectInputs inputs) {}

    /** Reads only the project file (and profiles.yml), for commands that need no compiled nodes. */
    public static ProjectSettings settings(Path projectDir, Map<String, String> env) {
        return ProjectSettingsReader.read(projectDir.toAbsolutePath().normalize(), env);
    }

    private Project load() {
        TemplateSetup setup = TemplateSetup.read(root, options);
        ProjectSettings settings = setup.settings();
        Target target = setup.target();
        Map<String, Object> vars = setup.vars();
        Map<String, String> macroFiles = setup.macroFiles();
        Map<String, String> docFiles = setup.docFiles();
        // Building the template engine (Jinjava, every macro parsed) costs hundreds of milliseconds; a
        // load whose models all come from the parse cache never needs it.
        java.util.function.Supplier<TemplateEngine> templates = new LazyTemplates(() -> setup.engine(options.env()));
        ParseCache cache = options.partialParse()
                ? ParseCache.open(root.resolve(settings.targetPath()).resolve("partial_parse.bin"),
                        // The declared packages change what a template calling into them renders (an error), so they key the cache too.
                        ProjectFiles.read(root, settings.file()) + "\u0000packages:" + setup.packages().namespaces(),
                        macroFiles, docFiles, vars, target.asTemplateValue(), options.env())
                : ParseCache.disabled();

        try {
            PropertiesReader properties = new PropertiesReader();
            List<String> yamlFiles = ProjectFiles.find(root, settings.modelPaths(), ".yml", ".yaml");
            yamlFiles.addAll(ProjectFiles.find(root, settings.seedPaths(), ".yml", ".yaml"));
            for (String file : ProjectFiles.find(root, settings.snapshotPaths(), ".yml", ".yaml")) {
                if (!yamlFiles.contains(file)) {
                    yamlFiles.add(file);
                }
            }
            Map<String, dev.baton.yaml.YamlValue.Mapping> parsed = new ConcurrentHashMap<>();
            Balanced.forEach(yamlFiles, file -> {
                String text = ProjectFiles.read(root, file);
                Optional<dev.baton.yaml.YamlValue.Mapping> cached = cache.lookupYaml(file, text);
                dev.baton.yaml.YamlValue.Mapping mapping = cached.orElseGet(() -> dev.baton.yaml.YamlFiles.parseMapping(text, file));
                if (cached.isEmpty()) {
                    cache.putYaml(file, text, mapping);
                }
                parsed.put(file, mapping);
            });
            for (String file : yamlFiles) {
                properties.read(parsed.get(file), file);
            }

            NodeNaming naming = new NodeNaming(settings.name(), target);
            ModelCompiler models = new ModelCompiler(root, settings, naming, templates, properties, warnings,
                    cache).withStaticParsing(dev.baton.template.StaticTemplate.appliesWith(macroFiles.values()));
            SeedsAndSources others = new SeedsAndSources(root, settings, naming, properties);
            Map<String, Node> seeds = others.seeds();
            Map<String, Node> sources = others.sources();
            Map<String, Node> compiledModels = ModelConstraints.attach(models.compile(seeds, sources), properties.modelConstraints);

            Map<String, Node> nodes = new LinkedHashMap<>(compiledModels);
            for (Node seed : seeds.values()) {
                Node clash = findByName(compiledModels, seed.name());
                if (clash != null) {
                    throw new BatonException(DUPLICATE_NODE, "'" + seed.name() + "' is both a model (" + clash.path() + ") and a seed (" + seed.path()
                            + "); rename one of them, since ref() could not tell them apart", clash.location());
                }
                nodes.put(seed.uniqueId(), seed);
            }
            nodes.putAll(sources);
            Map<String, String> contractFiles = TemplateSetup.readAll(root, ProjectFiles.find(root, List.of("contracts"), ".yaml", ".yml"));
            if (!contractFiles.isEmpty()) {
                Map<String, Node> applied = dev.baton.contract.Odcs.applyAll(contractFiles, nodes);
                nodes.clear();
                nodes.putAll(applied);
            }
            TestCompiler tests = new TestCompiler(root, settings, naming, templates, properties, nodes, CustomTests.find(macroFiles));
            nodes.putAll(tests.compile(models));
            nodes.values().forEach(dev.baton.contract.ModelContract::of);
            dev.baton.contract.ModelContract.checkTests(nodes.values(), nodes);
            dev.baton.contract.ModelContract.checkReferences(nodes);
            warnings.addAll(setup.packages().warnings());
            warnings.addAll(IgnoredConfigs.warnings(settings, nodes.values()));
            return new Project(root, settings, target, nodes, warnings, docFiles.isEmpty() ? Map.of() : templates.get().docs());
        } finally {
            // The partial-parse cache is written while the load goes on; it is complete when the load returns.
            cache.awaitSaved();
        }
    }

    /** Creates the template engine on first use, once, for any number of threads. */
    private static final class LazyTemplates implements java.util.function.Supplier<TemplateEngine> {
        private final java.util.function.Supplier<TemplateEngine> factory;
        private volatile TemplateEngine engine;

        LazyTemplates(java.util.function.Supplier<TemplateEngine> factory) {
            this.factory = factory;
        }

        @Override
        public TemplateEngine get() {
            TemplateEngine result = engine;
            if (result == null) {
                synchronized (this) {
                    result = engine;
                    if (result == null) {
                        result = factory.get();
                        engine = result;
                    }
                }
            }
            return result;
        }
    }

    private static Node findByName(Map<String, Node> nodes, String name) {
        for (Node node : nodes.values()) {
            if (node.name().equals(name)) {
                return node;
            }
        }
        return null;
    }

    /** How nodes are named in the warehouse: dbt's default generate_schema_name and alias rules. */
    record NodeNaming(String projectName, Target target) {
        Relation relation(String name, NodeConfig config) {
            String schema = config.schema().map(custom -> target.schema() + "_" + custom).orElse(target.schema());
            return new Relation(schema, config.alias().orElse(name));
        }

        static String sql(Relation relation) {
            return quote(relation.schema()) + "." + quote(relation.identifier());
        }

        static String quote(String identifier) {
            return '"' + identifier.replace("\"", "\"\"") + '"';
        }
    }

    /** Seeds from seed-paths and source tables from properties YAML. */
    private record SeedsAndSources(Path root, ProjectSettings settings, NodeNaming naming, PropertiesReader properties) {
        Map<String, Node> seeds() {
            FolderConfigs folderConfigs = new FolderConfigs(settings.seedConfigs(), settings.file());
            Map<String, Node> seeds = new LinkedHashMap<>();
            Map<String, String> seenPaths = new LinkedHashMap<>();
            for (String folder : settings.seedPaths()) {
                for (String path : ProjectFiles.find(root, List.of(folder), ".csv")) {
                    String name = ProjectFiles.baseName(path);
                    List<String> fqn = new ArrayList<>();
                    fqn.add(settings.name());
                    fqn.addAll(ProjectFiles.subfolders(path, folder));
                    fqn.add(name);
                    ConfigValues config = new ConfigValues();
                    folderConfigs.apply(fqn, config);
                    NodeProperties described = properties.seeds.get(name);
                    SourceLocation location = SourceLocation.ofFile(path);
                    if (described != null) {
                        config.setAll(described.config(), described.location(), described.file());
                    }
                    String previous = seenPaths.putIfAbsent(name, path);
                    if (previous != null) {
                        throw new BatonException(DUPLICATE_NODE, "seed '" + name + "' is defined twice: " + previous + " and " + path
                                + "; rename one of them", location);
                    }
                    NodeConfig frozen = config.freeze(Materialization.TABLE, location);
                    if (!frozen.enabled()) {
                        continue;
                    }
                    String id = "seed." + settings.name() + "." + name;
                    seeds.put(id, new Node(id, ResourceType.SEED, name, settings.name(), path, location, fqn, frozen,
                            Optional.of(naming.relation(name, frozen)), "", "", List.of(),
                            described == null ? "" : described.description(), described == null ? List.of() : described.columns(),
                            Optional.empty(), Optional.empty(), Optional.empty()));
                }
            }
            return seeds;
        }

        private static Map<String, Object> sourceConfig(SourceTable table) {
            Map<String, Object> config = new LinkedHashMap<>(table.freshness());
            if (!table.connector().isEmpty()) {
                config.put("connector", table.connector());
            }
            return config;
        }

        Map<String, Node> sources() {
            Map<String, Node> sources = new LinkedHashMap<>();
            for (SourceTable table : properties.sources) {
                String id = "source." + settings.name() + "." + table.sourceName() + "." + table.tableName();
                NodeConfig config = new NodeConfig(Materialization.TABLE, Optional.empty(), Optional.empty(), table.tags(), true, table.meta(), "error",
                        Map.of(), sourceConfig(table));
                sources.put(id, new Node(id, ResourceType.SOURCE, table.tableName(), settings.name(), table.location().file(), table.location(),
                        List.of(settings.name(), table.sourceName(), table.tableName()), config,
                        Optional.of(new Relation(table.schema(), table.identifier())), "", "", List.of(), table.description(), table.columns(),
                        Optional.empty(), Optional.empty(), Optional.empty()));
            }
            return sources;
        }
    }
}
