package dev.baton.project;

import static dev.baton.api.ErrorCode.DEPENDENCY_CYCLE;
import static dev.baton.api.ErrorCode.DUPLICATE_NODE;
import static dev.baton.api.ErrorCode.UNKNOWN_REF;
import static dev.baton.api.ErrorCode.UNKNOWN_SOURCE;

import dev.baton.api.BatonException;
import dev.baton.api.SourceLocation;
import dev.baton.api.Suggestions;
import dev.baton.api.engine.Relation;
import dev.baton.project.ProjectLoader.NodeNaming;
import dev.baton.project.Properties.NodeProperties;
import dev.baton.template.TemplateEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Renders, configures and compiles the models of a project. */
final class ModelCompiler {
    private static final String CTE_PREFIX = "__dbt__cte__";

    private final Path root;
    private final ProjectSettings settings;
    private final NodeNaming naming;
    private final java.util.function.Supplier<TemplateEngine> templates;
    private final PropertiesReader properties;
    private final List<String> warnings;
    private final Map<String, Draft> drafts = new LinkedHashMap<>();
    private final Set<String> disabled = new HashSet<>();
    private Map<String, Node> seeds = Map.of();
    private Map<String, Node> sources = Map.of();

    /** A model on its way to becoming a {@link Node}. */
    private static final class Draft {
        ResourceType type = ResourceType.MODEL;
        SourceLocation location;
        /** For snapshots: the template to render (a block of a file, or a YAML snapshot's select); models read their file. */
        String template;
        String name;
        String path;
        List<String> fqn;
        ConfigValues config;
        NodeProperties properties;
        String raw;
        RenderedTemplate rendered;
        NodeConfig finalConfig;
        Optional<Relation> relation;
        String resolvedSql;
        List<String> dependsOn;
        List<String> ephemeralDependencies;
        String compiledSql;
        IncrementalConfig incremental;
        Resolution incrementalResolution;

        String id(String project) {
            return type.label() + "." + project + "." + name;
        }

        boolean isSnapshot() {
            return type == ResourceType.SNAPSHOT;
        }
    }

    /** What a template's refs and sources resolved to. */
    record Resolution(String sql, List<String> dependsOn, List<String> ephemeralDependencies) {}

    private final ParseCache cache;
    private boolean staticParsing;

    ModelCompiler(Path root, ProjectSettings settings, NodeNaming naming, java.util.function.Supplier<TemplateEngine> templates, PropertiesReader properties, List<String> warnings,
            ParseCache cache) {
        this.cache = cache;
        this.root = root;
        this.settings = settings;
        this.naming = naming;
        this.templates = templates;
        this.properties = properties;
        this.warnings = warnings;
    }

    /**
     * Renders templates made only of literal ref/source/config calls without Jinja (dbt's static
     * parser); off when the project's macros redefine one of those functions.
     */
    ModelCompiler withStaticParsing(boolean enabled) {
        this.staticParsing = enabled;
        return this;
    }

    Map<String, Node> compile(Map<String, Node> seedNodes, Map<String, Node> sourceNodes) {
        this.seeds = seedNodes;
        this.sources = sourceNodes;
        collect();
        Balanced.forEach(new ArrayList<>(drafts.values()), this::render);
        Set<String> paths = new HashSet<>(properties.files);
        drafts.values().forEach(draft -> paths.add(draft.path));
        cache.saveInBackground(paths);
        List<String> disabledNames = new ArrayList<>();
        for (Draft draft : drafts.values()) {
            for (RenderedTemplate.ConfigCall call : draft.rendered.configs) {
                draft.config.setAll(call.values(), call.location(), "config()");
            }
            draft.finalConfig = draft.isSnapshot() ? snapshotConfig(draft) : draft.config.freeze(Materialization.VIEW, SourceLocation.of(draft.path, 1));
            if (!draft.finalConfig.enabled()) {
                disabledNames.add(draft.name);
                continue;
            }
            if (draft.finalConfig.materialized() == Materialization.INCREMENTAL) {
                draft.incremental = IncrementalConfigReader.read(draft.config, SourceLocation.of(draft.path, 1));
            }
            if (draft.isSnapshot()) {
                SourceLocation declared = !draft.rendered.configs.isEmpty() ? draft.rendered.configs.get(0).location()
                        : draft.properties != null ? draft.properties.location() : draft.location;
                dev.baton.snapshot.SnapshotSettings.of(draft.name, draft.finalConfig.other(), key -> draft.config.location(key, declared));
            }
            draft.relation = draft.finalConfig.materialized() == Materialization.EPHEMERAL
                    ? Optional.empty()
                    : Optional.of(relationOf(draft, draft.finalConfig));
        }
        disabledNames.forEach(name -> {
            drafts.remove(name);
            disabled.add(name);
        });
        new ArrayList<>(drafts.values()).parallelStream().forEach(draft -> {
            boolean batched = draft.incremental != null && draft.incremental.strategy() == IncrementalConfig.Strategy.MICROBATCH;
            Resolution resolution = resolve(draft.rendered, batched);
            draft.resolvedSql = resolution.sql();
            draft.dependsOn = resolution.dependsOn();
            draft.ephemeralDependencies = resolution.ephemeralDependencies();
            if (draft.incremental != null && draft.rendered.incremental != null) {
                draft.incrementalResolution = resolve(draft.rendered.incremental, batched);
                Set<String> union = new LinkedHashSet<>(draft.dependsOn);
                union.addAll(draft.incrementalResolution.dependsOn());
                draft.dependsOn = List.copyOf(union);
            }
        });
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (Draft draft : drafts.values()) {
            draft.compiledSql = injectCtes(draft.isSnapshot() ? draft.resolvedSql.strip() : draft.resolvedSql, ephemeralClosure(draft));
            Optional<IncrementalConfig> incremental = Optional.empty();
            if (draft.incremental != null) {
                String incrementalSql = draft.incrementalResolution == null ? draft.compiledSql
                        : injectCtes(draft.incrementalResolution.sql(), ephemeralClosure(draft.incrementalResolution.ephemeralDependencies()));
                incremental = Optional.of(draft.incremental.withIncrementalSql(incrementalSql));
            }
            String id = draft.id(settings.name());
            NodeProperties described = draft.properties;
            nodes.put(id, new Node(id, draft.type, draft.name, settings.name(), draft.path, draft.location, draft.fqn,
                    draft.finalConfig, draft.relation, draft.raw, draft.compiledSql, draft.dependsOn,
                    described == null ? "" : describe(described.description(), described.file()),
                    described == null ? List.of() : described.columns(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), incremental));
        }
        return nodes;
    }

    /**
     * A snapshot's config: always materialized as a snapshot; {@code target_schema} names its
     * schema as it is (dbt's legacy rule), {@code schema} works as for models.
     */
    private static NodeConfig snapshotConfig(Draft draft) {
        NodeConfig frozen = draft.config.freeze(Materialization.SNAPSHOT, draft.location);
        return new NodeConfig(Materialization.SNAPSHOT, frozen.schema(), frozen.alias(), frozen.tags(), frozen.enabled(), frozen.meta(), frozen.severity(),
                frozen.columnTypes(), frozen.other());
    }

    private Relation relationOf(Draft draft, NodeConfig config) {
        Relation relation = naming.relation(draft.name, config);
        if (draft.isSnapshot()) {
            Object targetSchema = config.other().get("target_schema");
            if (targetSchema != null && !String.valueOf(targetSchema).isBlank()) {
                return new Relation(String.valueOf(targetSchema).strip(), relation.identifier());
            }
        }
        return relation;
    }

    /** Whether a model of this name exists but is disabled. */
    boolean isDisabled(String name) {
        return disabled.contains(name);
    }

    private void collect() {
        FolderConfigs folderConfigs = new FolderConfigs(settings.modelConfigs(), settings.file());
        for (String folder : settings.modelPaths()) {
            for (String path : ProjectFiles.find(root, List.of(folder), ".sql")) {
                Draft draft = new Draft();
                draft.name = ProjectFiles.baseName(path);
                draft.path = path;
                List<String> fqn = new ArrayList<>();
                fqn.add(settings.name());
                fqn.addAll(ProjectFiles.subfolders(path, folder));
                fqn.add(draft.name);
                draft.fqn = fqn;
                draft.config = new ConfigValues();
                folderConfigs.apply(fqn, draft.config);
                draft.properties = properties.models.get(draft.name);
                if (draft.properties != null) {
                    draft.config.setAll(draft.properties.config(), draft.properties.location(), draft.properties.file());
                }
                draft.location = SourceLocation.of(path, 1);
                Draft previous = drafts.putIfAbsent(draft.name, draft);
                if (previous != null) {
                    throw new BatonException(DUPLICATE_NODE, "model '" + draft.name + "' is defined twice: " + previous.path + " and " + path
                            + "; rename one of them, since model names must be unique in a project", SourceLocation.of(path, 1));
                }
            }
        }
        collectSnapshots();
        for (NodeProperties described : properties.models.values()) {
            if (!drafts.containsKey(described.name())) {
                warnings.add(described.location() + ": model '" + described.name() + "' is described but there is no " + described.name()
                        + ".sql under " + String.join(", ", settings.modelPaths()) + "; its entry is ignored");
            }
        }
    }

    /** Snapshot blocks from the snapshot folders and YAML snapshots (a snapshots: entry with a relation). */
    private void collectSnapshots() {
        for (String folder : settings.snapshotPaths()) {
            for (String path : ProjectFiles.find(root, List.of(folder), ".sql")) {
                String text = ProjectFiles.read(root, path);
                for (SnapshotBlocks.Block block : SnapshotBlocks.parse(text, path)) {
                    List<String> fqn = new ArrayList<>();
                    fqn.add(settings.name());
                    fqn.addAll(ProjectFiles.subfolders(path, folder));
                    fqn.add(ProjectFiles.baseName(path));
                    fqn.add(block.name());
                    addSnapshot(block.name(), path, block.location(), fqn, block.body(), block.placedBody());
                }
            }
        }
        properties.snapshotRelations.forEach((name, relation) -> {
            NodeProperties described = properties.snapshots.get(name);
            String file = described.file();
            String select = "select * from {{ " + relation.text() + " }}";
            // The template sits on the relation's line, so a bad ref() names the YAML line.
            String placed = "\n".repeat(Math.max(0, relation.location().line() - 1)) + select;
            List<String> fqn = new ArrayList<>();
            fqn.add(settings.name());
            fqn.add(name);
            addSnapshot(name, file, described.location(), fqn, select, placed);
        });
        for (NodeProperties described : properties.snapshots.values()) {
            Draft draft = drafts.get(described.name());
            if (draft == null || !draft.isSnapshot()) {
                warnings.add(described.location() + ": snapshot '" + described.name() + "' is described but has no relation: and no"
                        + " {% snapshot " + described.name() + " %} block under " + String.join(", ", settings.snapshotPaths()) + "; its entry is ignored");
            }
        }
    }

    private void addSnapshot(String name, String path, SourceLocation location, List<String> fqn, String body, String placed) {
        Draft draft = new Draft();
        draft.type = ResourceType.SNAPSHOT;
        draft.name = name;
        draft.path = path;
        draft.location = location;
        draft.fqn = fqn;
        draft.raw = body;
        draft.template = placed;
        draft.config = new ConfigValues();
        draft.properties = properties.snapshots.get(name);
        if (draft.properties != null) {
            draft.config.setAll(draft.properties.config(), draft.properties.location(), draft.properties.file());
        }
        Draft previous = drafts.putIfAbsent(name, draft);
        if (previous != null) {
            throw new BatonException(DUPLICATE_NODE, "snapshot '" + name + "' has the name of " + previous.type.label() + " '" + name + "' ("
                    + previous.location + "); rename one of them, since ref() could not tell them apart", location);
        }
    }

    private void render(Draft draft) {
        if (draft.template == null) {
            draft.raw = ProjectFiles.read(root, draft.path);
        }
        String template = draft.template == null ? draft.raw : draft.template;
        NodeConfig preliminary = draft.isSnapshot() ? snapshotConfig(copyOf(draft))
                : draft.config.copy().freeze(Materialization.VIEW, SourceLocation.of(draft.path, 1));
        Optional<String> thisRelation = Optional.of(NodeNaming.sql(relationOf(draft, preliminary)));
        Optional<RenderedTemplate> cached = cache.lookup(draft.path, template, thisRelation.get());
        if (cached.isPresent()) {
            draft.rendered = cached.get();
            return;
        }
        draft.rendered = new RenderedTemplate();
        draft.rendered.baseConfig = preliminary;
        dev.baton.template.TemplateContext context = draft.rendered.context(thisRelation);
        Optional<String> quick = staticParsing ? dev.baton.template.StaticTemplate.render(template, draft.path, context) : Optional.empty();
        draft.rendered.rendered = quick.isPresent() ? quick.get() : templates.get().render(template, draft.path, context);
        if (draft.rendered.askedIncremental) {
            // is_incremental() is decided when the model runs: keep the other branch too.
            RenderedTemplate incremental = new RenderedTemplate();
            incremental.baseConfig = draft.rendered.baseConfig;
            incremental.rendered = templates.get().render(template, draft.path, incremental.context(thisRelation, true));
            draft.rendered.incremental = incremental;
        }
        cache.put(draft.path, template, thisRelation.get(), draft.rendered);
    }

    private static Draft copyOf(Draft draft) {
        Draft copy = new Draft();
        copy.type = draft.type;
        copy.location = draft.location;
        copy.name = draft.name;
        copy.config = draft.config.copy();
        return copy;
    }

    /** Resolves a rendered template's refs and sources against the project. */
    Resolution resolve(RenderedTemplate rendered) {
        return resolve(rendered, false);
    }

    /**
     * As {@link #resolve(RenderedTemplate)}; with {@code batched} (a microbatch model), a ref to a
     * model or seed that has {@code event_time} reads only the rows of the batch being built.
     */
    Resolution resolve(RenderedTemplate rendered, boolean batched) {
        List<String> refTexts = new ArrayList<>(rendered.refs.size());
        Set<String> dependsOn = new LinkedHashSet<>();
        Set<String> ephemeral = new LinkedHashSet<>();
        for (RenderedTemplate.RefCall call : rendered.refs) {
            if (call.packageName().isPresent() && !call.packageName().get().equals(settings.name())) {
                throw new BatonException(UNKNOWN_REF, "unknown package '" + call.packageName().get() + "' in ref(); this project is '"
                        + settings.name() + "' and has no installed packages", call.location());
            }
            Draft model = drafts.get(call.name());
            if (model != null) {
                String id = model.id(settings.name());
                dependsOn.add(id);
                if (model.relation.isEmpty()) {
                    ephemeral.add(model.name);
                    refTexts.add(CTE_PREFIX + model.name);
                } else {
                    refTexts.add(batchWindow(model.relation.get(), batched ? model.finalConfig : null));
                }
                continue;
            }
            Node seed = seeds.get("seed." + settings.name() + "." + call.name());
            if (seed != null) {
                dependsOn.add(seed.uniqueId());
                refTexts.add(batchWindow(seed.relation().orElseThrow(), batched ? seed.config() : null));
                continue;
            }
            if (disabled.contains(call.name())) {
                throw new BatonException(UNKNOWN_REF, "model '" + call.name() + "' in ref() is disabled; enable it or remove this ref()", call.location());
            }
            Set<String> candidates = new HashSet<>(drafts.keySet());
            seeds.values().forEach(node -> candidates.add(node.name()));
            throw new BatonException(UNKNOWN_REF, "unknown model '" + call.name() + "' in ref()"
                    + Suggestions.didYouMeanOr(call.name(), candidates, "no model or seed has that name"), call.location());
        }
        List<String> sourceTexts = new ArrayList<>(rendered.sources.size());
        for (RenderedTemplate.SourceCall call : rendered.sources) {
            String id = "source." + settings.name() + "." + call.sourceName() + "." + call.tableName();
            Node source = sources.get(id);
            if (source == null) {
                Set<String> candidates = new HashSet<>();
                sources.values().forEach(node -> candidates.add(node.fqn().get(1) + "." + node.name()));
                String wanted = call.sourceName() + "." + call.tableName();
                throw new BatonException(UNKNOWN_SOURCE, "unknown source '" + wanted + "' in source()"
                        + Suggestions.didYouMeanOr(wanted, candidates, "declare it under sources: in a properties YAML file"), call.location());
            }
            dependsOn.add(id);
            sourceTexts.add(NodeNaming.sql(source.relation().orElseThrow()));
        }
        return new Resolution(rendered.resolve(refTexts, sourceTexts), List.copyOf(dependsOn), List.copyOf(ephemeral));
    }

    /**
     * A relation filtered to the batch window when its config names an {@code event_time} (dbt's microbatch rule), as a subquery
     * with dbt's alias {@code _dbt_et_filter_subq_<name>} (PostgreSQL requires one).
     */
    private static String batchWindow(Relation relation, NodeConfig upstream) {
        String text = NodeNaming.sql(relation);
        if (upstream == null || upstream.other().get("event_time") == null || String.valueOf(upstream.other().get("event_time")).isBlank()) {
            return text;
        }
        String column = "\"" + String.valueOf(upstream.other().get("event_time")).strip().replace("\"", "\"\"") + "\"";
        return "(select * from " + text + " where " + column + " >= " + IncrementalConfig.BATCH_START + " and " + column + " < "
                + IncrementalConfig.BATCH_END + ") \"_dbt_et_filter_subq_" + relation.identifier().replace("\"", "\"\"") + "\"";
    }

    /** The ephemeral models a model needs as CTEs, dependencies first. */
    List<String> ephemeralClosure(List<String> direct) {
        List<String> ordered = new ArrayList<>();
        for (String name : direct) {
            visitEphemeral(drafts.get(name), ordered, new ArrayList<>());
        }
        return ordered;
    }

    private List<String> ephemeralClosure(Draft draft) {
        return ephemeralClosure(draft.ephemeralDependencies);
    }

    private void visitEphemeral(Draft draft, List<String> ordered, List<String> path) {
        if (path.contains(draft.name)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(draft.name), path.size()));
            cycle.add(draft.name);
            StringBuilder text = new StringBuilder();
            for (String name : cycle) {
                Draft member = drafts.get(name);
                text.append(text.length() == 0 ? "" : " -> ").append(member.id(settings.name())).append(" (").append(member.path).append(")");
            }
            throw new BatonException(DEPENDENCY_CYCLE, "found a dependency cycle: " + text + "; break it by removing one of these ref() calls",
                    SourceLocation.of(draft.path, 1));
        }
        if (ordered.contains(draft.name)) {
            return;
        }
        path.add(draft.name);
        for (String dependency : draft.ephemeralDependencies) {
            visitEphemeral(drafts.get(dependency), ordered, path);
        }
        path.remove(path.size() - 1);
        ordered.add(draft.name);
    }

    /** Puts the ephemeral models in front of a query as CTEs, merging with its own WITH. */
    String injectCtes(String sql, List<String> ephemeralNames) {
        if (ephemeralNames.isEmpty()) {
            return sql;
        }
        StringBuilder ctes = new StringBuilder();
        for (String name : ephemeralNames) {
            if (ctes.length() > 0) {
                ctes.append(",\n");
            }
            ctes.append(CTE_PREFIX).append(name).append(" as (\n").append(drafts.get(name).resolvedSql.strip()).append("\n)");
        }
        int start = firstTokenStart(sql);
        if (sql.regionMatches(true, start, "with", 0, 4) && start + 4 < sql.length() && Character.isWhitespace(sql.charAt(start + 4))) {
            return sql.substring(0, start) + "with " + ctes + ",\n" + sql.substring(start + 5);
        }
        return sql.substring(0, start) + "with " + ctes + "\n" + sql.substring(start);
    }

    private static int firstTokenStart(String sql) {
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            } else {
                return i;
            }
        }
        return i;
    }

    /** Renders {{ doc('x') }} in a description. */
    String describe(String description, String file) {
        if (!description.contains("{{")) {
            return description;
        }
        return templates.get().render(description, file, new RenderedTemplate().context(Optional.empty()));
    }

    /** The compiled models by name, for tests. */
    Map<String, Node> byName(Map<String, Node> nodes) {
        Map<String, Node> byName = new HashMap<>();
        for (Node node : nodes.values()) {
            if (node.resourceType() == ResourceType.MODEL || node.resourceType() == ResourceType.SEED) {
                byName.put(node.name(), node);
            }
        }
        return byName;
    }
}
