package dev.baton.project;

import static dev.baton.api.ErrorCode.INVALID_CONFIG_VALUE;
import static dev.baton.api.ErrorCode.UNKNOWN_TEST;

import dev.baton.api.BatonException;
import dev.baton.api.Suggestions;
import dev.baton.project.Properties.TestDeclaration;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dbt's built-in generic tests, compiled to queries that return the failing rows, and dbt's
 * rules for naming them.
 */
final class GenericTests {
    static final List<String> BUILT_IN = dev.baton.check.CheckSql.BUILT_IN;
    /** Checks of a whole relation: declared under the model's tests:, they need no column. */
    static final List<String> MODEL_LEVEL = List.of("expression_is_true", "row_count", "not_empty", "unique_combination_of_columns", "recency",
            "volume_anomaly", "freshness_anomaly");
    private static final Pattern REF = Pattern.compile("^\\s*ref\\(\\s*['\"]([^'\"]+)['\"]\\s*(?:,\\s*['\"]([^'\"]+)['\"]\\s*)?\\)\\s*$");
    private static final Pattern NOT_IDENTIFIER = Pattern.compile("[^0-9a-zA-Z_]+");
    private static final Pattern SOURCE = Pattern.compile("^\\s*source\\(\\s*['\"]([^'\"]+)['\"]\\s*,\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*$");

    private GenericTests() {}

    /** What a {@code relationships} test's {@code to:} argument points at. */
    record Reference(boolean isSource, String first, Optional<String> second) {}

    static void checkKnown(TestDeclaration test, java.util.Set<String> custom) {
        if (!BUILT_IN.contains(test.testName())) {
            List<String> known = new ArrayList<>(BUILT_IN);
            custom.stream().sorted().forEach(known::add);
            throw new BatonException(UNKNOWN_TEST, "unknown test '" + test.testName() + "'"
                    + Suggestions.didYouMeanOr(test.testName(), known, "the generic tests are " + String.join(", ", known)
                    + "; define others with {% test " + test.testName() + "(model, column_name) %} in macros/ or tests/generic/"), test.location());
        }
        if (test.column().isEmpty() && test.arguments().get("column_name") == null && !MODEL_LEVEL.contains(test.testName())) {
            throw new BatonException(INVALID_CONFIG_VALUE, "test '" + test.testName() + "' needs a column; declare it under the column's tests:, "
                    + "or give column_name", test.location());
        }
        switch (test.testName()) {
            case "accepted_values" -> {
                if (!(test.arguments().get("values") instanceof List<?>)) {
                    throw new BatonException(INVALID_CONFIG_VALUE, "test 'accepted_values' needs 'values: [...]', the list of allowed values", test.location());
                }
            }
            case "relationships" -> {
                if (test.arguments().get("to") == null || test.arguments().get("field") == null) {
                    throw new BatonException(INVALID_CONFIG_VALUE, "test 'relationships' needs 'to: ref(\"model\")' and 'field: column'", test.location());
                }
                reference(test);
            }
            case "expression_is_true" -> required(test, "expression", "the SQL condition every row must meet, such as 'amount >= 0'");
            case "accepted_range" -> {
                if (test.arguments().get("min_value") == null && test.arguments().get("max_value") == null) {
                    throw new BatonException(INVALID_CONFIG_VALUE, "test 'accepted_range' needs 'min_value', 'max_value' or both", test.location());
                }
            }
            case "row_count" -> {
                if (test.arguments().get("min_value") == null && test.arguments().get("max_value") == null) {
                    throw new BatonException(INVALID_CONFIG_VALUE, "test 'row_count' needs 'min_value', 'max_value' or both", test.location());
                }
            }
            case "unique_combination_of_columns" -> {
                if (!(test.arguments().get("combination_of_columns") instanceof List<?> list) || list.isEmpty()) {
                    throw new BatonException(INVALID_CONFIG_VALUE, "test 'unique_combination_of_columns' needs 'combination_of_columns: [a, b]'",
                            test.location());
                }
            }
            case "recency" -> {
                required(test, "field", "the timestamp column whose latest value must be recent");
                required(test, "datepart", "the unit of 'interval': minute, hour or day");
                required(test, "interval", "how many dateparts old the latest row may be");
                String datepart = String.valueOf(test.arguments().get("datepart"));
                if (!List.of("second", "minute", "hour", "day", "week", "month", "year").contains(datepart)) {
                    throw new BatonException(INVALID_CONFIG_VALUE, "'datepart' of test 'recency' must be second, minute, hour, day, week, month or year, not '"
                            + datepart + "'", test.location());
                }
                integer(test, "interval");
            }
            case "volume_anomaly" -> anomalyArguments(test);
            case "column_anomaly" -> {
                required(test, "metric", "what to watch: null_rate, distinct_count, mean, min or max");
                oneOf(test, "metric", List.of("null_rate", "distinct_count", "mean", "min", "max"));
                anomalyArguments(test);
            }
            case "freshness_anomaly" -> {
                required(test, "field", "the timestamp column whose newest value's age is watched");
                anomalyArguments(test);
            }
            default -> {
            }
        }
    }

    private static void anomalyArguments(TestDeclaration test) {
        if (test.arguments().get("training_window") != null && integer(test, "training_window") < 2) {
            throw new BatonException(INVALID_CONFIG_VALUE, "'training_window' of test '" + test.testName() + "' must be at least 2", test.location());
        }
        if (test.arguments().get("min_training") != null && integer(test, "min_training") < 2) {
            throw new BatonException(INVALID_CONFIG_VALUE, "'min_training' of test '" + test.testName() + "' must be at least 2", test.location());
        }
        Object sensitivity = test.arguments().get("sensitivity");
        if (sensitivity != null) {
            try {
                if (Double.parseDouble(String.valueOf(sensitivity)) <= 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new BatonException(INVALID_CONFIG_VALUE, "'sensitivity' of test '" + test.testName() + "' must be a positive number of standard "
                        + "deviations, such as 3, not '" + sensitivity + "'", test.location());
            }
        }
        if (test.arguments().get("direction") != null) {
            oneOf(test, "direction", List.of("both", "spike", "drop"));
        }
        if (test.arguments().get("seasonality") != null) {
            oneOf(test, "seasonality", List.of("day_of_week"));
        }
        for (String argument : test.arguments().keySet()) {
            List<String> known = List.of("metric", "field", "training_window", "min_training", "sensitivity", "direction", "seasonality", "column_name");
            if (!known.contains(argument)) {
                throw new BatonException(INVALID_CONFIG_VALUE, "test '" + test.testName() + "' has no argument '" + argument + "'"
                        + Suggestions.didYouMeanOr(argument, known, "it takes " + String.join(", ", known)), test.location());
            }
        }
    }

    private static void oneOf(TestDeclaration test, String argument, List<String> allowed) {
        String value = String.valueOf(test.arguments().get(argument));
        if (!allowed.contains(value)) {
            throw new BatonException(INVALID_CONFIG_VALUE, "'" + argument + "' of test '" + test.testName() + "' must be " + String.join(", ", allowed)
                    + ", not '" + value + "'" + Suggestions.didYouMean(value, allowed), test.location());
        }
    }

    /** A custom generic test's declaration must give every parameter without a default, and no other. */
    static void checkCustom(TestDeclaration test, CustomTests.Definition definition) {
        for (String argument : test.arguments().keySet()) {
            if (!argument.equals("column_name") && !definition.arguments().contains(argument)) {
                throw new BatonException(INVALID_CONFIG_VALUE, "test '" + test.testName() + "' has no argument '" + argument + "'"
                        + Suggestions.didYouMeanOr(argument, definition.arguments(), definition.arguments().isEmpty()
                                ? "it takes none (defined at " + definition.location() + ")"
                                : "it takes " + String.join(", ", definition.arguments()) + " (defined at " + definition.location() + ")"),
                        test.location());
            }
        }
        for (String parameter : definition.required()) {
            boolean given = switch (parameter) {
                case "model" -> true;
                case "column_name" -> optionalColumn(test).isPresent();
                default -> test.arguments().containsKey(parameter);
            };
            if (!given) {
                throw new BatonException(INVALID_CONFIG_VALUE, "test '" + test.testName() + "' needs " + (parameter.equals("column_name")
                        ? "a column; declare it under the column's tests:, or give column_name"
                        : "'" + parameter + "' (defined at " + definition.location() + ")"), test.location());
            }
        }
    }

    private static void required(TestDeclaration test, String argument, String meaning) {
        if (test.arguments().get(argument) == null) {
            throw new BatonException(INVALID_CONFIG_VALUE, "test '" + test.testName() + "' needs '" + argument + "': " + meaning, test.location());
        }
    }

    private static long integer(TestDeclaration test, String argument) {
        try {
            return Long.parseLong(String.valueOf(test.arguments().get(argument)).trim());
        } catch (NumberFormatException e) {
            throw new BatonException(INVALID_CONFIG_VALUE, "'" + argument + "' of test '" + test.testName() + "' must be a whole number, not '"
                    + test.arguments().get(argument) + "'", test.location());
        }
    }

    /** The column under test, or empty for a check of the whole relation. */
    static Optional<String> optionalColumn(TestDeclaration test) {
        return test.column().or(() -> Optional.ofNullable(test.arguments().get("column_name")).map(String::valueOf));
    }

    static String column(TestDeclaration test) {
        return test.column().orElseGet(() -> String.valueOf(test.arguments().get("column_name")));
    }

    static Reference reference(TestDeclaration test) {
        String to = String.valueOf(test.arguments().get("to"));
        Matcher ref = REF.matcher(to);
        if (ref.matches()) {
            return ref.group(2) == null
                    ? new Reference(false, ref.group(1), Optional.empty())
                    : new Reference(false, ref.group(2), Optional.of(ref.group(1)));
        }
        Matcher source = SOURCE.matcher(to);
        if (source.matches()) {
            return new Reference(true, source.group(1), Optional.of(source.group(2)));
        }
        throw new BatonException(INVALID_CONFIG_VALUE, "'to' of test 'relationships' must be ref('model') or source('source', 'table'), not '" + to + "'",
                test.location());
    }

    /** The query returning failing rows; {@code relation} is the tested relation as SQL text. */
    static String sql(TestDeclaration test, String relation, Optional<String> toRelation, Optional<String> where) {
        String column = column(test);
        String model = where.map(condition -> "(select * from " + relation + " where " + condition + ") dbt_subquery").orElse(relation);
        return switch (test.testName()) {
            case "not_null" -> "select " + column + "\nfrom " + model + "\nwhere " + column + " is null";
            case "unique" -> "select\n    " + column + " as unique_field,\n    count(*) as n_records\nfrom " + model
                    + "\nwhere " + column + " is not null\ngroup by " + column + "\nhaving count(*) > 1";
            case "accepted_values" -> acceptedValues(test, column, model);
            case "relationships" -> "with child as (\n    select " + column + " as from_field\n    from " + model + "\n    where " + column
                    + " is not null\n),\nparent as (\n    select " + test.arguments().get("field") + " as to_field\n    from " + toRelation.orElseThrow()
                    + "\n)\nselect from_field\nfrom child\nleft join parent on child.from_field = parent.to_field\nwhere parent.to_field is null";
            default -> dev.baton.check.CheckSql.failingRows(test.testName(), optionalColumn(test), test.arguments(), model);
        };
    }

    private static String acceptedValues(TestDeclaration test, String column, String model) {
        boolean quote = !Boolean.FALSE.equals(test.arguments().get("quote"));
        List<String> values = new ArrayList<>();
        for (Object value : (List<?>) test.arguments().get("values")) {
            values.add(quote ? "'" + String.valueOf(value).replace("'", "''") + "'" : String.valueOf(value));
        }
        return "with all_values as (\n    select " + column + " as value_field, count(*) as n_records\n    from " + model + "\n    group by " + column
                + "\n)\nselect *\nfrom all_values\nwhere value_field not in (" + String.join(", ", values) + ")";
    }

    /**
     * dbt's name for a generic test: the test, the tested node and every argument, cleaned.
     * {@code prefix} is the node part, such as {@code orders} or {@code source_raw_orders}
     * (for sources dbt writes {@code source_not_null_raw_orders_id}).
     */
    static String name(TestDeclaration test, String nodePart, boolean isSource) {
        Map<String, Object> arguments = new TreeMap<>(test.arguments());
        optionalColumn(test).ifPresent(column -> arguments.put("column_name", column));
        List<String> flat = new ArrayList<>();
        arguments.forEach((key, value) -> {
            if (key.equals("model")) {
                return;
            }
            if (value instanceof Map<?, ?> map) {
                map.values().forEach(part -> flat.add(String.valueOf(part)));
            } else if (value instanceof List<?> list) {
                list.forEach(part -> flat.add(String.valueOf(part)));
            } else {
                flat.add(String.valueOf(value));
            }
        });
        List<String> clean = new ArrayList<>();
        flat.forEach(part -> clean.add(NOT_IDENTIFIER.matcher(part).replaceAll("_")));
        String identifier = (isSource ? "source_" : "") + test.testName() + "_" + nodePart;
        return clean.isEmpty() ? identifier : identifier + "_" + String.join("__", clean);
    }

    /** dbt's short form for names of 64 characters or more: 30 characters and an MD5. */
    static String shortName(String fullName, String testName, String nodePart, boolean isSource) {
        if (fullName.length() < 64) {
            return fullName;
        }
        String identifier = (isSource ? "source_" : "") + testName + "_" + nodePart;
        return identifier.substring(0, Math.min(30, identifier.length())) + "_" + md5(fullName);
    }

    private static String md5(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return String.format("%032x", new BigInteger(1, digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
