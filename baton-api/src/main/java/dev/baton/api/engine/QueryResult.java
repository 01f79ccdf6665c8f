package dev.baton.api.engine;

import java.util.List;

/** Rows of a query, as strings for display (null stays null). */
public record QueryResult(List<String> columns, List<List<String>> rows, long totalRows) {
    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
