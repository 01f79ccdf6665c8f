package dev.baton.ingest;

import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.api.engine.Relation;
import dev.baton.api.ingest.ConnectorOptions;
import dev.baton.api.ingest.FetchedFile;
import dev.baton.api.ingest.FileScan;
import dev.baton.ingest.json.JsonLines;
import dev.baton.project.Node;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * Stages files with the warehouse's own readers (CSV, JSON, Parquet; gzip by extension). CSV rows
 * that do not parse or do not fit their column's type are set aside in {@code
 * <table>__quarantine} with their file, line, raw text and reason, as long as there are no more
 * than the source allows.
 */
final class FileStaging {
    static final String QUARANTINE_SUFFIX = "__quarantine";

    private final Engine engine;
    private final EngineSession session;
    private final Node node;
    private final ConnectorOptions options;
    private final FileScan scan;
    private final String projectPrefix;

    FileStaging(Engine engine, EngineSession session, Path projectDir, Node node, ConnectorOptions options, FileScan scan) {
        this.projectPrefix = projectDir.toAbsolutePath().normalize() + java.io.File.separator;
        this.engine = engine;
        this.session = session;
        this.node = node;
        this.options = options;
        this.scan = scan;
    }

    /**
     * @param rowsRead rows the reader saw: loaded plus quarantined
     * @param replaceStatements what the load's transaction must run before it adds the rows: removing
     *     the earlier rows (and set-aside rows) of the files read again
     * @param commitStatements what the load's transaction must also run: keeping the quarantined rows
     */
    record Staged(long rowsRead, long rowsLoaded, long rowsQuarantined, List<String> columns, List<String> replaceStatements,
            List<String> commitStatements) {}

    Staged stage(Relation staging, String loadId) throws SQLException {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String rejects = "baton_rejects_" + suffix;
        String scans = "baton_reject_scans_" + suffix;
        boolean csv = scan.format().equals("csv");
        boolean checked = scan.format().equals("json") && "true".equals(scan.readerOptions().get("check_records"));
        Path checkedFile = null;
        JsonLines.Result checkedRecords = null;
        List<String> replace = replaceStatements();
        if (checked) {
            checkedFile = temporaryFile();
            checkedRecords = checkJson(checkedFile);
        }
        String reader = switch (scan.format()) {
            case "csv" -> csvReader(rejects, scans);
            case "json" -> checked ? "read_json(" + LoadLog.literal(checkedFile.toString()) + ", format = 'newline_delimited'"
                    + ("json".equals(scan.readerOptions().get("nested")) ? ", maximum_depth = 1" : "") + ")" : jsonReader();
            default -> "read_parquet(" + fileList() + fileNameOption() + ")";
        };
        try {
            if (checked && checkedRecords.records() == 0) {
                Relation target = node.relation().orElseThrow();
                session.execute("CREATE TABLE " + engine.render(staging) + " AS SELECT " + (session.relationType(target).isPresent() ? "* FROM "
                        + engine.render(target) : "NULL::VARCHAR AS " + engine.quote("value")) + " WHERE false");
            } else {
                session.execute("CREATE TABLE " + engine.render(staging) + " AS SELECT *" + replacements(csv, checked) + " FROM " + reader);
            }
        } catch (SQLException e) {
            throw options.failure(ErrorCode.LOAD_FAILED, "cannot read the files of source " + SourceLoad.sourceName(node) + ": "
                    + firstLine(e.getMessage()) + "; nothing was committed");
        } finally {
            if (checkedFile != null) {
                FetchedFile.deleteQuietly(checkedFile);
            }
        }
        long loaded = count(engine.render(staging));
        List<String> columns = columns(staging);
        if (checked) {
            return checkedStaged(staging, loadId, loaded, checkedRecords, columns, replace);
        }
        if (!csv) {
            return new Staged(loaded, loaded, 0, columns, replace, List.of());
        }
        long bad = count("(SELECT DISTINCT scan_id, file_id, line FROM temp.main." + rejects + ")");
        long read = loaded + bad;
        long allowed = allowedBadRows(read);
        if (bad > allowed) {
            String first = firstBadRow(rejects, scans);
            dropQuietly(engine.render(staging));
            dropRejects(rejects, scans);
            throw options.failure(ErrorCode.LOAD_FAILED, bad + " of " + read + " rows of source " + SourceLoad.sourceName(node)
                    + " are bad, more than max_bad_rows allows (" + describeLimit() + "); the first is " + first
                    + "; fix the files or raise max_bad_rows; nothing was committed");
        }
        List<String> commit = new ArrayList<>();
        if (bad > 0) {
            Relation target = node.relation().orElseThrow();
            String quarantine = engine.render(target.withIdentifier(target.identifier() + QUARANTINE_SUFFIX));
            commit.add("CREATE TABLE IF NOT EXISTS " + quarantine + " (load_id VARCHAR, file VARCHAR, line BIGINT, raw VARCHAR, reason VARCHAR)");
            commit.add("INSERT INTO " + quarantine + " SELECT " + LoadLog.literal(loadId) + ", " + shownPath("s.file_path")
                    + ", e.line, any_value(e.csv_line), string_agg(e.error_message, '; ' ORDER BY e.column_idx) FROM temp.main." + rejects
                    + " e JOIN temp.main." + scans + " s ON e.scan_id = s.scan_id AND e.file_id = s.file_id GROUP BY s.file_path, e.line"
                    + " ORDER BY s.file_path, e.line");
        }
        commit.add("DROP TABLE temp.main." + rejects);
        commit.add("DROP TABLE temp.main." + scans);
        return new Staged(read, loaded, bad, columns, replace, commit);
    }

    /**
     * What the staging select replaces: declared types for a JSON scan, whose reader infers them all
     * ({@code CAST(x AS T) AS x}), and the file column as people see the path (the readers give it whole).
     */
    private String replacements(boolean csv, boolean checked) {
        StringJoiner replace = new StringJoiner(", ", " REPLACE (", ")").setEmptyValue("");
        if (!csv) {
            scan.columnTypes().forEach((column, type) -> replace.add("CAST(" + engine.quote(column) + " AS " + type + ") AS " + engine.quote(column)));
        }
        if (!checked) {
            scan.fileColumn().ifPresent(column -> replace.add(shownPath(engine.quote(column)) + " AS " + engine.quote(column)));
        }
        return replace.toString();
    }

    /** The reader option that adds the file column, when the scan asks for one. */
    private String fileNameOption() {
        return scan.fileColumn().map(column -> ", filename = " + LoadLog.literal(column)).orElse("");
    }

    /**
     * Deleting the earlier rows of the files read again, from the table and from its quarantine: the
     * load's commit runs them before it adds the new rows.
     */
    private List<String> replaceStatements() throws SQLException {
        if (scan.replacedFiles().isEmpty()) {
            return List.of();
        }
        Relation target = node.relation().orElseThrow();
        String column = scan.fileColumn().orElseThrow();
        StringJoiner files = new StringJoiner(", ", "(", ")");
        scan.replacedFiles().forEach(file -> files.add(LoadLog.literal(shown(file))));
        List<String> statements = new ArrayList<>();
        if (session.relationType(target).isPresent()) {
            if (!columns(target).contains(column)) {
                throw options.failure(ErrorCode.LOAD_FAILED, "file " + shown(scan.replacedFiles().get(0)) + " of source " + SourceLoad.sourceName(node)
                        + " changed since it was loaded, but " + target + " has no " + column + " column to find its earlier rows by (an earlier"
                        + " version of Baton loaded it); reload the source in full once with mode: full, then go back to mode: incremental");
            }
            statements.add("DELETE FROM " + engine.render(target) + " WHERE " + engine.quote(column) + " IN " + files);
        }
        Relation quarantine = target.withIdentifier(target.identifier() + QUARANTINE_SUFFIX);
        if (session.relationType(quarantine).isPresent()) {
            statements.add("DELETE FROM " + engine.render(quarantine) + " WHERE file IN " + files);
        }
        return statements;
    }

    /** The relation's columns, in order. */
    private List<String> columns(Relation relation) throws SQLException {
        List<String> columns = new ArrayList<>();
        for (List<String> row : session.query("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                + LoadLog.literal(relation.schema()) + " AND table_name = " + LoadLog.literal(relation.identifier()) + " ORDER BY ordinal_position",
                Integer.MAX_VALUE).rows()) {
            columns.add(row.get(0));
        }
        return columns;
    }

    private String csvReader(String rejects, String scans) {
        StringBuilder sql = new StringBuilder("read_csv(").append(fileList());
        String delimiter = scan.readerOptions().getOrDefault("delimiter", ",");
        sql.append(", delim = ").append(LoadLog.literal(delimiter));
        sql.append(", header = ").append(Boolean.parseBoolean(scan.readerOptions().getOrDefault("header", "true")));
        if (scan.readerOptions().containsKey("quote")) {
            sql.append(", quote = ").append(LoadLog.literal(scan.readerOptions().get("quote")));
        }
        if (!scan.columnTypes().isEmpty()) {
            StringJoiner types = new StringJoiner(", ", ", types = {", "}");
            scan.columnTypes().forEach((column, type) -> types.add(LoadLog.literal(column) + ": " + LoadLog.literal(type)));
            sql.append(types);
        }
        sql.append(fileNameOption());
        sql.append(", store_rejects = true, rejects_table = ").append(LoadLog.literal(rejects)).append(", rejects_scan = ").append(LoadLog.literal(scans));
        return sql.append(")").toString();
    }

    private JsonLines.Result checkJson(Path out) {
        try {
            return JsonLines.check(scan.files(), "flatten".equals(scan.readerOptions().get("nested")), out, scan.fileColumn().orElse(null), this::shown);
        } catch (JsonLines.MalformedFileException e) {
            FetchedFile.deleteQuietly(out);
            throw options.failure(ErrorCode.LOAD_FAILED, "file " + shown(e.file()) + " of source " + SourceLoad.sourceName(node)
                    + " is not a valid JSON array of records: " + e.getMessage() + "; fix the file, or write one record per line (NDJSON)"
                    + " so that bad records can be set aside; nothing was committed");
        } catch (java.io.UncheckedIOException e) {
            FetchedFile.deleteQuietly(out);
            throw options.failure(ErrorCode.LOAD_FAILED, "cannot read the files of source " + SourceLoad.sourceName(node) + ": "
                    + e.getCause().getMessage() + "; nothing was committed");
        }
    }

    /** JSON records that were checked line by line: the bad ones are kept in the quarantine table with the good ones' commit. */
    private Staged checkedStaged(Relation staging, String loadId, long loaded, JsonLines.Result checked, List<String> columns, List<String> replace) {
        List<JsonLines.BadLine> bad = checked.bad();
        long read = checked.records() + bad.size();
        if (bad.size() > allowedBadRows(read)) {
            JsonLines.BadLine first = bad.get(0);
            dropQuietly(engine.render(staging));
            throw options.failure(ErrorCode.LOAD_FAILED, bad.size() + " of " + read + " rows of source " + SourceLoad.sourceName(node)
                    + " are bad, more than max_bad_rows allows (" + describeLimit() + "); the first is " + shown(first.file()) + ":" + first.line()
                    + " (" + first.reason() + "); fix the files or raise max_bad_rows; nothing was committed");
        }
        List<String> commit = new ArrayList<>();
        if (!bad.isEmpty()) {
            Relation target = node.relation().orElseThrow();
            String quarantine = engine.render(target.withIdentifier(target.identifier() + QUARANTINE_SUFFIX));
            commit.add("CREATE TABLE IF NOT EXISTS " + quarantine + " (load_id VARCHAR, file VARCHAR, line BIGINT, raw VARCHAR, reason VARCHAR)");
            for (int from = 0; from < bad.size(); from += 1000) {
                StringJoiner values = new StringJoiner(", ");
                for (JsonLines.BadLine line : bad.subList(from, Math.min(bad.size(), from + 1000))) {
                    values.add("(" + LoadLog.literal(loadId) + ", " + LoadLog.literal(shown(line.file())) + ", " + line.line() + ", "
                            + LoadLog.literal(line.raw()) + ", " + LoadLog.literal(line.reason()) + ")");
                }
                commit.add("INSERT INTO " + quarantine + " VALUES " + values);
            }
        }
        return new Staged(checked.records() + bad.size(), loaded, bad.size(), columns, replace, commit);
    }

    private String shown(Path file) {
        String text = file.toAbsolutePath().normalize().toString();
        return text.startsWith(projectPrefix) ? text.substring(projectPrefix.length()) : text;
    }

    private static Path temporaryFile() {
        try {
            return java.nio.file.Files.createTempFile("baton-json-", ".ndjson");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String jsonReader() {
        StringBuilder sql = new StringBuilder("read_json(").append(fileList());
        sql.append(", format = ").append(LoadLog.literal(scan.readerOptions().getOrDefault("json_format", "auto")));
        if ("json".equals(scan.readerOptions().get("nested"))) {
            sql.append(", maximum_depth = 1");
        }
        return sql.append(fileNameOption()).append(")").toString();
    }

    private String fileList() {
        StringJoiner files = new StringJoiner(", ", "[", "]");
        for (Path file : scan.files()) {
            files.add(LoadLog.literal(file.toString()));
        }
        return files.toString();
    }

    private long allowedBadRows(long read) {
        if (scan.maxBadPercent().isPresent()) {
            return (long) Math.floor(read * scan.maxBadPercent().getAsDouble() / 100.0);
        }
        return scan.maxBadRows().orElse(0);
    }

    private String describeLimit() {
        if (scan.maxBadPercent().isPresent()) {
            return scan.maxBadPercent().getAsDouble() + "%";
        }
        return Long.toString(scan.maxBadRows().orElse(0));
    }

    private String firstBadRow(String rejects, String scans) throws SQLException {
        QueryResult first = session.query("SELECT " + shownPath("s.file_path") + ", e.line, e.error_message FROM temp.main." + rejects + " e JOIN temp.main."
                + scans + " s ON e.scan_id = s.scan_id AND e.file_id = s.file_id ORDER BY s.file_path, e.line, e.column_idx LIMIT 1", 1);
        List<String> row = first.rows().get(0);
        return row.get(0) + ":" + row.get(1) + " (" + firstLine(row.get(2)) + ")";
    }

    /** The file path as people see it: relative to the project folder when it is inside it. */
    private String shownPath(String column) {
        String prefix = LoadLog.literal(projectPrefix);
        return "CASE WHEN starts_with(" + column + ", " + prefix + ") THEN substr(" + column + ", " + (projectPrefix.length() + 1) + ") ELSE "
                + column + " END";
    }

    private long count(String relation) throws SQLException {
        return Long.parseLong(session.query("SELECT count(*) FROM " + relation, 1).rows().get(0).get(0));
    }

    private void dropRejects(String rejects, String scans) {
        dropQuietly("temp.main." + rejects);
        dropQuietly("temp.main." + scans);
    }

    private void dropQuietly(String relation) {
        try {
            session.execute("DROP TABLE IF EXISTS " + relation);
        } catch (SQLException | RuntimeException ignored) {
            // A leftover is dropped by the next load or when the session ends.
        }
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message.strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
