package dev.baton.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.kpi.KpiReport;
import dev.baton.kpi.KpiService;
import dev.baton.kpi.KpiValue;
import dev.baton.project.Project;
import dev.baton.schedule.DurationText;
import dev.baton.state.StateConnections;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "kpis", mixinStandardHelpOptions = true,
        description = "The team's KPIs from the run history: success rate, SLA adherence, incidents, check coverage, documentation, model run times.")
final class KpisCommand implements Callable<Integer> {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final CliContext context;

    @Mixin
    ProjectOptions projectOptions;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "30d", description = "The window to measure, such as 7d or 30d (default: 30d); trends compare with the window before.")
    String window;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    String output;

    KpisCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        OutputFormat format = OutputFormat.parse(output);
        Duration length = DurationText.parseArgument(window, "--window");
        Project project = Workspace.load(projectOptions, context).project();
        KpiReport report;
        try (KpiService kpis = new KpiService(StateConnections.open(project.root(), project.settings().stateUrl()), project, Clock.systemUTC())) {
            report = kpis.report(length);
        }
        if (format == OutputFormat.JSON) {
            context.out().println(json(report));
            return 0;
        }
        context.out().println("KPIs of " + DAY.format(report.from()) + " to " + DAY.format(report.to()) + " UTC, against the " + window + " before");
        context.out().printf("%-28s  %-24s  %10s  %10s  %10s%n", "kpi", "for", "now", "before", "change");
        for (KpiValue value : report.values()) {
            context.out().printf("%-28s  %-24s  %10s  %10s  %10s%n", value.name(), value.dimension().orElse("project"), show(value.current(), value.unit()),
                    show(value.previous(), value.unit()), value.change().map(change -> (change >= 0 ? "+" : "") + show(Optional.of(change), value.unit())).orElse("-"));
        }
        return 0;
    }

    private static String show(Optional<Double> value, String unit) {
        if (value.isEmpty()) {
            return "-";
        }
        double number = value.get();
        return switch (unit) {
            case "ratio" -> String.format(Locale.ROOT, "%.1f%%", number * 100);
            case "count" -> String.format(Locale.ROOT, "%.0f", number);
            case "minutes" -> String.format(Locale.ROOT, "%.1fm", number);
            default -> String.format(Locale.ROOT, "%.2fs", number / 1000);
        };
    }

    private static String json(KpiReport report) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("from", report.from().toString());
        root.put("to", report.to().toString());
        root.put("window_seconds", report.window().toSeconds());
        ArrayNode values = root.putArray("kpis");
        for (KpiValue value : report.values()) {
            ObjectNode node = values.addObject();
            node.put("name", value.name());
            node.put("dimension", value.dimension().orElse(null));
            node.put("unit", value.unit());
            putNumber(node, "current", value.current());
            putNumber(node, "previous", value.previous());
            putNumber(node, "change", value.change());
        }
        return mapper.writeValueAsString(root);
    }

    private static void putNumber(ObjectNode node, String key, Optional<Double> value) {
        if (value.isPresent()) {
            node.put(key, value.get());
        } else {
            node.putNull(key);
        }
    }
}
