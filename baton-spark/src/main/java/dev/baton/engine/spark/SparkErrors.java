package dev.baton.engine.spark;

import java.sql.SQLException;
import org.apache.spark.QueryContext;
import org.apache.spark.SparkThrowable;

/**
 * Spark's errors as people read them: Spark's own message without the query plan it appends, and
 * the line of the statement the error points at ({@code LINE 3: ...}), as the PostgreSQL engine
 * reports it, so a model's error names the line of its compiled SQL.
 */
final class SparkErrors {
    private SparkErrors() {}

    static SQLException translate(Throwable error, String sql) {
        Throwable cause = error;
        while (!(cause instanceof SparkThrowable) && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        Throwable reported = cause instanceof SparkThrowable ? cause : error;
        StringBuilder message = new StringBuilder(firstLine(reported));
        int line = line(reported, sql);
        if (line > 0) {
            String[] lines = sql.split("\n", -1);
            if (line <= lines.length) {
                message.append("\nLINE ").append(line).append(": ").append(lines[line - 1]);
            }
        }
        String state = reported instanceof SparkThrowable throwable ? throwable.getSqlState() : null;
        return new SQLException(message.toString(), state, error);
    }

    /** Spark's message up to the first line break: what failed, without the plan or the SQL excerpt Spark adds. */
    static String firstLine(Throwable error) {
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            return error.getClass().getSimpleName();
        }
        message = message.strip();
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }

    /** The 1-based line of the statement the error points at, or 0 when Spark does not say. */
    private static int line(Throwable error, String sql) {
        if (error instanceof SparkThrowable throwable) {
            for (QueryContext context : throwable.getQueryContext()) {
                int start = context.startIndex();
                if (start >= 0 && start <= sql.length()) {
                    return 1 + (int) sql.substring(0, start).chars().filter(c -> c == '\n').count();
                }
            }
        }
        if (error instanceof org.apache.spark.sql.AnalysisException analysis && analysis.line().isDefined()) {
            return (Integer) analysis.line().get();
        }
        return 0;
    }
}
