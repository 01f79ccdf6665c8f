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
 */
public record AuditQuery(String shape, String sql, List<Output> outputs) {
    public AuditQuery {
        requireNonNull(shape, "shape is null");
        requireNonNull(sql, "sql is null");
        outputs = List.copyOf(outputs);
    }

    /** A result column: the failure count of a check, or a metric of a column (column empty for the relation). */
    public record Output(Optional<String> checkId, String column, String metric) {
        static Output failures(String checkId) {
            return new Output(Optional.of(checkId), "", "failures");
        }

        static Output metric(String column, String metric) {
            return new Output(Optional.empty(), column, metric);
        }
    }

    /** The checks whose failure counts this query computes. */
    public List<String> checkIds() {
        return outputs.stream().flatMap(output -> output.checkId().stream()).toList();
    }
}
