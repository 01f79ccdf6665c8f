package dev.baton.check;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Anomaly checks on the metric history: the value this build measured against the mean and
 * standard deviation of the last runs (z-score). Until enough runs are recorded a check is in
 * training and passes.
 */
final class Anomalies {
    static final List<String> KINDS = List.of("volume_anomaly", "column_anomaly", "freshness_anomaly");
    static final int DEFAULT_WINDOW = 14;
    static final int DEFAULT_MIN_TRAINING = 7;
    static final double DEFAULT_SENSITIVITY = 3;

    private Anomalies() {}

    static boolean is(CheckSpec check) {
        return KINDS.contains(check.kind());
    }

    /** The metric a check watches: the column it is stored under and its name. */
    static String[] metric(CheckSpec check) {
        return switch (check.kind()) {
            case "volume_anomaly" -> new String[] {"", "row_count"};
            case "freshness_anomaly" -> new String[] {String.valueOf(check.arguments().get("field")), "freshness_seconds"};
            default -> new String[] {check.column().orElseThrow(), String.valueOf(check.arguments().get("metric"))};
        };
    }

    /** The value of the watched metric in this build's measurements, or empty (a null mean of an empty relation). */
    static Optional<Double> current(CheckSpec check, Map<String, String> measured) {
        String[] metric = metric(check);
        if (metric[1].equals("null_rate")) {
            Optional<Double> nulls = number(measured.get(metric[0] + "|null_count"));
            Optional<Double> rows = number(measured.get("|row_count"));
            if (nulls.isEmpty() || rows.isEmpty() || rows.get() == 0) {
                return Optional.empty();
            }
            return Optional.of(nulls.get() / rows.get());
        }
        return number(measured.get(metric[0] + "|" + metric[1]));
    }

    static CheckOutcome judge(CheckSpec check, Optional<Double> value, MetricHistory history, String nodeId, Instant now) {
        String[] metric = metric(check);
        int window = integer(check, "training_window", DEFAULT_WINDOW);
        int minimum = Math.min(window, integer(check, "min_training", DEFAULT_MIN_TRAINING));
        double sensitivity = check.arguments().get("sensitivity") == null ? DEFAULT_SENSITIVITY
                : Double.parseDouble(String.valueOf(check.arguments().get("sensitivity")));
        String direction = String.valueOf(check.arguments().getOrDefault("direction", "both"));
        boolean seasonal = "day_of_week".equals(check.arguments().get("seasonality"));
        List<Double> training = new ArrayList<>();
        if (metric[1].equals("null_rate")) {
            List<MetricHistory.Point> nulls = history.points(nodeId, metric[0], "null_count", seasonal ? window * 7 : window);
            List<MetricHistory.Point> rows = history.points(nodeId, "", "row_count", (seasonal ? window * 7 : window) * 4);
            for (MetricHistory.Point point : nulls) {
                rows.stream().filter(row -> row.recordedAt().equals(point.recordedAt()) && row.value() > 0).findFirst()
                        .filter(row -> !seasonal || sameDay(point.recordedAt(), now))
                        .ifPresent(row -> training.add(point.value() / row.value()));
            }
        } else {
            for (MetricHistory.Point point : history.points(nodeId, metric[0], metric[1], seasonal ? window * 7 : window)) {
                if (!seasonal || sameDay(point.recordedAt(), now)) {
                    training.add(point.value());
                }
            }
        }
        List<Double> points = training.subList(0, Math.min(window, training.size()));
        String label = (metric[0].isEmpty() ? "" : metric[0] + " ") + metric[1];
        if (points.size() < minimum) {
            return new CheckOutcome(check.testId(), 0, CheckOutcome.Verdict.PASS, "training (" + points.size() + "/" + minimum + " points)");
        }
        if (value.isEmpty()) {
            return new CheckOutcome(check.testId(), 0, CheckOutcome.Verdict.PASS, label + " has no value in this build");
        }
        double mean = points.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double variance = points.stream().mapToDouble(point -> (point - mean) * (point - mean)).sum() / (points.size() - 1);
        double deviation = Math.sqrt(variance);
        double current = value.get();
        double z = deviation == 0 ? (current == mean ? 0 : Math.signum(current - mean) * Double.POSITIVE_INFINITY) : (current - mean) / deviation;
        boolean anomalous = switch (direction) {
            case "spike" -> z > sensitivity;
            case "drop" -> z < -sensitivity;
            default -> Math.abs(z) > sensitivity;
        };
        String runs = points.size() + "-run" + (seasonal ? " " + now.atZone(ZoneOffset.UTC).getDayOfWeek().toString().charAt(0)
                + now.atZone(ZoneOffset.UTC).getDayOfWeek().toString().substring(1).toLowerCase(Locale.ROOT) : "");
        String sigma = Double.isInfinite(z) ? "" : String.format(Locale.ROOT, "%.1fσ ", Math.abs(z));
        String explanation = label + " " + format(current) + " is " + sigma + (current < mean ? "below" : current > mean ? "above" : "at") + " the " + runs
                + " mean of " + format(mean) + " (±" + format(deviation) + ")";
        if (!anomalous) {
            return new CheckOutcome(check.testId(), 0, CheckOutcome.Verdict.PASS, "pass");
        }
        CheckOutcome.Verdict verdict = check.severity().equals("error") ? CheckOutcome.Verdict.FAIL : CheckOutcome.Verdict.WARN;
        return new CheckOutcome(check.testId(), 1, verdict, explanation);
    }

    private static boolean sameDay(Instant point, Instant now) {
        DayOfWeek day = point.atZone(ZoneOffset.UTC).getDayOfWeek();
        return day == now.atZone(ZoneOffset.UTC).getDayOfWeek();
    }

    /** {@code 10,392} for whole numbers, otherwise up to four decimals ({@code 0.0125}). */
    static String format(double value) {
        if (Math.abs(value - Math.rint(value)) < 1e-9 || Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static int integer(CheckSpec check, String argument, int fallback) {
        Object value = check.arguments().get(argument);
        return value == null ? fallback : Integer.parseInt(String.valueOf(value).trim());
    }

    private static Optional<Double> number(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
