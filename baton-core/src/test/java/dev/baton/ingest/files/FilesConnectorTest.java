package dev.baton.ingest.files;

import static dev.baton.ingest.IngestFixture.load;
import static dev.baton.ingest.IngestFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.engine.Engine;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.ingest.IngestFixture;
import dev.baton.project.Project;
import dev.baton.state.LoadRecord;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesConnectorTest {
    private static final String NODE = "source.app.landing.events";

    @TempDir
    Path temp;

    private Engine engine;

    @BeforeEach
    void setUp() {
        engine = DuckDbEngines.openInMemory("main", 2);
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private Project project(String connector) {
        return IngestFixture.project(temp, """
                version: 2
                sources:
                  - name: landing
                    schema: raw
                    tables:
                      - name: events
                        connector: %s
                        columns:
                          - name: amount
                            data_type: integer
                """.formatted(connector));
    }

    private void write(String path, String text) throws Exception {
        Path file = temp.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static List<String> column(List<List<String>> rows) {
        return rows.stream().map(row -> row.get(0)).toList();
    }

    @Test
    void badCsvRowsAreQuarantinedWithFileLineTextAndReason() throws Exception {
        write("data/events.csv", "id,amount,note\n1,10,ok\n2,abc,\"bad, amount\"\n3,30,ok\n4,40\n5,50,ok\n");
        LoadRecord load = load(engine, project("{type: files, path: data/*.csv, max_bad_rows: 2}"), NODE);

        assertThat(load.rowsRead()).isEqualTo(5);
        assertThat(load.rowsLoaded()).isEqualTo(3);
        assertThat(load.rowsQuarantined()).isEqualTo(2);
        assertThat(load.rowsRead()).isEqualTo(load.rowsLoaded() + load.rowsQuarantined());
        assertThat(column(rows(engine, "SELECT id FROM raw.events ORDER BY id"))).containsExactly("1", "3", "5");
        List<List<String>> quarantined = rows(engine, "SELECT file, line, raw, reason FROM raw.events__quarantine ORDER BY line");
        assertThat(quarantined).hasSize(2);
        assertThat(quarantined.get(0).subList(0, 3)).containsExactly("data/events.csv", "3", "2,abc,\"bad, amount\"");
        assertThat(quarantined.get(0).get(3)).contains("abc");
        assertThat(quarantined.get(1).subList(0, 3)).containsExactly("data/events.csv", "5", "4,40");
        assertThat(quarantined.get(1).get(3)).contains("Expected Number of Columns: 3 Found: 2");
    }

    @Test
    void moreBadRowsThanAllowedFailsAndCommitsNothing() throws Exception {
        write("data/events.csv", "id,amount\n1,10\n2,abc\n3,30\n");
        assertThatThrownBy(() -> load(engine, project("{type: files, path: data/events.csv}"), NODE))
                .isInstanceOf(BatonException.class)
                .hasMessageStartingWith("models/sources.yml:6:9: 1 of 3 rows of source landing.events are bad, more than max_bad_rows allows (0);"
                        + " the first is data/events.csv:3 (")
                .hasMessageEndingWith("); fix the files or raise max_bad_rows; nothing was committed");
        assertThat(rows(engine, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw'").get(0)).containsExactly("0");

        assertThat(load(engine, project("{type: files, path: data/events.csv, max_bad_rows: 34%}"), NODE).rowsQuarantined()).isEqualTo(1);
    }

    @Test
    void incrementalLoadsNewAndChangedFilesAndAChangedFilesRowsReplaceItsEarlierOnes() throws Exception {
        write("in/a.csv", "id,name\n1,a\n");
        write("in/b.csv", "id,name\n2,b\n");
        Project project = project("{type: files, path: \"in/*.csv\", mode: incremental}");
        assertThat(load(engine, project, NODE).rowsLoaded()).isEqualTo(2);
        assertThat(load(engine, project, NODE).rowsLoaded()).isZero();
        assertThat(rows(engine, "SELECT id, _baton_source_file FROM raw.events ORDER BY id")).containsExactly(List.of("1", "in/a.csv"),
                List.of("2", "in/b.csv"));

        write("in/c.csv", "id,name\n3,c\n");
        write("in/b.csv", "id,name\n2,b\n4,b2\n");
        LoadRecord third = load(engine, project, NODE);

        assertThat(third.rowsRead()).isEqualTo(3);
        assertThat(third.rowsLoaded()).isEqualTo(3);
        assertThat(third.watermark().orElseThrow()).contains("\"in/a.csv\":\"crc32c:", "\"in/b.csv\"", "\"in/c.csv\"");
        assertThat(rows(engine, "SELECT id, name, _baton_source_file FROM raw.events ORDER BY id")).containsExactly(List.of("1", "a", "in/a.csv"),
                List.of("2", "b", "in/b.csv"), List.of("3", "c", "in/c.csv"), List.of("4", "b2", "in/b.csv"));
        assertThat(load(engine, project, NODE).rowsLoaded()).isZero();
    }

    @Test
    void aChangedFilesSetAsideRowsAreReplacedWithItsRows() throws Exception {
        write("in/a.csv", "id,amount\n1,10\n2,oops\n");
        Project project = project("{type: files, path: \"in/*.csv\", mode: incremental, max_bad_rows: 5}");
        assertThat(load(engine, project, NODE).rowsQuarantined()).isEqualTo(1);

        write("in/a.csv", "id,amount\n1,10\n2,20\n3,bad\n");
        LoadRecord fixed = load(engine, project, NODE);

        assertThat(fixed.rowsLoaded()).isEqualTo(2);
        assertThat(fixed.rowsQuarantined()).isEqualTo(1);
        assertThat(rows(engine, "SELECT id, amount FROM raw.events ORDER BY id")).containsExactly(List.of("1", "10"), List.of("2", "20"));
        assertThat(rows(engine, "SELECT file, line, raw FROM raw.events__quarantine")).containsExactly(List.of("in/a.csv", "4", "3,bad"));
    }

    @Test
    void aChangedNdjsonFileReplacesItsRowsToo() throws Exception {
        write("in/a.ndjson", "{\"id\": 1}\n{\"id\": 2}\n");
        write("in/b.ndjson", "{\"id\": 3}\n");
        Project project = project("{type: files, path: \"in/*.ndjson\", mode: incremental}");
        load(engine, project, NODE);
        write("in/a.ndjson", "{\"id\": 1}\n");

        assertThat(load(engine, project, NODE).rowsLoaded()).isEqualTo(1);
        assertThat(rows(engine, "SELECT id, _baton_source_file FROM raw.events ORDER BY id")).containsExactly(List.of("1", "in/a.ndjson"),
                List.of("3", "in/b.ndjson"));
    }

    @Test
    void readsGzippedTsvNdjsonAndParquet() throws Exception {
        Path gz = temp.resolve("tsv/events.tsv.gz");
        Files.createDirectories(gz.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("id\tname\n1\tone, with comma\n2\ttwo\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(load(engine, project("{type: files, path: tsv/events.tsv.gz}"), NODE).rowsLoaded()).isEqualTo(2);
        assertThat(rows(engine, "SELECT name FROM raw.events WHERE id = 1").get(0)).containsExactly("one, with comma");

        write("json/events.ndjson", "{\"id\": 1, \"user\": {\"name\": \"ann\", \"age\": 7}}\n{\"id\": 2, \"user\": {\"name\": \"bob\", \"age\": 9}}\n");
        load(engine, project("{type: files, path: json/events.ndjson, schema_drift: ignore}"), NODE);
        assertThat(rows(engine, "SELECT user.name FROM raw.events ORDER BY id")).containsExactly(List.of("ann"), List.of("bob"));
        load(engine, project("{type: files, path: json/events.ndjson, nested: json, schema_drift: ignore}"), NODE);
        assertThat(rows(engine, "SELECT typeof(user), user->>'name' FROM raw.events ORDER BY id").get(0)).containsExactly("JSON", "ann");

        try (var session = engine.openSession()) {
            session.execute("COPY (SELECT range AS id, 'n' || range AS name FROM range(5)) TO '" + temp.resolve("events.parquet") + "' (FORMAT parquet)");
        }
        assertThat(load(engine, project("{type: files, path: events.parquet, schema_drift: ignore}"), NODE).rowsLoaded()).isEqualTo(5);
    }

    @Test
    void badNdjsonLinesAreQuarantinedWithFileLineTextAndReason() throws Exception {
        write("json/a.ndjson", "{\"id\": 1, \"user\": {\"name\": \"ann\", \"address\": {\"city\": \"Oslo\"}}}\n"
                + "{\"id\": 2, \"user\": {\"name\": \"bo\n"
                + "\n"
                + "{\"id\": 3, \"user\": {\"name\": \"cy\", \"address\": {\"city\": \"Rome\"}}}\n"
                + "[4, 5]\n"
                + "{\"id\": 6} {\"id\": 7}\n");
        write("json/b.ndjson", "{\"id\": 8, \"user\": {\"name\": \"di\"}}\n");
        LoadRecord load = load(engine, project("{type: files, path: \"json/*.ndjson\", nested: flatten, max_bad_rows: 3}"), NODE);

        assertThat(load.rowsRead()).isEqualTo(6);
        assertThat(load.rowsLoaded()).isEqualTo(3);
        assertThat(load.rowsQuarantined()).isEqualTo(3);
        assertThat(load.rowsRead()).isEqualTo(load.rowsLoaded() + load.rowsQuarantined());
        assertThat(rows(engine, "SELECT id, user_name, user_address_city FROM raw.events ORDER BY id")).containsExactly(List.of("1", "ann", "Oslo"),
                List.of("3", "cy", "Rome"), java.util.Arrays.asList("8", "di", null));
        assertThat(rows(engine, "SELECT file, line, raw, reason FROM raw.events__quarantine ORDER BY file, line")).containsExactly(
                List.of("json/a.ndjson", "2", "{\"id\": 2, \"user\": {\"name\": \"bo",
                        "Unexpected end-of-input: was expecting closing quote for a string value at column 31"),
                List.of("json/a.ndjson", "5", "[4, 5]", "a record must be a JSON object, not an array"),
                List.of("json/a.ndjson", "6", "{\"id\": 6} {\"id\": 7}",
                        "more than one JSON value on the line at column 11"));

        assertThatThrownBy(() -> load(engine, project("{type: files, path: \"json/*.ndjson\", max_bad_rows: 2}"), NODE))
                .hasMessage("models/sources.yml:6:9: 3 of 6 rows of source landing.events are bad, more than max_bad_rows allows (2); the first is"
                        + " json/a.ndjson:2 (Unexpected end-of-input: was expecting closing quote for a string value at column 31);"
                        + " fix the files or raise max_bad_rows; nothing was committed");
        assertThat(rows(engine, "SELECT count(*) FROM raw.events__quarantine").get(0)).containsExactly("3");

        write("json/array.json", "[{\"id\": 1, \"user\": {\"name\": \"ann\"}}, {\"id\": 2, \"user\": {\"name\": \"bob\"}}]");
        load(engine, project("{type: files, path: json/array.json, nested: flatten, schema_drift: ignore}"), NODE);
        assertThat(rows(engine, "SELECT id, user_name FROM raw.events ORDER BY id")).containsExactly(List.of("1", "ann"), List.of("2", "bob"));
        write("json/array.json", "[{\"id\": 1}, {\"id\": ");
        assertThatThrownBy(() -> load(engine, project("{type: files, path: json/array.json}"), NODE))
                .hasMessage("models/sources.yml:6:9: file json/array.json of source landing.events is not a valid JSON array of records:"
                        + " Unexpected end-of-input within/between Object entries at line 1, column 20; fix the file, or write one record"
                        + " per line (NDJSON) so that bad records can be set aside; nothing was committed");
    }

    @Test
    void schemaDriftIsDetectedAndHandledByPolicy() throws Exception {
        write("in/a.csv", "id,name\n1,a\n");
        assertThat(load(engine, project("{type: files, path: \"in/*.csv\", mode: incremental}"), NODE).rowsLoaded()).isEqualTo(1);
        write("in/b.csv", "id,note\n2,new\n");

        assertThatThrownBy(() -> load(engine, project("{type: files, path: \"in/*.csv\", mode: incremental}"), NODE))
                .hasMessage("models/sources.yml:6:9: source landing.events changed shape since raw.events was loaded: new column note VARCHAR;"
                        + " missing column name; nothing was committed; set schema_drift to add_columns or ignore in its connector block,"
                        + " or reload it in full");

        Project ignoring = project("{type: files, path: \"in/*.csv\", mode: incremental, schema_drift: ignore}");
        dev.baton.ingest.IngestFixture.load(engine, ignoring, NODE);
        assertThat(rows(engine, "SELECT id, name FROM raw.events ORDER BY id")).containsExactly(List.of("1", "a"), java.util.Arrays.asList("2", null));
        assertThat(column(rows(engine, "SELECT column_name FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position")))
                .containsExactly("id", "name", "_baton_source_file");

        write("in/c.csv", "id,note\n3,added\n");
        load(engine, project("{type: files, path: \"in/*.csv\", mode: incremental, schema_drift: add_columns}"), NODE);
        assertThat(rows(engine, "SELECT id, name, note FROM raw.events ORDER BY id")).containsExactly(java.util.Arrays.asList("1", "a", null),
                java.util.Arrays.asList("2", null, null), java.util.Arrays.asList("3", null, "added"));

        assertThatThrownBy(() -> project("{type: files, path: x.csv, schema_drift: sometimes}"))
                .hasMessage("models/sources.yml:7:47: schema_drift of source landing.events is 'sometimes'; use one of fail, add_columns, ignore");
    }

    @Test
    void aPathMatchingNothingSaysSo() {
        assertThatThrownBy(() -> load(engine, project("{type: files, path: nowhere/*.csv}"), NODE))
                .hasMessage("models/sources.yml:6:9: path 'nowhere/*.csv' of source landing.events matches no file;"
                        + " check the path (relative to the project folder) and the glob");
    }
}
