package dev.baton.check;

import static java.util.Objects.requireNonNull;

import dev.baton.project.Node;
import dev.baton.project.Project;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One check of a relation, as an audit needs it: what it tests and how its failure count is judged.
 *
 * @param testId the test node's unique id
 * @param name the test's name, as progress lines show it
 * @param kind the generic check's name ({@code not_null}, …), or {@code singular}
 * @param column the column under test, if any
 * @param arguments the generic check's arguments
 * @param where the {@code where} config: only rows meeting it are checked
 * @param limit the {@code limit} config: the failure count is capped at it
 * @param parentRelation for {@code relationships}: the referenced relation as SQL text
 * @param sql for singular checks: the compiled query returning failing rows
 * @param severity {@code error} or {@code warn}
 * @param warnIf when failures warn
 * @param errorIf when failures fail (severity error only)
 * @param piiColumns columns of the checked relation whose values samples mask ({@code meta: {pii: true}})
 * @param storeFailures keep the failing rows in the audit schema ({@code store_failures: true})
 * @param location where the check is declared, for errors
 */
public record CheckSpec(String testId, String name, String kind, Optional<String> column, Map<String, Object> arguments, Optional<String> where,
        OptionalLong limit, Optional<String> parentRelation, String sql, String severity, Threshold warnIf, Threshold errorIf,
        java.util.Set<String> piiColumns, boolean storeFailures, java.util.Optional<dev.baton.api.SourceLocation> location) {
    public CheckSpec(String testId, String name, String kind, Optional<String> column, Map<String, Object> arguments, Optional<String> where,
            OptionalLong limit, Optional<String> parentRelation, String sql, String severity, Threshold warnIf, Threshold errorIf) {
        this(testId, name, kind, column, arguments, where, limit, parentRelation, sql, severity, warnIf, errorIf, java.util.Set.of(), false,
                Optional.empty());
    }

    public CheckSpec {
        requireNonNull(testId, "testId is null");
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(column, "column is null");
        arguments = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arguments));
        requireNonNull(where, "where is null");
        requireNonNull(limit, "limit is null");
        requireNonNull(parentRelation, "parentRelation is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(warnIf, "warnIf is null");
        requireNonNull(errorIf, "errorIf is null");
        piiColumns = java.util.Set.copyOf(piiColumns);
        requireNonNull(location, "location is null");
    }

    /** The check a test node declares, for judging its failure count only (no referenced relation). */
    public static CheckSpec judging(Node test) {
        return of(test, null);
    }

    /** The check a test node declares. */
    public static CheckSpec of(Node test, Project project) {
        Map<String, Object> other = test.config().other();
        Optional<String> where = Optional.ofNullable(other.get("where")).map(String::valueOf);
        OptionalLong limit = other.get("limit") == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(String.valueOf(other.get("limit")).trim()));
        String kind = test.testMetadata().orElse("singular");
        Optional<String> parent = Optional.empty();
        if (project != null && kind.equals("relationships") && test.dependsOn().size() > 1) {
            parent = project.node(test.dependsOn().get(1)).flatMap(Node::relation).map(CheckSpec::sql);
        }
        java.util.Set<String> pii = new java.util.HashSet<>();
        if (project != null) {
            test.attachedNode().flatMap(project::node).ifPresent(model -> model.columns().stream()
                    .filter(dev.baton.project.ColumnInfo::pii)
                    .forEach(column -> pii.add(column.name().toLowerCase(java.util.Locale.ROOT))));
        }
        return new CheckSpec(test.uniqueId(), test.name(), kind, test.columnName(), test.testArguments(), where, limit, parent, test.compiledSql(),
                test.config().severity(), threshold(other, "warn_if", test), threshold(other, "error_if", test), pii,
                Boolean.TRUE.equals(other.get("store_failures")) || "true".equals(String.valueOf(other.get("store_failures"))),
                Optional.of(test.location()));
    }

    private static Threshold threshold(Map<String, Object> config, String key, Node test) {
        Object text = config.get(key);
        return text == null ? Threshold.ANY : Threshold.parse(key, text, test.location());
    }

    /** The relation as SQL text, quoted as compiled SQL quotes it. */
    public static String sql(dev.baton.api.engine.Relation relation) {
        return quote(relation.schema()) + "." + quote(relation.identifier());
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Whether this check is judged against the metric history (its value comes from the aggregate scan). */
    public boolean anomaly() {
        return Anomalies.is(this);
    }

    /** Whether this is a generic check defined by the project ({@code {% test %}}), which runs alone. */
    public boolean custom() {
        return !kind.equals("singular") && !CheckSql.BUILT_IN.contains(kind);
    }

    /** The columns whose values this check reads, for metrics. */
    List<String> checkedColumns() {
        return switch (kind) {
            case "unique_combination_of_columns" -> CheckSql.combination(arguments);
            case "recency", "freshness_anomaly" -> List.of(String.valueOf(arguments.get("field")));
            default -> column.map(List::of).orElse(List.of());
        };
    }

    /** The outcome of {@code failures} failing rows (already capped by {@code limit}). */
    public CheckOutcome judge(long failures) {
        long counted = limit.isPresent() ? Math.min(failures, limit.getAsLong()) : failures;
        if (severity.equals("error") && errorIf.test(counted)) {
            return new CheckOutcome(testId, counted, CheckOutcome.Verdict.FAIL, "Got " + results(counted) + ", configured to fail if " + errorIf);
        }
        if (warnIf.test(counted)) {
            return new CheckOutcome(testId, counted, CheckOutcome.Verdict.WARN, "Got " + results(counted) + ", configured to warn if " + warnIf);
        }
        return new CheckOutcome(testId, counted, CheckOutcome.Verdict.PASS, "pass");
    }

    private static String results(long count) {
        return count + " result" + (count == 1 ? "" : "s");
    }
}
