package dev.baton.api.ingest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Files the warehouse reads itself, in parallel and without a detour through Baton, for an
 * {@link Extraction} whose source is files.
 *
 * @param files the files to read (may be empty: nothing new to load)
 * @param format {@code csv}, {@code json} or {@code parquet}
 * @param readerOptions format options: for CSV {@code delimiter}, {@code quote}, {@code header};
 *     for JSON {@code json_format} ({@code newline_delimited}, {@code array}, {@code auto}) and
 *     {@code nested} ({@code struct}, {@code json} or {@code flatten}), and {@code check_records}
 *     ({@code true}: check every record first and set bad lines aside, as for files users wrote)
 * @param columnTypes declared types of some or all columns (for JSON: cast after reading); the others are inferred
 * @param maxBadRows how many bad rows may be set aside before the load fails (CSV)
 * @param maxBadPercent the same as a share of the rows read, when given as a percentage
 * @param fileColumn a column to add holding each row's file (its path relative to the project), for
 *     loads that must find a file's rows again; empty for none
 * @param replacedFiles files among {@code files} whose rows an earlier load added: their earlier rows
 *     (found by {@code fileColumn}) are replaced in the same commit
 */
public record FileScan(List<Path> files, String format, Map<String, String> readerOptions, Map<String, String> columnTypes, OptionalLong maxBadRows,
        OptionalDouble maxBadPercent, Optional<String> fileColumn, List<Path> replacedFiles) {
    public FileScan {
        files = List.copyOf(files);
        requireNonNull(fileColumn, "fileColumn is null");
        replacedFiles = List.copyOf(replacedFiles);
        if (!files.containsAll(replacedFiles)) {
            throw new IllegalArgumentException("replaced files must be among the files read: " + replacedFiles);
        }
        if (!replacedFiles.isEmpty() && fileColumn.isEmpty()) {
            throw new IllegalArgumentException("replacing files needs a file column");
        }
        requireNonNull(format, "format is null");
        readerOptions = Collections.unmodifiableMap(new LinkedHashMap<>(readerOptions));
        columnTypes = Collections.unmodifiableMap(new LinkedHashMap<>(columnTypes));
        requireNonNull(maxBadRows, "maxBadRows is null");
        requireNonNull(maxBadPercent, "maxBadPercent is null");
    }

    /** Files read whole, with no file column and nothing replaced. */
    public FileScan(List<Path> files, String format, Map<String, String> readerOptions, Map<String, String> columnTypes, OptionalLong maxBadRows,
            OptionalDouble maxBadPercent) {
        this(files, format, readerOptions, columnTypes, maxBadRows, maxBadPercent, Optional.empty(), List.of());
    }
}
