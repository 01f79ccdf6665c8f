package dev.baton.kpi;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.Suggestions;
import dev.baton.project.Project;
import dev.baton.schedule.DurationText;
import dev.baton.yaml.YamlFiles;
import dev.baton.yaml.YamlValue;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The target of each KPI, by tier: the defaults below, overridden by {@code kpi_targets:} of the
 * project file. A KPI value broken down by tier ({@code tier 0}) takes its tier's target, any other
 * value (the whole project, {@code tier 0-1}, a model) the KPI's {@code default}.
 *
 * <pre>
 * kpi_targets:
 *   pipeline_success_rate: 99.5%        # one target for every tier
 *   freshness_sla_adherence:
 *     tier_0: 99%
 *     tier_1: 97%
 *     default: 90%
 *   mean_time_to_resolve:
 *     tier_0: 2h                        # times: a duration, or minutes as a number
 * </pre>
 *
 * Ratios are written as {@code 98%} or {@code 0.98}; counts and times are upper limits, ratios lower ones.
 */
public record KpiTargets(Map<String, Map<String, Double>> targets) {
    /** The KPIs of {@link KpiService}, with whether more is better. */
    public static final Map<String, Boolean> HIGHER_IS_BETTER = known();
    private static final List<String> SCOPES = List.of("tier_0", "tier_1", "tier_2", "default");
    private static final Pattern NUMBER = Pattern.compile("(\\d+(?:\\.\\d+)?)(%?)");

    public KpiTargets {
        Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
        targets.forEach((kpi, byScope) -> copy.put(kpi, Map.copyOf(byScope)));
        targets = java.util.Collections.unmodifiableMap(copy);
    }

    private static Map<String, Boolean> known() {
        Map<String, Boolean> kpis = new LinkedHashMap<>();
        kpis.put("pipeline_success_rate", true);
        kpis.put("freshness_sla_adherence", true);
        kpis.put("incidents", false);
        kpis.put("mean_time_to_acknowledge", false);
        kpis.put("mean_time_to_resolve", false);
        kpis.put("check_coverage", true);
        kpis.put("documentation_completeness", true);
        kpis.put("model_run_duration", false);
        kpis.put("model_compute_time", false);
        return java.util.Collections.unmodifiableMap(kpis);
    }

    /** The defaults, from common practice: ratios 0 to 1, times in minutes. */
    public static KpiTargets defaults() {
        Map<String, Map<String, Double>> targets = new LinkedHashMap<>();
        targets.put("pipeline_success_rate", Map.of("default", 0.99));
        targets.put("freshness_sla_adherence", Map.of("tier_0", 0.98, "tier_1", 0.95, "tier_2", 0.90, "default", 0.90));
        targets.put("mean_time_to_acknowledge", Map.of("tier_0", 30.0, "tier_1", 60.0, "tier_2", 240.0, "default", 240.0));
        targets.put("mean_time_to_resolve", Map.of("tier_0", 240.0, "tier_1", 480.0, "tier_2", 1440.0, "default", 1440.0));
        targets.put("check_coverage", Map.of("default", 1.0));
        targets.put("documentation_completeness", Map.of("default", 0.9));
        return new KpiTargets(targets);
    }

    /**
     * The targets of a KPI value: its tier's, else the KPI's default; empty when the KPI has none.
     *
     * @param dimension the value's dimension, such as {@code tier 1}
     */
    public Optional<Double> target(String kpi, Optional<String> dimension) {
        Map<String, Double> byScope = targets.get(kpi);
        if (byScope == null) {
            return Optional.empty();
        }
        if (dimension.isPresent() && dimension.get().matches("tier [0-2]")) {
            Double tier = byScope.get("tier_" + dimension.get().substring(5));
            if (tier != null) {
                return Optional.of(tier);
            }
        }
        return Optional.ofNullable(byScope.get("default"));
    }

    /** Whether a value meets a target: at least it for ratios, at most it for counts and times. */
    public static boolean meets(String kpi, double value, double target) {
        return HIGHER_IS_BETTER.getOrDefault(kpi, true) ? value >= target - 1e-9 : value <= target + 1e-9;
    }

    /** The defaults with {@code kpi_targets:} of the project file over them; a mistake there fails with its file and line. */
    public static KpiTargets read(Project project) {
        String file = project.settings().file();
        try {
            return read(YamlFiles.parseMapping(Files.readString(project.root().resolve(file)), file));
        } catch (IOException e) {
            throw new BatonException(ErrorCode.PROJECT_NOT_FOUND, "cannot read " + file + ": " + e.getMessage());
        }
    }

    static KpiTargets read(YamlValue.Mapping root) {
        Map<String, Map<String, Double>> targets = new LinkedHashMap<>();
        defaults().targets().forEach((kpi, byScope) -> targets.put(kpi, new LinkedHashMap<>(byScope)));
        YamlValue.Mapping section = root.mapping("kpi_targets").orElse(null);
        if (section == null) {
            return new KpiTargets(targets);
        }
        for (Map.Entry<String, YamlValue> entry : section.entries().entrySet()) {
            String kpi = entry.getKey();
            if (!HIGHER_IS_BETTER.containsKey(kpi)) {
                throw new BatonException(ErrorCode.UNKNOWN_CONFIG_KEY, "unknown KPI '" + kpi + "' in kpi_targets"
                        + Suggestions.didYouMeanOr(kpi, HIGHER_IS_BETTER.keySet(), "use one of " + String.join(", ", HIGHER_IS_BETTER.keySet())),
                        section.keyLocation(kpi));
            }
            Map<String, Double> byScope = targets.computeIfAbsent(kpi, key -> new LinkedHashMap<>());
            if (entry.getValue() instanceof YamlValue.Mapping scopes) {
                for (Map.Entry<String, YamlValue> scope : scopes.entries().entrySet()) {
                    if (!SCOPES.contains(scope.getKey())) {
                        throw new BatonException(ErrorCode.UNKNOWN_CONFIG_KEY, "unknown tier '" + scope.getKey() + "' in kpi_targets." + kpi
                                + Suggestions.didYouMeanOr(scope.getKey(), SCOPES, "use tier_0, tier_1, tier_2 or default"), scopes.keyLocation(scope.getKey()));
                    }
                    byScope.put(scope.getKey(), value(kpi + "." + scope.getKey(), scope.getValue(), kpi));
                }
            } else {
                double value = value(kpi, entry.getValue(), kpi);
                byScope.clear();
                byScope.put("default", value);
            }
        }
        return new KpiTargets(targets);
    }

    private static double value(String key, YamlValue value, String kpi) {
        String unit = unit(kpi);
        String text = value instanceof YamlValue.Scalar scalar && !scalar.isNull() ? scalar.text().trim() : null;
        String example = switch (unit) {
            case "ratio" -> "a share such as 98% or 0.98";
            case "minutes" -> "a time such as 30m or 4h (or minutes as a number)";
            case "milliseconds" -> "a time such as 500ms or 2m";
            default -> "a whole number such as 3";
        };
        String problem = "kpi_targets." + key + " must be " + example + ", not '" + (text == null ? String.valueOf(value.toJava()) : text) + "'";
        if (text == null) {
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, problem, value.location());
        }
        Matcher number = NUMBER.matcher(text);
        if (number.matches()) {
            double amount = Double.parseDouble(number.group(1));
            boolean percent = !number.group(2).isEmpty();
            if (unit.equals("ratio")) {
                double ratio = percent ? amount / 100 : amount;
                if (ratio > 1) {
                    throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, problem + ": a share cannot be more than 100%", value.location());
                }
                return ratio;
            }
            if (!percent && (!unit.equals("count") || amount == Math.rint(amount))) {
                return amount;
            }
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, problem, value.location());
        }
        if (unit.equals("minutes") || unit.equals("milliseconds")) {
            java.time.Duration duration;
            try {
                duration = DurationText.parse(text, "kpi_targets." + key, value.location());
            } catch (BatonException e) {
                throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, problem, value.location());
            }
            return unit.equals("minutes") ? duration.toMillis() / 60_000.0 : duration.toMillis();
        }
        throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, problem, value.location());
    }

    /** The unit a KPI's values (and so its targets) are in, as {@link KpiValue#unit()} gives it. */
    public static String unit(String kpi) {
        requireNonNull(kpi, "kpi is null");
        return switch (kpi) {
            case "incidents" -> "count";
            case "mean_time_to_acknowledge", "mean_time_to_resolve" -> "minutes";
            case "model_run_duration", "model_compute_time" -> "milliseconds";
            default -> "ratio";
        };
    }
}
