package dev.baton.server.ui;

import static dev.baton.server.ui.Html.esc;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.kpi.KpiReport;
import dev.baton.kpi.KpiTargets;
import dev.baton.kpi.KpiValue;
import dev.baton.operations.Operations;
import dev.baton.project.Node;
import dev.baton.server.catalog.Catalog;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The KPI dashboard: each KPI of the platform's history as a bar chart of this window against the
 * one before, with its target by tier ({@code kpi_targets:} of the project file, or the defaults).
 */
final class KpiPage {
    static final List<String> WINDOWS = List.of("7d", "30d", "90d");
    private static final int MODELS_SHOWN = 12;
    private static final Map<String, String[]> TITLES = titles();

    private final Supplier<Catalog> catalog;
    private final Optional<Operations> operations;

    KpiPage(Supplier<Catalog> catalog, Optional<Operations> operations) {
        this.catalog = catalog;
        this.operations = operations;
    }

    private static Map<String, String[]> titles() {
        Map<String, String[]> titles = new LinkedHashMap<>();
        titles.put("pipeline_success_rate", new String[] {"Pipeline success rate", "Builds that succeeded at their first attempt."});
        titles.put("freshness_sla_adherence", new String[] {"Freshness SLA adherence", "Freshness SLA evaluations that were not breaches, by tier."});
        titles.put("incidents", new String[] {"Incidents", "Incidents opened in the window, by tier."});
        titles.put("mean_time_to_acknowledge", new String[] {"Mean time to acknowledge", "Of the incidents opened in the window, by tier."});
        titles.put("mean_time_to_resolve", new String[] {"Mean time to resolve", "Of the incidents opened in the window, by tier."});
        titles.put("check_coverage", new String[] {"Check coverage", "Tier-0/1 models with at least one check that ran in the window."});
        titles.put("documentation_completeness", new String[] {"Documentation completeness",
                "Of tier-0/1 models: description, owner, tier, SLA and column docs present (the project as it is now)."});
        titles.put("model_run_duration", new String[] {"Run duration per model", "Mean duration of a successful build, slowest models first."});
        titles.put("model_compute_time", new String[] {"Compute time per model", "Total build time in the window, the cost unit measured locally."});
        return titles;
    }

    void render(Context context, Session session) {
        String window = Optional.ofNullable(context.queryParam("window")).filter(text -> !text.isBlank()).orElse("30d");
        if (!WINDOWS.contains(window)) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "unknown window '" + GraphPage.shorten(window, 40) + "'; use 7d, 30d or 90d");
        }
        StringBuilder body = new StringBuilder("<h1>KPIs</h1><form class=\"filter\" method=\"get\" action=\"/kpis\" id=\"window-form\">")
                .append("<label for=\"window\">Window</label><select id=\"window\" name=\"window\" onchange=\"this.form.submit()\">");
        for (String value : WINDOWS) {
            body.append("<option value=\"").append(value).append('"').append(value.equals(window) ? " selected" : "").append(">last ").append(value).append("</option>");
        }
        body.append("</select><button type=\"submit\">Show</button></form>");
        if (operations.isEmpty()) {
            body.append("<p class=\"empty\">This server does not compute KPIs: it was started without the scheduler and monitors.</p>");
            WebUi.html(context, 200, Layout.page(session, "/kpis", "KPIs", body.toString()));
            return;
        }
        Catalog current = catalog.get();
        KpiTargets targets = KpiTargets.read(current.project());
        KpiReport report = operations.get().kpis().report(parse(window));
        body.append("<p class=\"summary\" id=\"kpi-window\">").append(Html.time(report.from())).append(" to ").append(Html.time(report.to()))
                .append(", against the ").append(window).append(" before. Targets from <code>kpi_targets:</code> in ")
                .append(esc(current.project().settings().file())).append(" or the defaults.</p>");
        body.append("<p class=\"legend small\"><span class=\"swatch current\"></span> this window <span class=\"swatch previous\"></span> window before ")
                .append("<span class=\"swatch target\"></span> target · ✓ meets its target, ✗ misses it</p>");
        body.append("<div class=\"kpi-grid\">");
        for (Map.Entry<String, String[]> kpi : TITLES.entrySet()) {
            List<KpiValue> values = new ArrayList<>();
            for (KpiValue value : report.values()) {
                if (value.name().equals(kpi.getKey())) {
                    values.add(value);
                }
            }
            if (kpi.getKey().startsWith("model_")) {
                values.sort(Comparator.comparing((KpiValue value) -> value.current().orElse(-1.0)).reversed());
            }
            body.append(card(current, kpi.getKey(), kpi.getValue(), values, targets));
        }
        body.append("</div>");
        WebUi.html(context, 200, Layout.page(session, "/kpis", "KPIs", body.toString()));
    }

    private static Duration parse(String window) {
        return Duration.ofDays(Long.parseLong(window.substring(0, window.length() - 1)));
    }

    private static String card(Catalog catalog, String kpi, String[] title, List<KpiValue> values, KpiTargets targets) {
        StringBuilder html = new StringBuilder("<section class=\"kpi-card\" data-kpi=\"").append(kpi).append("\"><h2>").append(esc(title[0]))
                .append("</h2><p class=\"muted small\">").append(esc(title[1])).append("</p>");
        if (values.isEmpty()) {
            return html.append("<p class=\"empty\">Nothing to measure in this window.</p></section>").toString();
        }
        List<KpiValue> shown = values.subList(0, Math.min(MODELS_SHOWN, values.size()));
        html.append(chart(catalog, kpi, shown, targets));
        html.append("<table class=\"kpi-values\"><thead><tr><th>").append(kpi.startsWith("model_") ? "Model" : "Scope").append("</th><th>Now</th><th>Before</th>")
                .append("<th>Trend</th><th>Target</th></tr></thead><tbody>");
        for (KpiValue value : shown) {
            String dimension = value.dimension().orElse("");
            Optional<Double> target = targets.target(kpi, value.dimension());
            html.append("<tr class=\"kpi-value\" data-dimension=\"").append(esc(dimension)).append("\"><td>").append(esc(label(catalog, value)))
                    .append("</td><td class=\"num kpi-current\" data-value=\"").append(value.current().map(String::valueOf).orElse(""))
                    .append("\">").append(value.current().map(number -> format(value.unit(), number)).orElse("—")).append("</td><td class=\"num kpi-previous\" data-value=\"")
                    .append(value.previous().map(String::valueOf).orElse("")).append("\">").append(value.previous().map(number -> format(value.unit(), number)).orElse("—"))
                    .append("</td><td class=\"kpi-trend\">").append(trend(kpi, value)).append("</td><td class=\"kpi-target\">").append(target(kpi, value, target))
                    .append("</td></tr>");
        }
        html.append("</tbody></table>");
        if (values.size() > shown.size()) {
            html.append("<p class=\"muted small\">").append(values.size() - shown.size()).append(" more not shown.</p>");
        }
        return html.append("</section>").toString();
    }

    /** Horizontal bars: this window's value, the window before as a thin bar under it, the target as a dashed line. */
    private static String chart(Catalog catalog, String kpi, List<KpiValue> values, KpiTargets targets) {
        String unit = values.get(0).unit();
        double max = 1;
        if (!unit.equals("ratio")) {
            max = 0;
            for (KpiValue value : values) {
                max = Math.max(max, Math.max(value.current().orElse(0.0), value.previous().orElse(0.0)));
                max = Math.max(max, targets.target(kpi, value.dimension()).orElse(0.0));
            }
            max = max <= 0 ? 1 : max * 1.1;
        }
        final double top = max;
        int labelWidth = 150;
        int width = 460;
        int barArea = width - labelWidth - 70;
        int rowHeight = 30;
        int height = values.size() * rowHeight + 8;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"kpi-chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">", width, height, width, height, esc(kpi)));
        for (int i = 0; i < values.size(); i++) {
            KpiValue value = values.get(i);
            double y = 4 + i * rowHeight;
            Optional<Double> target = targets.target(kpi, value.dimension());
            String verdict = target.isEmpty() || value.current().isEmpty() ? "no-target"
                    : KpiTargets.meets(kpi, value.current().get(), target.get()) ? "meets" : "misses";
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"kpi-label\">%s</text>", labelWidth - 6, y + 14,
                    esc(GraphPage.shorten(label(catalog, value), 22))));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"14\" class=\"kpi-track\"/>", labelWidth, y + 3, barArea));
            value.current().ifPresent(number -> svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"14\" class=\"kpi-bar %s\"/>",
                    labelWidth, y + 3, scale(number, top, barArea),
                    verdict)));
            value.previous().ifPresent(number -> svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"4\" class=\"kpi-previous-bar\"/>",
                    labelWidth, y + 19, scale(number, top, barArea))));
            target.ifPresent(limit -> svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"kpi-target-line\"/>",
                    labelWidth + scale(limit, top, barArea), labelWidth + scale(limit, top, barArea),
                    y, y + 24)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"kpi-number\">%s</text>", labelWidth + barArea + 6, y + 14,
                    esc(value.current().map(number -> format(unit, number)).orElse("—"))));
        }
        return svg.append("</svg>").toString();
    }

    private static double scale(double value, double max, int barArea) {
        return Math.max(0, Math.min(barArea, value / max * barArea));
    }

    private static String label(Catalog catalog, KpiValue value) {
        if (value.dimension().isEmpty()) {
            return "all builds";
        }
        String dimension = value.dimension().get();
        Node node = catalog.project().nodes().get(dimension);
        return node == null ? dimension : node.name();
    }

    private static String trend(String kpi, KpiValue value) {
        if (value.change().isEmpty()) {
            return "<span class=\"muted\">no earlier figure</span>";
        }
        double change = value.change().get();
        if (Math.abs(change) < 1e-9) {
            return "<span class=\"trend trend-flat\">→ unchanged</span>";
        }
        boolean better = KpiTargets.HIGHER_IS_BETTER.getOrDefault(kpi, true) == change > 0;
        String amount = value.unit().equals("ratio") ? String.format(Locale.ROOT, "%+.1f pt", change * 100) : (change > 0 ? "+" : "−")
                + format(value.unit(), Math.abs(change));
        return "<span class=\"trend " + (better ? "trend-better" : "trend-worse") + "\">" + (change > 0 ? "▲ " : "▼ ") + esc(amount) + " "
                + (better ? "better" : "worse") + "</span>";
    }

    private static String target(String kpi, KpiValue value, Optional<Double> target) {
        if (target.isEmpty()) {
            return "<span class=\"muted\">none</span>";
        }
        String limit = (KpiTargets.HIGHER_IS_BETTER.getOrDefault(kpi, true) ? "≥ " : "≤ ") + format(value.unit(), target.get());
        if (value.current().isEmpty()) {
            return esc(limit);
        }
        boolean meets = KpiTargets.meets(kpi, value.current().get(), target.get());
        return esc(limit) + " " + (meets ? "<span class=\"status status-ok\" data-status=\"meets\">✓ meets</span>"
                : "<span class=\"status status-bad\" data-status=\"misses\">✗ misses</span>");
    }

    /** A KPI figure for people: ratios as percentages, minutes, counts, milliseconds as durations. */
    static String format(String unit, double value) {
        switch (unit) {
            case "ratio":
                return String.format(Locale.ROOT, "%.1f %%", value * 100);
            case "minutes":
                return String.format(Locale.ROOT, "%.1f min", value);
            case "count":
                return String.format(Locale.ROOT, "%.0f", value);
            case "milliseconds":
                return Html.duration(Duration.ofMillis(Math.round(value)));
            default:
                return String.format(Locale.ROOT, "%.2f", value);
        }
    }
}
