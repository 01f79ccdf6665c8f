package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The incidents board, the KPI dashboard, freshness, failing-row samples and the runs' job filter
 * in Debian's headless Chromium, against a real server over the shop example with a history: a
 * build whose check failed before a column was flagged as PII, a job whose check failed (a tier-0
 * incident) and a build whose model failed (a tier-1 incident), both run by the server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiBoardsBrowserTest {
    static Path temp;
    static Path root;
    static ServerFixture fixture;
    static String operatorToken;
    static String viewerToken;
    static WebDriver driver;

    @BeforeAll
    static void startServer() throws Exception {
        assertThat(WebUiBrowserTest.CHROMIUM).as("the browser tests need Debian's chromium: apt-get install -y chromium chromium-driver").isExecutable();
        assertThat(WebUiBrowserTest.CHROMEDRIVER).as("the browser tests need Debian's chromium-driver: apt-get install -y chromium chromium-driver").isExecutable();
        temp = Files.createTempDirectory("baton-ui-boards");
        root = Cli.copy(Cli.example("shop"), temp.resolve("shop"));
        Files.writeString(root.resolve("baton.yml"), Files.readString(root.resolve("baton.yml"))
                + "\njobs:\n  - name: orders_hourly\n    select: orders\n\nkpi_targets:\n  pipeline_success_rate: 95%\n  incidents:\n    tier_0: 0\n");
        Cli.Result first = Cli.run("build", "--project-dir", root.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Path marts = root.resolve("models/marts/_marts.yml");
        String yml = Files.readString(marts);
        // Three customers never ordered: their first_order is empty, so this check fails with a sample that shows their emails.
        yml = replace(yml, "        description: Date of the customer's first order; empty for customers who never ordered.\n",
                "        description: Date of the customer's first order; empty for customers who never ordered.\n        tests:\n          - not_null\n"
                        + "      - name: email\n        description: Where the shop writes to the customer.\n");
        yml = replace(yml, "      runbook: https://wiki.shop.example/runbooks/orders\n", "      runbook: https://wiki.shop.example/runbooks/orders\n"
                + "    config:\n      freshness: {warn_after: {count: 12, period: hour}, error_after: {count: 1, period: day}}\n");
        Files.writeString(marts, yml);
        Cli.Result build = Cli.run("build", "--project-dir", root.toString());
        assertThat(build.exitCode()).as(build.toString()).isEqualTo(1);
        assertThat(build.out() + build.err()).contains("@mail.example");

        // The email column is flagged as PII after the sample above was taken; returned orders now fail a check.
        yml = replace(Files.readString(marts), "        description: Where the shop writes to the customer.\n",
                "        description: Where the shop writes to the customer.\n        meta: {pii: true}\n");
        yml = replace(yml, "              values: [\"placed\", \"shipped\", \"completed\", \"return_pending\", \"returned\"]\n",
                "              values: [\"placed\", \"shipped\", \"completed\", \"return_pending\"]\n");
        Files.writeString(marts, yml);
        operatorToken = ServerFixture.token(root, "operator");
        viewerToken = ServerFixture.token(root, "viewer");
        fixture = new ServerFixture(root);

        ServerFixture.Response triggered = fixture.post("/api/v1/jobs/orders_hourly/runs", operatorToken, "{}");
        assertThat(triggered.status()).as(triggered.body()).isEqualTo(202);
        String jobRun = triggered.json().get("id").asText();
        Instant deadline = Instant.now().plusSeconds(120);
        while (fixture.get("/api/v1/job-runs/" + jobRun, viewerToken).json().get("finished_at").isNull()) {
            assertThat(Instant.now()).as("the job run finishes").isBefore(deadline);
            Thread.sleep(200);
        }
        Path customers = root.resolve("models/marts/customers.sql");
        String good = Files.readString(customers);
        Files.writeString(customers, "select no_such_column from {{ ref('stg_customers') }}\n");
        Cli.Result failing = Cli.run("build", "--select", "customers", "--project-dir", root.toString());
        assertThat(failing.exitCode()).as(failing.toString()).isEqualTo(1);
        Files.writeString(customers, good);
        JsonNode open = fixture.get("/api/v1/incidents?status=new", viewerToken).json().get("items");
        assertThat(open).hasSize(2);

        Files.createDirectories(WebUiBrowserTest.SCREENSHOTS);
        driver = WebUiBrowserTest.openBrowser(Files.createTempDirectory(temp, "chromium"));
    }

    private static String replace(String text, String from, String to) {
        assertThat(text).contains(from);
        return text.replace(from, to);
    }

    @AfterAll
    static void stopServer() {
        if (driver != null) {
            driver.quit();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void signOut(TestInfo test) throws IOException {
        screenshot(test.getTestMethod().get().getName());
        driver.manage().deleteAllCookies();
    }

    @Test
    @Order(1)
    void anOperatorAcknowledgesAndResolvesAnIncident() throws IOException {
        signIn(operatorToken);
        driver.findElement(By.linkText("Incidents")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/incidents"));
        assertThat(driver.findElement(By.id("open-count")).getText()).isEqualTo("2 open incidents");
        List<WebElement> groups = driver.findElements(By.cssSelector("section.tier-group"));
        assertThat(groups.stream().map(group -> group.getAttribute("data-tier")).toList()).containsExactly("0", "1");
        WebElement tierZero = driver.findElement(By.cssSelector("section.tier-group[data-tier='0'] tr.incident"));
        assertThat(tierZero.getText()).contains("✗ new").contains("accepted_values on orders.status").contains("check failure").contains("runbook")
                .contains("Got 1 result, configured to fail if != 0 (failing rows on the model's page)").doesNotContain("order_id=");
        assertThat(tierZero.findElement(By.cssSelector("a.runbook")).getAttribute("href")).isEqualTo("https://wiki.shop.example/runbooks/orders");
        WebElement row = driver.findElement(By.cssSelector("section.tier-group[data-tier='1'] tr.incident"));
        assertThat(row.getText()).contains("customers").contains("run failure");
        String id = row.getAttribute("data-incident-id");
        screenshot("incidents-open");

        row.findElement(By.cssSelector("button.acknowledge")).click();
        By acknowledged = By.cssSelector("tr.incident[data-incident-id='" + id + "']");
        new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                .until(ExpectedConditions.attributeToBe(acknowledged, "data-status", "acknowledged"));
        row = driver.findElement(acknowledged);
        assertThat(row.getText()).contains("◔ acknowledged");
        assertThat(row.findElements(By.cssSelector("button.acknowledge"))).isEmpty();

        row.findElement(By.cssSelector("details.resolve summary")).click();
        new Select(row.findElement(By.name("reason"))).selectByValue("fixed");
        row.findElement(By.name("note")).sendKeys("Restored the column the model reads.");
        row.findElement(By.cssSelector("button.resolve-button")).click();
        By resolved = By.cssSelector("#resolved tr.resolved-incident[data-incident-id='" + id + "']");
        WebElement done = new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(resolved));
        assertThat(done.findElement(By.cssSelector(".reason")).getText()).isEqualTo("fixed");
        assertThat(done.findElement(By.cssSelector(".note")).getText()).isEqualTo("Restored the column the model reads.");
        assertThat(done.findElement(By.cssSelector(".tta")).getText()).matches("\\d+ (s|min)");
        assertThat(done.findElement(By.cssSelector(".ttr")).getText()).matches("\\d+ (s|min)");
        assertThat(driver.findElement(By.id("open-count")).getText()).isEqualTo("1 open incident");
        assertThat(driver.findElements(By.cssSelector("section.tier-group[data-tier='1']"))).isEmpty();

        JsonNode incident = fixture.get("/api/v1/incidents/" + id, viewerToken).json();
        assertThat(incident.get("status").asText()).isEqualTo("resolved");
        assertThat(incident.get("resolution_reason").asText()).isEqualTo("fixed");
        assertThat(incident.get("resolution_note").asText()).isEqualTo("Restored the column the model reads.");
        assertThat(incident.get("acknowledged_by").asText()).isEqualTo("web UI");
        assertThat(incident.get("transitions")).hasSize(3);
        screenshot("incidents");
    }

    @Test
    @Order(2)
    void theKpiDashboardShowsTheApisNumbersWithTargets() throws IOException {
        signIn(viewerToken);
        driver.findElement(By.linkText("KPIs")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/kpis"));
        JsonNode api = fixture.get("/api/v1/kpis?window=30d", viewerToken).json();
        int compared = 0;
        for (JsonNode value : api.get("values")) {
            String name = value.get("name").asText();
            String dimension = value.get("dimension").isNull() ? "" : value.get("dimension").asText();
            WebElement row = driver.findElement(By.cssSelector("section.kpi-card[data-kpi='" + name + "'] tr.kpi-value[data-dimension='" + dimension + "']"));
            WebElement current = row.findElement(By.cssSelector(".kpi-current"));
            if (value.get("current").isNull()) {
                assertThat(current.getText()).isEqualTo("—");
            } else {
                assertThat(Double.parseDouble(current.getAttribute("data-value"))).as(name + " " + dimension).isEqualTo(value.get("current").asDouble());
                String unit = value.get("unit").asText();
                double number = value.get("current").asDouble();
                if (unit.equals("ratio")) {
                    assertThat(current.getText()).isEqualTo(String.format(Locale.ROOT, "%.1f %%", number * 100));
                } else if (unit.equals("count")) {
                    assertThat(current.getText()).isEqualTo(String.format(Locale.ROOT, "%.0f", number));
                } else if (unit.equals("minutes")) {
                    assertThat(current.getText()).isEqualTo(String.format(Locale.ROOT, "%.1f min", number));
                }
            }
            compared++;
        }
        assertThat(compared).isGreaterThan(10);
        // Two builds of the CLI and two of the server: the first succeeded, the others failed.
        WebElement success = driver.findElement(By.cssSelector("section.kpi-card[data-kpi='pipeline_success_rate'] tr.kpi-value"));
        assertThat(success.findElement(By.cssSelector(".kpi-current")).getText()).isEqualTo("25.0 %");
        assertThat(success.findElement(By.cssSelector(".kpi-target")).getText()).isEqualTo("≥ 95.0 % ✗ misses");
        WebElement incidents = driver.findElement(By.cssSelector("section.kpi-card[data-kpi='incidents'] tr.kpi-value[data-dimension='tier 0']"));
        assertThat(incidents.findElement(By.cssSelector(".kpi-current")).getText()).isEqualTo("1");
        assertThat(incidents.findElement(By.cssSelector(".kpi-target")).getText()).isEqualTo("≤ 0 ✗ misses");
        assertThat(driver.findElement(By.cssSelector("section.kpi-card[data-kpi='check_coverage'] .kpi-target")).getText()).startsWith("≥ 100.0 %");
        assertThat(driver.findElements(By.cssSelector("svg.kpi-chart"))).hasSizeGreaterThanOrEqualTo(7);
        // Tall enough for every card, for the README.
        driver.manage().window().setSize(new Dimension(1440, 1900));
        screenshot("kpis");
        driver.manage().window().setSize(new Dimension(1440, 900));
        String docs = System.getProperty("baton.ui.docs");
        if (docs != null && !docs.isBlank()) {
            Files.copy(WebUiBrowserTest.SCREENSHOTS.resolve("kpis.png"), Path.of(docs).resolve("ui-kpis.png"), StandardCopyOption.REPLACE_EXISTING);
        }

        new Select(driver.findElement(By.id("window"))).selectByValue("7d");
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("window=7d"));
        assertThat(driver.findElement(By.id("kpi-window")).getText()).contains("against the 7d before");
        driver.get(fixture.url("/kpis?window=1y"));
        assertThat(driver.findElement(By.id("problem")).getText()).isEqualTo("unknown window '1y'; use 7d, 30d or 90d");
    }

    @Test
    @Order(3)
    void aViewerSeesNoOperatorButtonsAndMaskedPii() throws Exception {
        signIn(viewerToken);
        driver.get(fixture.url("/incidents"));
        assertThat(driver.findElements(By.cssSelector("tr.incident"))).hasSize(1);
        assertThat(driver.findElements(By.cssSelector("button.operator, .incident-actions, details.resolve"))).isEmpty();
        assertThat(driver.findElement(By.id("open-count")).getText()).endsWith("sign in as an operator to acknowledge or resolve");
        String id = driver.findElement(By.cssSelector("tr.incident")).getAttribute("data-incident-id");
        String cookie = driver.manage().getCookieNamed("baton_session").getValue();
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fixture.url("/incidents/" + id + "/resolve")))
                .header("Cookie", "baton_session=" + cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("reason=fixed&note=x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("This needs the operator role; you signed in as viewer.");
        assertThat(fixture.get("/api/v1/incidents/" + id, viewerToken).json().get("status").asText()).isEqualTo("new");

        driver.get(fixture.url("/nodes/model.shop.customers"));
        List<WebElement> emails = driver.findElements(By.cssSelector("#failing-rows td[data-column='email']"));
        assertThat(emails).hasSize(3).allSatisfy(cell -> assertThat(cell.getText()).isEqualTo("***"));
        assertThat(driver.findElement(By.id("failing-rows")).getText()).contains("values of PII columns are masked for viewers")
                .doesNotContain("@mail.example");
        assertThat(driver.findElement(By.cssSelector("#failing-rows td[data-column='first_name']")).getText()).isNotEqualTo("***");
        assertThat(driver.findElement(By.cssSelector("#columns tr[data-column='email']")).getText()).contains("PII");
        screenshot("failing-rows-viewer");
        driver.manage().deleteAllCookies();

        signIn(operatorToken);
        driver.get(fixture.url("/nodes/model.shop.customers"));
        assertThat(driver.findElements(By.cssSelector("#failing-rows td[data-column='email']")))
                .hasSize(3).allSatisfy(cell -> assertThat(cell.getText()).endsWith("@mail.example"));
    }

    @Test
    @Order(4)
    void nodePagesShowFreshnessAndTheRunsFilterByJob() throws IOException {
        signIn(viewerToken);
        driver.get(fixture.url("/nodes/model.shop.orders"));
        WebElement freshness = driver.findElement(By.id("freshness"));
        assertThat(freshness.getAttribute("data-status")).isEqualTo("pass");
        assertThat(freshness.getText()).matches("✓ fresh updated \\d+ (s|min) ago \\(.+ UTC\\); SLA: warn after 12 h, error after 1 d");
        driver.get(fixture.url("/nodes/model.shop.stg_orders"));
        assertThat(driver.findElement(By.id("freshness")).getText()).endsWith("; no freshness SLA");

        driver.findElement(By.linkText("Runs")).click();
        assertThat(driver.findElements(By.cssSelector("#runs tr.run"))).hasSize(4);
        new Select(driver.findElement(By.id("job"))).selectByValue("orders_hourly");
        driver.findElement(By.cssSelector("form.filter button")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("job=orders_hourly"));
        List<WebElement> runs = driver.findElements(By.cssSelector("#runs tr.run"));
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).getText()).contains("build --select orders").contains("✗ failed");
        screenshot("runs-by-job");
        driver.get(fixture.url("/runs?job=nightly"));
        assertThat(driver.findElement(By.id("problem")).getText()).isEqualTo("unknown job 'nightly'; choose one from the list");
    }

    @Test
    @Order(5)
    void aBadKpiTargetStopsServeWithItsLine() {
        Path bad = ServerFixture.shop(temp.resolve("bad-targets"));
        Cli.project(bad, "baton.yml", "name: shop\nkpi_targets:\n  freshness_sla_adherence:\n    tier_0: 180%\n");
        Cli.Result serve = Cli.run("serve", "--port", "0", "--project-dir", bad.toString());
        assertThat(serve.exitCode()).isEqualTo(2);
        assertThat(serve.err().strip()).isEqualTo("error: baton.yml:4:13: kpi_targets.freshness_sla_adherence.tier_0 must be a share such as 98% or 0.98, "
                + "not '180%': a share cannot be more than 100%");
        assertThat(bad.resolve(".baton/server.json")).doesNotExist();
    }

    private void signIn(String token) {
        WebUiBrowserTest.signIn(driver, fixture, token);
    }

    private static void screenshot(String name) throws IOException {
        WebUiBrowserTest.screenshot(driver, name);
    }
}
