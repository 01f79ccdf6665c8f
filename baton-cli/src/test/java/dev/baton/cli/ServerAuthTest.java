package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.server.auth.Role;
import dev.baton.server.http.Route;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route: no token is 401, too small a role is 403, a big enough role gets through. */
class ServerAuthTest {
    @TempDir
    static Path temp;

    static ServerFixture fixture;
    static String viewer;
    static String operator;
    static String admin;

    @BeforeAll
    static void start() {
        Path root = ServerFixture.shop(temp.resolve("shop"));
        viewer = ServerFixture.token(root, "viewer");
        operator = ServerFixture.token(root, "operator");
        admin = ServerFixture.token(root, "admin");
        fixture = new ServerFixture(root);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static String concrete(Route route) {
        return route.path().replace("{id}", "orders").replace("{name}", "orders");
    }

    private static String tokenOf(Role role) {
        switch (role) {
            case VIEWER:
                return viewer;
            case OPERATOR:
                return operator;
            default:
                return admin;
        }
    }

    @Test
    void everyRouteAsksForATokenAndARole() {
        assertThat(fixture.server.routes()).hasSize(32);
        for (Route route : fixture.server.routes()) {
            String path = concrete(route);
            String what = route.method() + " " + path;
            if (route.role().isEmpty()) {
                assertThat(route.path()).isEqualTo("/health");
                assertThat(fixture.send(route.method(), path, null, "{}").status()).as(what).isEqualTo(200);
                continue;
            }
            ServerFixture.Response none = fixture.send(route.method(), path, null, "{}");
            assertThat(none.status()).as(what).isEqualTo(401);
            assertThat(none.json().get("detail").asText()).as(what)
                    .isEqualTo("this route needs a token: send 'Authorization: Bearer <token>'; create one with 'baton token create --role viewer'");
            ServerFixture.Response unknown = fixture.send(route.method(), path, "btn_not-a-token", "{}");
            assertThat(unknown.status()).as(what).isEqualTo(401);
            assertThat(unknown.json().get("detail").asText()).as(what)
                    .isEqualTo("the token is not known to this server (it was deleted, or belongs to another project's state store)");

            Role required = route.role().get();
            for (Role role : Role.values()) {
                ServerFixture.Response response = fixture.send(route.method(), path, tokenOf(role), "{}");
                if (role.allows(required)) {
                    assertThat(response.status()).as(what + " as " + role.label()).isNotIn(401, 403, 500);
                } else {
                    assertThat(response.status()).as(what + " as " + role.label()).isEqualTo(403);
                    assertThat(response.json().get("detail").asText()).as(what).isEqualTo(route.method() + " " + route.path() + " needs the "
                            + required.label() + " role; this token has " + role.label() + "; create one with 'baton token create --role "
                            + required.label() + "'");
                }
            }
        }
    }

    @Test
    void viewersReadOperatorsRunAdminsManageTokens() {
        assertThat(fixture.get("/api/v1/models", viewer).status()).isEqualTo(200);
        assertThat(fixture.post("/api/v1/runs", viewer, "{\"command\": \"build\"}").status()).isEqualTo(403);
        assertThat(fixture.post("/api/v1/tokens", operator, "{\"role\": \"viewer\"}").status()).isEqualTo(403);

        ServerFixture.Response created = fixture.post("/api/v1/tokens", admin, "{\"role\": \"viewer\", \"name\": \"dashboard\"}");
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().get("token").asText();
        String id = created.json().get("id").asText();
        assertThat(fixture.get("/api/v1/models", token).status()).isEqualTo(200);
        JsonNode listed = fixture.get("/api/v1/tokens", admin).json();
        assertThat(listed.toString()).contains("\"name\":\"dashboard\"").doesNotContain(token).doesNotContain("hash");
        assertThat(fixture.delete("/api/v1/tokens/" + id, admin).status()).isEqualTo(204);
        assertThat(fixture.get("/api/v1/models", token).status()).isEqualTo(401);
        assertThat(fixture.delete("/api/v1/tokens/" + id, admin).status()).isEqualTo(404);

        ServerFixture.Response badRole = fixture.post("/api/v1/tokens", admin, "{\"role\": \"root\"}");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.json().get("detail").asText()).isEqualTo("unknown role 'root'; use viewer, operator or admin");
    }

    @Test
    void tokenCreatePrintsTheTokenOnceAndStoresOnlyItsHash() throws Exception {
        Cli.Result created = Cli.run("token", "create", "--role", "operator", "--name", "ci", "--project-dir", fixture.root.toString());
        assertThat(created.exitCode()).isZero();
        String token = created.out().strip();
        assertThat(token).startsWith("btn_").hasSize(47);
        assertThat(created.err()).startsWith("Created operator token 'ci' (id ").contains("It is shown only this once; keep it secret:");
        assertThat(fixture.store.tokens().stream().filter(record -> record.name().equals("ci")).findFirst().orElseThrow().tokenHash())
                .hasSize(64).isNotEqualTo(token);
        byte[] database = java.nio.file.Files.readAllBytes(fixture.root.resolve(".baton/state.db"));
        assertThat(new String(database, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(token);

        Cli.Result badRole = Cli.run("token", "create", "--role", "owner", "--project-dir", fixture.root.toString());
        assertThat(badRole.exitCode()).isEqualTo(2);
        assertThat(badRole.err().strip()).isEqualTo("error: unknown role 'owner'; use viewer, operator or admin");
    }
}
