package dev.baton.schedule;

import static dev.baton.api.ErrorCode.INVALID_CONFIG_VALUE;
import static dev.baton.api.ErrorCode.UNKNOWN_CONFIG_KEY;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import dev.baton.api.Suggestions;
import dev.baton.graph.Graph;
import dev.baton.graph.selector.SelectionSpec;
import dev.baton.plan.CommandKind;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ResourceType;
import dev.baton.run.ProjectSelection;
import dev.baton.state.StateStore;
import dev.baton.yaml.YamlFiles;
import dev.baton.yaml.YamlValue;
import java.io.IOException;
import java.nio.file.Files;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads {@code jobs:} of the project file:
 *
 * <pre>
 * jobs:
 *   - name: nightly
 *     select: tag:nightly
 *     schedule: "0 2 * * *"
 *     timezone: Europe/Berlin
 *     catch_up: latest
 *     retries: 2
 *     retry_backoff: 1m
 *     timeout: 1h
 *     concurrency: 1
 *     sensors:
 *       - files: landing/orders
 *       - source: app.orders
 * </pre>
 */
public final class JobsConfig {
    private static final Set<String> JOB_KEYS = Set.of("name", "command", "select", "exclude", "selector", "schedule", "timezone", "catch_up",
            "retries", "retry_backoff", "timeout", "concurrency", "sensors", "description");
    private static final Set<String> SENSOR_KEYS = Set.of("files", "source");

    private JobsConfig() {}

    /**
     * The jobs of a project, validated against it: selectors are parsed and evaluated, sensors' sources must exist.
     *
     * @param store the state store, asked for only when a job's selector uses {@code state:} or {@code result:}
     */
    public static List<Job> read(Project project, Supplier<StateStore> store) {
        String file = project.settings().file();
        YamlValue.Mapping root;
        try {
            root = YamlFiles.parseMapping(Files.readString(project.root().resolve(file)), file);
        } catch (IOException e) {
            throw new BatonException(ErrorCode.PROJECT_NOT_FOUND, "cannot read " + file + ": " + e.getMessage());
        }
        return read(root, project, store);
    }

    static List<Job> read(YamlValue.Mapping root, Project project, Supplier<StateStore> store) {
        Map<String, Job> jobs = new LinkedHashMap<>();
        Graph graph = null;
        for (YamlValue entry : root.sequence("jobs")) {
            if (!(entry instanceof YamlValue.Mapping mapping)) {
                throw new BatonException(INVALID_CONFIG_VALUE, "each job must be a mapping with a name, such as '- name: nightly'", entry.location());
            }
            if (graph == null) {
                graph = Graph.of(project.nodes().values());
            }
            Job job = job(mapping, project, graph, store);
            Job previous = jobs.putIfAbsent(job.name(), job);
            if (previous != null) {
                throw new BatonException(INVALID_CONFIG_VALUE, "job '" + job.name() + "' is defined twice, here and at " + previous.location()
                        + "; rename one of them", job.location());
            }
        }
        return List.copyOf(jobs.values());
    }

    private static Job job(YamlValue.Mapping mapping, Project project, Graph graph, Supplier<StateStore> store) {
        for (String key : mapping.entries().keySet()) {
            if (!JOB_KEYS.contains(key)) {
                throw new BatonException(UNKNOWN_CONFIG_KEY, "unknown key '" + key + "' in a job"
                        + Suggestions.didYouMeanOr(key, JOB_KEYS, "fix the spelling or remove it"), mapping.keyLocation(key));
            }
        }
        String name = mapping.string("name").filter(n -> n.matches("[A-Za-z0-9_.-]+")).orElseThrow(() -> new BatonException(INVALID_CONFIG_VALUE,
                "a job needs a name of letters, digits, '_', '-' or '.'; add 'name: nightly'", mapping.location()));
        CommandKind command = command(mapping);
        SelectionSpec selection = selection(mapping, name, project, graph, store);
        ZoneId zone = zone(mapping);
        Optional<CronSchedule> schedule = mapping.string("schedule").map(text -> CronSchedule.parse(text, zone, mapping.get("schedule").orElseThrow().location()));
        if (mapping.get("timezone").isPresent() && schedule.isEmpty()) {
            throw new BatonException(INVALID_CONFIG_VALUE, "job '" + name + "' has a timezone but no schedule; add 'schedule: \"0 2 * * *\"' or remove the timezone",
                    mapping.keyLocation("timezone"));
        }
        CatchUp catchUp = catchUp(mapping);
        int retries = count(mapping, "retries", 0, 0);
        Duration backoff = mapping.string("retry_backoff").map(text -> DurationText.parse(text, "retry_backoff", mapping.keyLocation("retry_backoff")))
                .orElse(Duration.ofMinutes(1));
        Optional<Duration> timeout = mapping.string("timeout").map(text -> DurationText.parse(text, "timeout", mapping.keyLocation("timeout")));
        int concurrency = count(mapping, "concurrency", 1, 1);
        List<Sensor> sensors = sensors(mapping, project);
        return new Job(name, command, selection, schedule, catchUp, retries, backoff, timeout, concurrency, sensors, mapping.location());
    }

    private static CommandKind command(YamlValue.Mapping mapping) {
        String text = mapping.string("command").orElse("build").toLowerCase(Locale.ROOT);
        for (CommandKind kind : CommandKind.values()) {
            if (kind.label().equals(text)) {
                return kind;
            }
        }
        List<String> labels = java.util.Arrays.stream(CommandKind.values()).map(CommandKind::label).toList();
        throw new BatonException(INVALID_CONFIG_VALUE, "unknown command '" + text + "' in a job" + Suggestions.didYouMeanOr(text, labels,
                "use one of " + String.join(", ", labels)), mapping.keyLocation("command"));
    }

    private static SelectionSpec selection(YamlValue.Mapping mapping, String name, Project project, Graph graph, Supplier<StateStore> store) {
        List<String> select = criteria(mapping, "select");
        List<String> exclude = criteria(mapping, "exclude");
        Optional<String> selector = mapping.string("selector");
        SelectionSpec spec = new SelectionSpec(select, exclude, selector);
        String key = selector.isPresent() ? "selector" : !select.isEmpty() ? "select" : "exclude";
        try {
            ProjectSelection.select(project, graph, spec, store);
        } catch (BatonException e) {
            if (e.errorCode() != ErrorCode.INVALID_SELECTOR) {
                throw e;
            }
            throw new BatonException(ErrorCode.INVALID_SELECTOR, "job '" + name + "': " + e.detail(), Optional.of(mapping.keyLocation(key)), e);
        }
        return spec;
    }

    private static List<String> criteria(YamlValue.Mapping mapping, String key) {
        Optional<YamlValue> value = mapping.get(key);
        if (value.isEmpty()) {
            return List.of();
        }
        if (value.get() instanceof YamlValue.Scalar scalar) {
            return scalar.isNull() ? List.of() : List.of(scalar.text());
        }
        List<String> items = new ArrayList<>();
        for (YamlValue item : mapping.sequence(key)) {
            if (!(item instanceof YamlValue.Scalar scalar) || scalar.isNull()) {
                throw new BatonException(INVALID_CONFIG_VALUE, "'" + key + "' must be a selector or a list of selectors", item.location());
            }
            items.add(scalar.text());
        }
        return items;
    }

    private static ZoneId zone(YamlValue.Mapping mapping) {
        Optional<String> text = mapping.string("timezone");
        if (text.isEmpty()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(text.get());
        } catch (DateTimeException e) {
            throw new BatonException(ErrorCode.INVALID_SCHEDULE, "unknown timezone '" + text.get() + "'; use a region such as Europe/Berlin or UTC",
                    mapping.get("timezone").orElseThrow().location());
        }
    }

    private static CatchUp catchUp(YamlValue.Mapping mapping) {
        Optional<String> text = mapping.string("catch_up");
        if (text.isEmpty()) {
            return CatchUp.LATEST;
        }
        for (CatchUp value : CatchUp.values()) {
            if (value.label().equals(text.get().toLowerCase(Locale.ROOT))) {
                return value;
            }
        }
        throw new BatonException(INVALID_CONFIG_VALUE, "catch_up must be skip, latest or all, not '" + text.get() + "'", mapping.keyLocation("catch_up"));
    }

    private static int count(YamlValue.Mapping mapping, String key, int fallback, int minimum) {
        Optional<String> text = mapping.string(key);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.get().trim());
            if (value >= minimum) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new BatonException(INVALID_CONFIG_VALUE, key + " must be a whole number of at least " + minimum + ", not '" + text.get() + "'",
                mapping.keyLocation(key));
    }

    private static List<Sensor> sensors(YamlValue.Mapping mapping, Project project) {
        List<Sensor> sensors = new ArrayList<>();
        for (YamlValue item : mapping.sequence("sensors")) {
            if (!(item instanceof YamlValue.Mapping sensor) || sensor.entries().size() != 1) {
                throw new BatonException(INVALID_CONFIG_VALUE, "a sensor must be one of 'files: landing/orders' or 'source: app.orders'", item.location());
            }
            String key = sensor.entries().keySet().iterator().next();
            if (!SENSOR_KEYS.contains(key)) {
                throw new BatonException(UNKNOWN_CONFIG_KEY, "unknown sensor '" + key + "'" + Suggestions.didYouMeanOr(key, SENSOR_KEYS,
                        "use 'files: FOLDER' or 'source: SOURCE.TABLE'"), sensor.keyLocation(key));
            }
            String value = sensor.string(key).filter(text -> !text.isBlank()).orElseThrow(() -> new BatonException(INVALID_CONFIG_VALUE,
                    "sensor '" + key + "' needs a value", sensor.keyLocation(key)));
            SourceLocation location = sensor.keyLocation(key);
            if (key.equals("files")) {
                sensors.add(new Sensor(Sensor.Kind.FILES, value, location));
            } else {
                sensors.add(new Sensor(Sensor.Kind.SOURCE_FRESHNESS, sourceId(project, value, location), location));
            }
        }
        return sensors;
    }

    private static String sourceId(Project project, String name, SourceLocation location) {
        List<String> names = new ArrayList<>();
        for (Node node : project.nodes().values()) {
            if (node.resourceType() != ResourceType.SOURCE) {
                continue;
            }
            String qualified = node.fqn().get(1) + "." + node.name();
            if (qualified.equals(name)) {
                if (node.config().other().get("loaded_at_field") == null) {
                    throw new BatonException(INVALID_CONFIG_VALUE, "source '" + name + "' has no loaded_at_field, so its freshness cannot advance;"
                            + " add 'loaded_at_field: COLUMN' to it", location);
                }
                return node.uniqueId();
            }
            names.add(qualified);
        }
        throw new BatonException(ErrorCode.UNKNOWN_SOURCE, "unknown source '" + name + "' in a sensor" + Suggestions.didYouMeanOr(name, names,
                "write SOURCE.TABLE as declared under sources:"), location);
    }
}
