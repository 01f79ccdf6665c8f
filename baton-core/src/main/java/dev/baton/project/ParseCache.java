package dev.baton.project;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.SourceLocation;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Partial parsing, as dbt calls it: the rendered form of every model from the last load, kept in
 * {@code target/partial_parse.bin}, so a model whose file, relation name and inputs did not
 * change is not rendered again. Everything a render can read goes into the keys: the file's
 * text and its own relation (per entry), and the macros, docs, vars, target and project file
 * (for the whole cache). A template that reads the environment or the clock is never cached;
 * macros that read the clock turn the cache off.
 */
final class ParseCache {
    private static final int FORMAT = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENV_VAR = Pattern.compile("env_var\\(\\s*['\"]([^'\"]+)['\"]");
    private static final List<String> VOLATILE = List.of("env_var", "run_started_at", "invocation_id", "modules.", "run_query");

    private record Entry(String key, RenderedTemplate template) {}

    private record YamlEntry(String key, dev.baton.yaml.YamlValue.Mapping value) {}

    private final Path file;
    private final String globalKey;
    private final boolean enabled;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, YamlEntry> yamlEntries = new ConcurrentHashMap<>();
    private volatile boolean changed;

    private ParseCache(Path file, String globalKey, boolean enabled) {
        this.file = file;
        this.globalKey = globalKey;
        this.enabled = enabled;
    }

    /** A cache that remembers nothing, for {@code --no-partial-parse}. */
    static ParseCache disabled() {
        return new ParseCache(null, "", false);
    }

    /** Reads the cache; an unreadable, old or foreign cache is an empty one. */
    static ParseCache open(Path file, String projectFileText, Map<String, String> macroFiles, Map<String, String> docFiles, Map<String, Object> vars,
            Map<String, Object> target, Map<String, String> env) {
        StringBuilder inputs = new StringBuilder(dev.baton.artifact.Artifacts.buildIdentity()).append('\u0000').append(projectFileText);
        boolean enabled = true;
        for (Map<String, String> files : List.of(macroFiles, docFiles)) {
            for (Map.Entry<String, String> entry : files.entrySet()) {
                inputs.append('\u0000').append(entry.getKey()).append('\u0000').append(entry.getValue());
                Matcher names = ENV_VAR.matcher(entry.getValue());
                while (names.find()) {
                    inputs.append('\u0000').append(names.group(1)).append('=').append(env.get(names.group(1)));
                }
                if (entry.getValue().contains("run_started_at") || entry.getValue().contains("invocation_id") || entry.getValue().contains("run_query")) {
                    enabled = false;
                }
            }
        }
        try {
            inputs.append('\u0000').append(JSON.writeValueAsString(new java.util.TreeMap<>(vars))).append('\u0000').append(JSON.writeValueAsString(target));
        } catch (IOException e) {
            enabled = false;
        }
        ParseCache cache = new ParseCache(file, dev.baton.plan.Fingerprints.sha256(inputs.toString()), enabled);
        if (enabled) {
            cache.read();
        }
        return cache;
    }

    /** The cached render of a model, if its text and relation are what they were. */
    Optional<RenderedTemplate> lookup(String path, String raw, String thisRelation) {
        Entry entry = entries.get(path);
        if (entry == null || !entry.key().equals(key(raw, thisRelation))) {
            return Optional.empty();
        }
        return Optional.of(entry.template());
    }

    void put(String path, String raw, String thisRelation, RenderedTemplate template) {
        if (!enabled) {
            return;
        }
        if (template.askedConfig || (template.incremental != null && template.incremental.askedConfig)) {
            // What config.get() read comes from other files than the template: render it every time.
            entries.remove(path);
            return;
        }
        for (String marker : VOLATILE) {
            if (raw.contains(marker)) {
                entries.remove(path);
                return;
            }
        }
        entries.put(path, new Entry(key(raw, thisRelation), template));
        changed = true;
    }

    /** The parsed form of a properties file, if its text is what it was. */
    Optional<dev.baton.yaml.YamlValue.Mapping> lookupYaml(String path, String text) {
        YamlEntry entry = yamlEntries.get(path);
        if (entry == null || !entry.key().equals(dev.baton.plan.Fingerprints.sha256(text))) {
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    void putYaml(String path, String text, dev.baton.yaml.YamlValue.Mapping value) {
        if (enabled) {
            yamlEntries.put(path, new YamlEntry(dev.baton.plan.Fingerprints.sha256(text), value));
            changed = true;
        }
    }

    /** The write {@link #saveInBackground} started, if any. */
    private java.util.concurrent.FutureTask<Void> saving;

    /**
     * As {@link #save}, on a thread of its own: the rest of the load goes on meanwhile (the entries
     * are not changed after this). {@link #awaitSaved} waits for it.
     */
    void saveInBackground(java.util.Set<String> livePaths) {
        if (!enabled) {
            return;
        }
        saving = new java.util.concurrent.FutureTask<>(() -> {
            save(livePaths);
            return null;
        });
        Thread thread = new Thread(saving, "baton-parse-cache");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the write {@link #saveInBackground} started is done; at once when there is none. */
    void awaitSaved() {
        if (saving == null) {
            return;
        }
        try {
            saving.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Keeps only the given files (deleted models leave the cache) and writes it if anything changed. */
    void save(java.util.Set<String> livePaths) {
        if (!enabled) {
            return;
        }
        if (entries.keySet().retainAll(livePaths) | yamlEntries.keySet().retainAll(livePaths)) {
            changed = true;
        }
        if (!changed) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16))) {
                out.writeInt(FORMAT);
                Binary.writeString(out, globalKey);
                out.writeInt(entries.size());
                for (Map.Entry<String, Entry> entry : entries.entrySet()) {
                    Binary.writeString(out, entry.getKey());
                    Binary.writeString(out, entry.getValue().key());
                    write(out, entry.getValue().template());
                }
                out.writeInt(yamlEntries.size());
                for (Map.Entry<String, YamlEntry> entry : yamlEntries.entrySet()) {
                    Binary.writeString(out, entry.getKey());
                    Binary.writeString(out, entry.getValue().key());
                    YamlTrees.write(out, entry.getValue().value());
                }
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // A cache that cannot be written only costs time on the next load.
        }
    }

    private static String key(String raw, String thisRelation) {
        return dev.baton.plan.Fingerprints.sha256(thisRelation + '\u0000' + raw);
    }

    private void read() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != FORMAT || !Binary.readString(in).equals(globalKey)) {
                return;
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String path = Binary.readString(in);
                String key = Binary.readString(in);
                entries.put(path, new Entry(key, readTemplate(in)));
            }
            int yamlCount = in.readInt();
            for (int i = 0; i < yamlCount; i++) {
                String path = Binary.readString(in);
                String key = Binary.readString(in);
                yamlEntries.put(path, new YamlEntry(key, (dev.baton.yaml.YamlValue.Mapping) YamlTrees.read(in, path)));
            }
        } catch (IOException | RuntimeException e) {
            entries.clear();
            yamlEntries.clear();
        }
    }

    private static void write(DataOutputStream out, RenderedTemplate template) throws IOException {
        Binary.writeString(out, template.rendered);
        out.writeInt(template.refs.size());
        for (RenderedTemplate.RefCall ref : template.refs) {
            Binary.writeString(out, ref.packageName().orElse(""));
            Binary.writeString(out, ref.name());
            writeLocation(out, ref.location());
        }
        out.writeInt(template.sources.size());
        for (RenderedTemplate.SourceCall source : template.sources) {
            Binary.writeString(out, source.sourceName());
            Binary.writeString(out, source.tableName());
            writeLocation(out, source.location());
        }
        out.writeInt(template.configs.size());
        for (RenderedTemplate.ConfigCall config : template.configs) {
            Binary.writeString(out, JSON.writeValueAsString(config.values()));
            writeLocation(out, config.location());
        }
        out.writeBoolean(template.askedIncremental);
        out.writeBoolean(template.incremental != null);
        if (template.incremental != null) {
            write(out, template.incremental);
        }
    }

    private static RenderedTemplate readTemplate(DataInputStream in) throws IOException {
        RenderedTemplate template = new RenderedTemplate();
        template.rendered = Binary.readString(in);
        int refs = in.readInt();
        for (int i = 0; i < refs; i++) {
            String packageName = Binary.readString(in);
            template.refs.add(new RenderedTemplate.RefCall(packageName.isEmpty() ? Optional.empty() : Optional.of(packageName), Binary.readString(in), readLocation(in)));
        }
        int sources = in.readInt();
        for (int i = 0; i < sources; i++) {
            template.sources.add(new RenderedTemplate.SourceCall(Binary.readString(in), Binary.readString(in), readLocation(in)));
        }
        int configs = in.readInt();
        for (int i = 0; i < configs; i++) {
            Map<String, Object> values = JSON.readValue(Binary.readString(in), new TypeReference<java.util.LinkedHashMap<String, Object>>() {});
            template.configs.add(new RenderedTemplate.ConfigCall(values, readLocation(in)));
        }
        template.askedIncremental = in.readBoolean();
        if (in.readBoolean()) {
            template.incremental = readTemplate(in);
        }
        return template;
    }

    private static void writeLocation(DataOutputStream out, SourceLocation location) throws IOException {
        Binary.writeString(out, location.file());
        out.writeInt(location.line());
        out.writeInt(location.column());
    }

    private static SourceLocation readLocation(DataInputStream in) throws IOException {
        return new SourceLocation(Binary.readString(in), in.readInt(), in.readInt());
    }
}
