package dev.baton.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.incident.Cause;
import dev.baton.incident.Incident;
import dev.baton.incident.IncidentService;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.schedule.MutableClock;
import dev.baton.state.StateConnections;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertRouterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private HttpServer receiver;
    private final List<String[]> received = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T08:00:00Z"));

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new String[] {exchange.getRequestURI().getPath(), body, exchange.getRequestHeaders().getFirst("Content-Type")});
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/broken") ? 500 : 200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private Project project(String alerts) throws IOException {
        write("baton.yml", "name: shop\n" + alerts);
        write("models/orders.sql", "select 1 as id");
        write("models/visits.sql", "select 1 as id");
        write("models/props.yml", """
                version: 2
                models:
                  - name: orders
                    meta: {tier: 0, owner: sales-data, runbook: "https://wiki.example.com/orders"}
                  - name: visits
                    meta: {tier: 2, owner: web}
                """);
        return ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
    }

    private String base() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    @Test
    void routesByTierAndOwnerInJsonAndSlackFormAndSuppressesAFlappingCheck() throws Exception {
        Project project = project("""
                alerts:
                  suppress_for: 30m
                  routes:
                    - name: critical
                      url: %1$s/critical
                      tiers: [0, 1]
                    - name: sales
                      url: %1$s/sales
                      format: slack
                      owners: [sales-data]
                    - name: broken
                      url: %1$s/broken
                      owners: [web]
                """.formatted(base()));
        StringWriter warnings = new StringWriter();
        try (IncidentService incidents = new IncidentService(StateConnections.open(root, Optional.empty()), project, clock);
                AlertRouter router = new AlertRouter(AlertsConfig.read(project), "shop", StateConnections.open(root, Optional.empty()), clock,
                        new PrintWriter(warnings, true))) {
            incidents.addListener(router);
            Incident orders = incidents.open("model.p.orders".replace(".p.", ".shop."), Cause.SLA_BREACH, "model.shop.orders is 3 hours old", Optional.empty());
            assertThat(received).extracting(request -> request[0]).containsExactly("/critical", "/sales");
            JsonNode plain = JSON.readTree(received.get(0)[1]);
            assertThat(plain.get("event").asText()).isEqualTo("incident.opened");
            assertThat(plain.get("project").asText()).isEqualTo("shop");
            assertThat(plain.at("/incident/id").asText()).isEqualTo(orders.id());
            assertThat(plain.at("/incident/asset").asText()).isEqualTo("model.shop.orders");
            assertThat(plain.at("/incident/cause").asText()).isEqualTo("sla_breach");
            assertThat(plain.at("/incident/tier").asInt()).isZero();
            assertThat(plain.at("/incident/runbook").asText()).isEqualTo("https://wiki.example.com/orders");
            assertThat(received.get(0)[2]).isEqualTo("application/json");
            JsonNode slack = JSON.readTree(received.get(1)[1]);
            assertThat(slack.get("text").asText()).isEqualTo(":rotating_light: Incident: [tier 0] model.shop.orders (sla breach) in shop: model.shop.orders is 3 hours old");
            assertThat(slack.at("/blocks/1/text/text").asText()).isEqualTo("model.shop.orders is 3 hours old\nOwner: sales-data\nRunbook: <https://wiki.example.com/orders>");

            // Flapping: it passes and breaches again every minute for forty minutes; within 30 minutes nobody is paged twice.
            received.clear();
            for (int minute = 0; minute < 40; minute++) {
                clock.advance(Duration.ofMinutes(1));
                incidents.passed("model.shop.orders", Cause.SLA_BREACH);
                incidents.open("model.shop.orders", Cause.SLA_BREACH, "model.shop.orders is 3 hours old", Optional.empty());
            }
            assertThat(received).extracting(request -> request[0] + " " + JSON.readTree(request[1]).path("event").asText())
                    .containsExactly("/critical incident.resolved", "/sales ", "/critical incident.opened", "/sales ",
                            "/critical incident.resolved", "/sales ");

            Incident visits = incidents.open("model.shop.visits", Cause.RUN_FAILURE, "boom", Optional.empty());
            assertThat(router.route(visits, "opened")).extracting(AlertRouter.Delivery::outcome).containsExactly(AlertRouter.Outcome.FAILED);
            assertThat(warnings.toString()).contains("warning: alert route 'broken' answered HTTP 500; check its url in the project file");
        }
    }

    @Test
    void badRoutesPointAtTheirLines() {
        assertError("""
                alerts:
                  routes:
                    - name: oncall
                      url: ftp://example.com/hook
                """, ErrorCode.INVALID_CONFIG_VALUE, "baton.yml:5:7: the url of alert route 'oncall' must be an http:// or https:// address, not 'ftp://example.com/hook'");
        assertError("""
                alerts:
                  routes:
                    - name: oncall
                      url: https://example.com/hook
                      tiers: [0, 3]
                """, ErrorCode.UNKNOWN_TIER, "baton.yml:6:18: unknown tier '3' in an alert route; use 0, 1 or 2");
        assertError("""
                alerts:
                  routes:
                    - name: oncall
                      url: https://example.com/hook
                      format: teams
                """, ErrorCode.INVALID_CONFIG_VALUE, "baton.yml:6:7: format must be json or slack, not 'teams'");
        assertError("""
                alerts:
                  supress_for: 5m
                """, ErrorCode.UNKNOWN_CONFIG_KEY, "baton.yml:3:3: unknown key 'supress_for' in alerts; did you mean 'suppress_for'?");
    }

    private void assertError(String alerts, ErrorCode code, String message) {
        assertThatThrownBy(() -> AlertsConfig.read(project(alerts)))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(code))
                .hasMessage(message);
    }
}
