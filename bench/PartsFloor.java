import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.baton.api.SourceLocation;
import dev.baton.template.TemplateContext;
import dev.baton.template.TemplateEngine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The least a first compile of a P1 project can cost on the parts the foundation is built on, as a
 * second floor beside {@link ReadFiles}: a fresh JVM that, on every core, reads every file, composes
 * every properties file with SnakeYAML (the node tree with line numbers, as error messages need),
 * renders every model with Jinjava through Baton's template engine (macros read once; {@code ref}
 * and {@code config} only record their arguments), and writes what a compile writes into an empty
 * folder: each compiled model, each model's two compiled tests, and a manifest holding every node's
 * name, path, raw and compiled SQL and parents. No checks, no graph, no fingerprints, no caches, no
 * configuration: whatever Baton does beyond this is the difference between its first compile and
 * this floor. Prints when each step was done, in milliseconds from the start of {@code main}.
 *
 * <p>Usage: {@code java PartsFloor PROJECT_DIR OUTPUT_DIR} (OUTPUT_DIR must not exist).
 */
public final class PartsFloor {
    private PartsFloor() {}

    /** What one model's template asks of the project: its refs are kept, the rest is answered plainly. */
    private static final class Calls implements TemplateContext {
        final List<String> refs = new ArrayList<>();

        @Override
        public String ref(Optional<String> packageName, String name, SourceLocation at) {
            refs.add(name);
            return "\"main\".\"" + name + "\"";
        }

        @Override
        public String source(String sourceName, String tableName, SourceLocation at) {
            return "\"" + sourceName + "\".\"" + tableName + "\"";
        }

        @Override
        public void config(Map<String, Object> values, SourceLocation at) {}

        @Override
        public Optional<String> thisRelation() {
            return Optional.empty();
        }

        @Override
        public boolean isIncremental() {
            return false;
        }
    }

    private record Model(String name, Path file, String raw, String folder) {}

    private record Rendered(Model model, String compiled, List<String> refs) {}

    private record Test(String name, String model, String column, String kind, String folder, String yamlFile) {}

    public static void main(String[] args) throws IOException {
        Path project = Path.of(args[0]);
        Path output = Path.of(args[1]);
        List<Path> files;
        try (Stream<Path> paths = Files.walk(project)) {
            files = paths.filter(path -> !path.toString().contains("/target/") && Files.isRegularFile(path)).toList();
        }
        Map<Path, String> texts = new HashMap<>();
        files.parallelStream().map(file -> Map.entry(file, read(file))).toList().forEach(entry -> texts.put(entry.getKey(), entry.getValue()));

        long read = uptime();
        Map<String, String> macroFiles = new HashMap<>();
        texts.forEach((file, text) -> {
            if (project.relativize(file).startsWith("macros") && file.toString().endsWith(".sql")) {
                macroFiles.put(project.relativize(file).toString(), text);
            }
        });
        TemplateEngine engine = TemplateEngine.create(macroFiles, Map.of(), Map.of(), Map.of(), Map.of("name", "dev", "type", "duckdb", "schema", "main"));
        long engineReady = uptime();

        List<Model> models = new ArrayList<>();
        List<Path> properties = new ArrayList<>();
        texts.forEach((file, text) -> {
            Path relative = project.relativize(file);
            String name = file.getFileName().toString();
            if (relative.startsWith("models") && name.endsWith(".sql")) {
                models.add(new Model(name.substring(0, name.length() - 4), relative, text, relative.getParent().toString()));
            } else if (relative.startsWith("models") && name.endsWith(".yml")) {
                properties.add(file);
            }
        });
        List<Test> tests = properties.parallelStream().flatMap(file -> tests(project, file, texts.get(file)).stream()).toList();
        long composed = uptime();

        Path compiled = output.resolve("compiled/floor");
        Files.createDirectories(output);
        Stream.concat(models.stream().map(model -> compiled.resolve(model.folder())),
                        tests.stream().map(test -> compiled.resolve(test.folder()).resolve(test.yamlFile())))
                .distinct().forEach(PartsFloor::createDirectories);
        List<Rendered> rendered = models.parallelStream().map(model -> {
            Calls calls = new Calls();
            return new Rendered(model, engine.render(model.raw(), model.file().toString(), calls), calls.refs);
        }).toList();
        long renderedAt = uptime();
        rendered.parallelStream().forEach(model -> write(compiled.resolve(model.model().file()), model.compiled()));
        List<String> testSql = tests.parallelStream().map(test -> {
            String sql = test.kind().equals("unique")
                    ? "select " + test.column() + " as unique_field, count(*) as n_records\nfrom \"main\".\"" + test.model()
                            + "\"\nwhere " + test.column() + " is not null\ngroup by " + test.column() + "\nhaving count(*) > 1\n"
                    : "select " + test.column() + "\nfrom \"main\".\"" + test.model() + "\"\nwhere " + test.column() + " is null\n";
            write(compiled.resolve(test.folder()).resolve(test.yamlFile()).resolve(test.name() + ".sql"), sql);
            return sql;
        }).toList();

        try (OutputStream out = Files.newOutputStream(output.resolve("manifest.json"));
                JsonGenerator json = new JsonFactory().createGenerator(new java.io.BufferedOutputStream(out, 1 << 16))) {
            json.writeStartObject();
            json.writeObjectFieldStart("nodes");
            for (Rendered model : rendered) {
                json.writeObjectFieldStart("model.floor." + model.model().name());
                json.writeStringField("name", model.model().name());
                json.writeStringField("original_file_path", model.model().file().toString());
                json.writeStringField("raw_code", model.model().raw());
                json.writeStringField("compiled_code", model.compiled());
                json.writeObjectFieldStart("depends_on");
                json.writeArrayFieldStart("nodes");
                for (String parent : model.refs()) {
                    json.writeString("model.floor." + parent);
                }
                json.writeEndArray();
                json.writeEndObject();
                json.writeEndObject();
            }
            for (int i = 0; i < tests.size(); i++) {
                Test test = tests.get(i);
                json.writeObjectFieldStart("test.floor." + test.name());
                json.writeStringField("name", test.name());
                json.writeStringField("original_file_path", test.folder() + "/" + test.yamlFile());
                json.writeStringField("compiled_code", testSql.get(i));
                json.writeObjectFieldStart("depends_on");
                json.writeArrayFieldStart("nodes");
                json.writeString("model.floor." + test.model());
                json.writeEndArray();
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        long end = uptime();
        System.out.printf("read %d files by %d ms, template engine ready by %d ms, %d properties files composed by %d ms, "
                        + "%d models rendered by %d ms, %d compiled files and a manifest written by %d ms%n",
                files.size(), read, engineReady, properties.size(), composed, rendered.size(), renderedAt, rendered.size() + tests.size(), end);
    }

    private static final long STARTED = System.nanoTime();

    /** Milliseconds since this program's main class was loaded (the JVM's own start-up comes before). */
    private static long uptime() {
        return (System.nanoTime() - STARTED) / 1_000_000;
    }

    /** The generic tests a properties file declares on its models' columns. */
    private static List<Test> tests(Path project, Path file, String text) {
        Node root = new Yaml().compose(new StringReader(text));
        String folder = project.relativize(file).getParent().toString();
        String yamlFile = file.getFileName().toString();
        List<Test> tests = new ArrayList<>();
        for (Node model : sequence(value(root, "models"))) {
            String name = scalar(value(model, "name"));
            for (Node column : sequence(value(model, "columns"))) {
                String columnName = scalar(value(column, "name"));
                for (Node test : sequence(value(column, "data_tests"))) {
                    String kind = scalar(test);
                    tests.add(new Test(kind + "_" + name + "_" + columnName, name, columnName, kind, folder, yamlFile));
                }
            }
        }
        return tests;
    }

    private static Node value(Node mapping, String key) {
        if (mapping instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                if (key.equals(scalar(tuple.getKeyNode()))) {
                    return tuple.getValueNode();
                }
            }
        }
        return null;
    }

    private static List<Node> sequence(Node node) {
        return node instanceof SequenceNode sequence ? sequence.getValue() : List.of();
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectories(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
