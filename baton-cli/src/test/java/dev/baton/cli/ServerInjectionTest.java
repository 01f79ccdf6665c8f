package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.server.http.Route;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQL-injection strings in every query and path parameter change nothing and leak nothing. */
class ServerInjectionTest {
    static final List<String> CORPUS = List.of(
            "' OR '1'='1",
            "' OR 1=1 --",
            "1; DROP TABLE baton_runs; --",
            "'; DELETE FROM baton_tokens; --",
            "\" OR \"\"=\"",
            "1' UNION SELECT id, token_hash, role, name, created_at FROM baton_tokens --",
            "') OR ('a'='a",
            "admin'--",
            "1 OR 1=1",
            "'; UPDATE baton_runs SET status='CRASHED'; --",
            "%' --",
            "' AND (SELECT COUNT(*) FROM sqlite_master) > 0 --",
            "'; SELECT pg_sleep(5); --",
            "\\'; ATTACH DATABASE '/tmp/x.db' AS x; --",
            "1e309",
            "-1",
            "99999999999999999999",
            "x' IS NOT NULL --");
    static final List<String> LEAK_MARKERS = List.of("SQLITE_", "SQLException", "org.sqlite", "org.postgresql", "at dev.", "Exception", "btn_",
            "\"token_hash\"");

    @TempDir
    Path temp;

    @Test
    void injectionStringsInEveryParameterChangeAndLeakNothing() throws Exception {
        Path root = ServerFixture.shop(temp.resolve("shop"));
        assertThat(Cli.run("build", "--project-dir", root.toString()).exitCode()).isZero();
        String admin = ServerFixture.token(root, "admin");
        try (ServerFixture fixture = new ServerFixture(root)) {
            String before = snapshot(root);
            int requests = 0;
            for (Route route : fixture.server.routes()) {
                if (route.method().equals("POST") && !route.path().contains("{")) {
                    continue;
                }
                for (String value : CORPUS) {
                    String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
                    List<String> paths = new ArrayList<>();
                    if (route.path().contains("{")) {
                        paths.add(route.path().replace("{id}", encoded).replace("{name}", encoded));
                    }
                    String concrete = route.path().replace("{id}", "orders").replace("{name}", "orders");
                    for (String parameter : route.queryParameters()) {
                        paths.add(concrete + "?" + parameter + "=" + encoded);
                    }
                    for (String path : paths) {
                        ServerFixture.Response response = fixture.send(route.method(), path, admin, "{}");
                        requests++;
                        String what = route.method() + " " + path + " -> " + response.status() + " " + response.body();
                        assertThat(response.status()).as(what).isIn(200, 204, 400, 404, 409);
                        for (String marker : LEAK_MARKERS) {
                            assertThat(response.body()).as(what).doesNotContain(marker);
                        }
                        if (response.status() == 200 && response.contentType().startsWith("application/json")) {
                            JsonNode body = response.json();
                            if (body.has("items") && !path.contains("limit=") && !path.contains("offset=")) {
                                assertThat(body.get("items")).as(what).isEmpty();
                            }
                        }
                    }
                }
            }
            assertThat(requests).isGreaterThan(400);
            assertThat(snapshot(root)).isEqualTo(before);
        }
    }

    /** Everything the state store holds, as text. */
    private static String snapshot(Path root) throws Exception {
        StringBuilder text = new StringBuilder();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + root.resolve(".baton/state.db"))) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = connection.createStatement().executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            assertThat(tables).contains("baton_runs", "baton_node_results", "baton_tokens", "baton_check_metrics");
            for (String table : tables) {
                try (ResultSet rows = connection.createStatement().executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
                    int columns = rows.getMetaData().getColumnCount();
                    text.append(table).append('\n');
                    while (rows.next()) {
                        for (int column = 1; column <= columns; column++) {
                            text.append(rows.getString(column)).append('|');
                        }
                        text.append('\n');
                    }
                }
            }
        }
        return text.toString();
    }
}
