package dev.baton.project;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.engine.Relation;
import dev.baton.project.ProjectLoader.NodeNaming;
import dev.baton.template.StaticTemplate;
import dev.baton.template.TemplateEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders edited models again on their own, for a compile that keeps everything else from the last
 * one. It answers only when an edit changed nothing but the SQL and what the model reads: the old
 * and the new text make the same {@code config()} calls, so the model's configuration, relation and
 * tests are what they were; its {@code ref()} and {@code source()} calls may differ, and the answer
 * then carries its new dependencies. Anything else (another config, a ref that the last compile
 * cannot resolve, {@code is_incremental()}, a template that reads the environment or the clock, a
 * template error) gets no answer, and the caller compiles the whole project, which also reports any
 * error at its line.
 */
public final class ModelRerender {
    /** Config keys that name the relation: the model's {@code this} would no longer be what the last compile recorded. */
    private static final Set<String> NAMING_KEYS = Set.of("schema", "alias", "database");

    private ModelRerender() {}

    /**
     * One edited model: its file, its text when it was last compiled and now, and its relation
     * (which is its {@code this}).
     */
    public record Edit(String path, String oldText, String newText, Relation relation) {
        public Edit {
            requireNonNull(path, "path is null");
            requireNonNull(oldText, "oldText is null");
            requireNonNull(newText, "newText is null");
            requireNonNull(relation, "relation is null");
        }
    }

    /** The nodes the last compile gave the project's models, seeds, snapshots and sources. */
    public interface Relations {
        /** The node {@code ref(name)} names, or empty when that is not a plain relation (an ephemeral model, say). */
        Optional<Upstream> ref(String name);

        Optional<Upstream> source(String sourceName, String tableName);
    }

    /** A node a model reads: its unique id and its relation. */
    public record Upstream(String uniqueId, Relation relation) {
        public Upstream {
            requireNonNull(uniqueId, "uniqueId is null");
            requireNonNull(relation, "relation is null");
        }
    }

    /** An edited model rendered again: its compiled SQL and the ids it depends on, in first-use order (refs, then sources), as the full compile lists them. */
    public record Rerendered(String compiledSql, List<String> dependsOn) {
        public Rerendered {
            requireNonNull(compiledSql, "compiledSql is null");
            dependsOn = List.copyOf(dependsOn);
        }
    }

    /**
     * Starts reading the project file, the macros and the docs, and building the template engine,
     * in the background, while the caller reads what the edited models were. {@code listings} are
     * the folders as the last compile found them (absolute folder to the files in it, relative to
     * it), for a caller that knows nothing was added or removed since: they need no second walk.
     */
    public static Renderer start(LoadOptions options, Map<String, ? extends java.util.Collection<String>> listings) {
        Path root = options.projectDir().toAbsolutePath().normalize();
        return new Renderer(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            TemplateSetup setup = ProjectFiles.withListings(root, listings, () -> TemplateSetup.read(root, options));
            return new Prepared(setup, StaticTemplate.appliesWith(setup.macroFiles().values()), setup.engine(options.env()));
        }, ModelRerender::onOwnThread));
    }

    /** Runs the engine's construction on a thread of its own, beside the common pool's workers. */
    private static void onOwnThread(Runnable task) {
        Thread thread = new Thread(task, "baton-template-engine");
        thread.setDaemon(true);
        thread.start();
    }

    private record Prepared(TemplateSetup setup, boolean staticParsing, TemplateEngine engine) {}

    /** Renders edited models once the template engine is built. */
    public static final class Renderer {
        private final java.util.concurrent.CompletableFuture<Prepared> prepared;

        private Renderer(java.util.concurrent.CompletableFuture<Prepared> prepared) {
            this.prepared = prepared;
        }

        /**
         * Each edited model rendered again, in order, or empty when any edit changed more than its
         * SQL and its dependencies (then the whole project must be compiled).
         */
        public Optional<List<Rerendered>> rerender(List<Edit> edits, Relations relations) {
            for (Edit edit : edits) {
                if (ProjectInputs.readsBeyondFiles(edit.oldText()) || ProjectInputs.readsBeyondFiles(edit.newText())) {
                    return Optional.empty();
                }
            }
            try {
                Prepared ready = prepared.join();
                List<Rerendered> compiled = new ArrayList<>(edits.size());
                for (Edit edit : edits) {
                    String self = NodeNaming.sql(edit.relation());
                    RenderedTemplate before = render(edit.oldText(), edit.path(), self, ready);
                    RenderedTemplate after = render(edit.newText(), edit.path(), self, ready);
                    if (!sameConfiguration(before, after)) {
                        return Optional.empty();
                    }
                    Optional<Rerendered> sql = resolve(after, ready.setup().settings().name(), relations);
                    if (sql.isEmpty()) {
                        return Optional.empty();
                    }
                    compiled.add(sql.get());
                }
                return Optional.of(compiled);
            } catch (BatonException | java.util.concurrent.CompletionException e) {
                // The full compile reports the error at its line.
                return Optional.empty();
            }
        }
    }

    /** As the full compile renders a model: statically when it can, otherwise with Jinja. */
    private static RenderedTemplate render(String text, String path, String self, Prepared ready) {
        RenderedTemplate rendered = new RenderedTemplate();
        dev.baton.template.TemplateContext context = rendered.context(Optional.of(self));
        Optional<String> quick = ready.staticParsing() ? StaticTemplate.render(text, path, context) : Optional.empty();
        rendered.rendered = quick.isPresent() ? quick.get() : ready.engine().render(text, path, context);
        return rendered;
    }

    /**
     * The same {@code config()} calls before and after, none naming the relation, and neither
     * {@code is_incremental()} nor {@code config.get()} (whose answers the full compile gives).
     */
    private static boolean sameConfiguration(RenderedTemplate before, RenderedTemplate after) {
        if (before.askedIncremental || after.askedIncremental || before.askedConfig || after.askedConfig
                || before.configs.size() != after.configs.size()) {
            return false;
        }
        for (int i = 0; i < before.configs.size(); i++) {
            Map<String, Object> values = after.configs.get(i).values();
            if (!before.configs.get(i).values().equals(values) || values.keySet().stream().anyMatch(NAMING_KEYS::contains)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The rendered SQL with its refs and sources replaced by the relations the last compile gave
     * them, and the ids they name, as {@code ModelCompiler} resolves them; empty when one is not a
     * plain relation of the last compile (the full compile then reports it, or inlines an ephemeral model).
     */
    private static Optional<Rerendered> resolve(RenderedTemplate rendered, String project, Relations relations) {
        Set<String> dependsOn = new LinkedHashSet<>();
        List<String> refTexts = new ArrayList<>(rendered.refs.size());
        for (RenderedTemplate.RefCall call : rendered.refs) {
            if (call.packageName().isPresent() && !call.packageName().get().equals(project)) {
                return Optional.empty();
            }
            Optional<Upstream> upstream = relations.ref(call.name());
            if (upstream.isEmpty()) {
                return Optional.empty();
            }
            dependsOn.add(upstream.get().uniqueId());
            refTexts.add(NodeNaming.sql(upstream.get().relation()));
        }
        List<String> sourceTexts = new ArrayList<>(rendered.sources.size());
        for (RenderedTemplate.SourceCall call : rendered.sources) {
            Optional<Upstream> upstream = relations.source(call.sourceName(), call.tableName());
            if (upstream.isEmpty()) {
                return Optional.empty();
            }
            dependsOn.add(upstream.get().uniqueId());
            sourceTexts.add(NodeNaming.sql(upstream.get().relation()));
        }
        return Optional.of(new Rerendered(rendered.resolve(refTexts, sourceTexts), List.copyOf(dependsOn)));
    }
}
