package dev.baton.check;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One query of an audit and what each of its result columns means.
 *
 * @param shape {@code aggregate}, {@code unique (id)}, {@code relationships (customer_id)} or {@code single}
 * @param sql the query; it returns one row
 * @param outputs one entry per result column, in order
 * @param probedCheckIds uniqueness checks this query decides when it finds no duplicate (their
 *     exact count then needs a grouped query of their own)
 */
public record AuditQuery(String shape, String sql, List<Output> outputs, List<String> probedCheckIds) {
    public AuditQuery {
        requireNonNull(shape, "shape is null");
        requireNonNull(sql, "sql is null");
        outputs = List.copyOf(outputs);
        probedCheckIds = List.copyOf(probedCheckIds);
    }

    public AuditQuery(String shape, String sql, List<Output> outputs) {
        this(shape, sql, outputs, List.of());
    }

    /** A result column: the failure count of a check, or a metric of a column (column empty for the relation). */
    public record Output(Optional<String> checkId, String column, String metric) {
        static Output failures(String checkId) {
            return new Output(Optional.of(checkId), "", "failures");
        }

        static Output metric(String column, String metric) {
            return new Output(Optional.empty(), column, metric);
        }

        /** Part of a uniqueness probe of a group of checks: its column's distinct or non-null values, type, minimum or maximum. */
        static Output probe(String groupKey, String part) {
            return new Output(Optional.empty(), groupKey, PROBE + part);
        }

        /** Whether this column is part of a uniqueness probe rather than a metric. */
        public boolean probe() {
            return checkId.isEmpty() && metric.startsWith(PROBE);
        }
    }

    /** Metric names of probe outputs start with this. */
    static final String PROBE = "probe:";

    /** The checks whose failure counts this query computes. */
    public List<String> checkIds() {
        List<String> ids = new java.util.ArrayList<>(outputs.stream().flatMap(output -> output.checkId().stream()).toList());
        ids.addAll(probedCheckIds);
        return ids;
    }
}
