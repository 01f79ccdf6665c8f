package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.graph.Graph;
import dev.baton.project.LoadOptions;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.project.ResourceType;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in Debian's headless Chromium, against a real server over the shop example, built
 * three times with the last build failing. Every test leaves a screenshot in
 * {@code target/ui-screenshots}; with {@code -Dbaton.ui.docs=DIR} the graph's is also copied there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");

    static Path temp;
    static Path root;
    static ServerFixture fixture;
    static Project project;
    static String operatorToken;
    static String viewerToken;

    static WebDriver driver;

    @BeforeAll
    static void startServer() throws IOException {
        assertThat(CHROMIUM).as("the browser tests need Debian's chromium: apt-get install -y chromium chromium-driver").isExecutable();
        assertThat(CHROMEDRIVER).as("the browser tests need Debian's chromium-driver: apt-get install -y chromium chromium-driver").isExecutable();
        temp = Files.createTempDirectory("baton-ui");
        root = Cli.copy(Cli.example("shop"), temp.resolve("shop"));
        for (int i = 0; i < 2; i++) {
            Cli.Result build = Cli.run("build", "--project-dir", root.toString());
            assertThat(build.exitCode()).as(build.toString()).isZero();
        }
        Path customers = root.resolve("models/marts/customers.sql");
        String good = Files.readString(customers);
        Files.writeString(customers, "select no_such_column from {{ ref('stg_customers') }}\n");
        Cli.Result failing = Cli.run("build", "--project-dir", root.toString());
        assertThat(failing.exitCode()).as(failing.toString()).isEqualTo(1);
        Files.writeString(customers, good);
        operatorToken = ServerFixture.token(root, "operator");
        viewerToken = ServerFixture.token(root, "viewer");
        project = ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), System.getenv(), true));
        fixture = new ServerFixture(root);
        Files.createDirectories(SCREENSHOTS);
        driver = openBrowser(Files.createTempDirectory(temp, "chromium"));
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
    void graphShowsEveryNodeOfTheProjectWithItsLastStatus() throws IOException {
        signIn(viewerToken);
        driver.get(fixture.url("/graph"));
        List<WebElement> nodes = driver.findElements(By.cssSelector("#graph a.graph-node"));
        long expected = project.nodes().values().stream().filter(node -> node.resourceType() != ResourceType.TEST).count();
        assertThat(expected).isEqualTo(9);
        assertThat(nodes).hasSize((int) expected);
        assertThat(driver.findElement(By.id("graph-summary")).getText()).startsWith("9 nodes (6 models, 3 seeds)");
        assertThat(statusOf("model.shop.customers")).isEqualTo("error");
        assertThat(statusOf("model.shop.orders")).isEqualTo("success");
        assertThat(statusOf("seed.shop.raw_orders")).isEqualTo("success");
        WebElement customers = driver.findElement(By.cssSelector("a.graph-node[data-node-id='model.shop.customers']"));
        assertThat(customers.getText()).contains("customers").contains("model · error").contains("T1");
        screenshot("graph");
        String docs = System.getProperty("baton.ui.docs");
        if (docs != null && !docs.isBlank()) {
            Files.copy(SCREENSHOTS.resolve("graph.png"), Path.of(docs).resolve("ui-graph.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    @Order(2)
    void aClickOnANodeOpensItsPageWithColumnsAndChecks() throws IOException {
        signIn(viewerToken);
        driver.get(fixture.url("/graph"));
        driver.findElement(By.cssSelector("a.graph-node[data-node-id='model.shop.orders']")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/nodes/model.shop.orders"));
        assertThat(driver.findElement(By.id("node-title")).getText()).isEqualTo("MODEL orders T0 ✓ success");
        assertThat(driver.findElement(By.id("facts")).getText()).contains("Owner\nanalytics@shop.example").contains("SLA\n24h")
                .contains("Runbook\nhttps://wiki.shop.example/runbooks/orders");
        List<String> columns = driver.findElements(By.cssSelector("#columns tr.column")).stream().map(row -> row.getAttribute("data-column")).toList();
        Node orders = project.nodes().get("model.shop.orders");
        assertThat(columns).isEqualTo(orders.columns().stream().map(column -> column.name()).toList());
        assertThat(driver.findElement(By.cssSelector("#columns tr[data-column='order_id']")).getText()).contains("✓ unique").contains("✓ not_null");
        Set<String> checkIds = driver.findElements(By.cssSelector("#checks tr.check")).stream().map(row -> row.getAttribute("data-check-id"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = project.nodes().values().stream().filter(node -> node.attachedNode().equals(Optional.of("model.shop.orders")))
                .map(Node::uniqueId).collect(Collectors.toCollection(TreeSet::new));
        assertThat(checkIds).hasSize(7).isEqualTo(expected);
        WebElement unique = driver.findElement(By.cssSelector("#checks tr[data-check-id='test.shop.unique_orders_order_id']"));
        assertThat(unique.getText()).contains("unique").contains("order_id").contains("3/3 passed");
        // The relationships check reads customers, whose last build failed: it was skipped then.
        WebElement relationships = driver.findElement(By.cssSelector("#checks tr[data-check-id^='test.shop.relationships_orders_customer_id']"));
        assertThat(relationships.getText()).contains("↷ skipped").contains("2/3 passed");
        assertThat(driver.findElements(By.cssSelector("#node-runs tbody tr"))).hasSize(3);
        assertThat(driver.findElement(By.id("upstream")).getText()).contains("int_order_payments").contains("stg_orders");
        assertThat(driver.findElement(By.id("raw-sql")).getText()).contains("ref('stg_orders')");
        assertThat(driver.findElements(By.cssSelector("button.operator"))).isEmpty();
    }

    @Test
    @Order(3)
    void theGraphFiltersBySelector() throws IOException {
        signIn(viewerToken);
        driver.get(fixture.url("/graph"));
        WebElement select = driver.findElement(By.id("select"));
        select.sendKeys("+orders");
        driver.findElement(By.id("apply-filter")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("select="));
        Graph graph = Graph.of(project.nodes().values());
        Set<String> expected = new TreeSet<>(graph.ancestors("model.shop.orders", Graph.UNLIMITED));
        expected.add("model.shop.orders");
        expected.removeIf(id -> project.nodes().get(id).resourceType() == ResourceType.TEST);
        Set<String> shown = driver.findElements(By.cssSelector("#graph a.graph-node")).stream().map(node -> node.getAttribute("data-node-id"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(shown).isEqualTo(expected).contains("seed.shop.raw_payments").doesNotContain("model.shop.customers");
        screenshot("graph-filtered");

        driver.get(fixture.url("/graph?select=tag:staging"));
        assertThat(driver.findElements(By.cssSelector("#graph a.graph-node")).stream().map(node -> node.getAttribute("data-node-id")).sorted().toList())
                .containsExactly("model.shop.stg_customers", "model.shop.stg_orders", "model.shop.stg_payments");

        driver.get(fixture.url("/graph?select=colour:red"));
        assertThat(driver.findElement(By.id("problem")).getText()).contains("colour");
        assertThat(driver.findElements(By.cssSelector("#graph a.graph-node"))).isEmpty();
    }

    @Test
    @Order(4)
    void anOperatorStartsABuildAndWatchesItFinish() throws IOException {
        signIn(operatorToken);
        driver.get(fixture.url("/graph?select=%2Bcustomers"));
        driver.findElement(By.id("build-selection")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlMatches("/runs/[0-9a-f-]{36}$"));
        new WebDriverWait(driver, Duration.ofSeconds(120)).ignoring(StaleElementReferenceException.class).until(ExpectedConditions.attributeToBe(By.id("run-status"), "data-state", "done"));
        assertThat(driver.findElement(By.id("run-status")).getText()).isEqualTo("✓ success");
        assertThat(driver.findElement(By.id("exit-code")).getText()).isEqualTo("0");
        List<WebElement> results = driver.findElements(By.cssSelector("#timeline tr.node-result"));
        // int_order_payments is ephemeral: compiled into orders, never run on its own.
        assertThat(results.stream().map(row -> row.getAttribute("data-node-id")).filter(id -> id.startsWith("model.")).sorted().toList())
                .containsExactly("model.shop.customers", "model.shop.orders", "model.shop.stg_customers",
                        "model.shop.stg_orders", "model.shop.stg_payments");
        assertThat(results).allSatisfy(row -> assertThat(row.getAttribute("data-status")).isIn("success", "pass"));
        assertThat(driver.findElement(By.id("parallelism")).getText()).matches("\\d+ nodes over .+; at most \\d+ at once");
        assertThat(driver.findElement(By.id("rerun")).getText()).isEqualTo("Run again: baton build --select=+customers");
        assertThat(driver.findElement(By.id("run-log")).getText()).contains("Completed successfully");
        screenshot("run");

        String first = driver.getCurrentUrl();
        driver.findElement(By.id("rerun")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.not(ExpectedConditions.urlToBe(first)));
        new WebDriverWait(driver, Duration.ofSeconds(120)).ignoring(StaleElementReferenceException.class)
                .until(ExpectedConditions.attributeToBe(By.id("run-status"), "data-state", "done"));
        assertThat(driver.getCurrentUrl()).matches(".*/runs/[0-9a-f-]{36}$");
        assertThat(driver.findElement(By.id("run-status")).getText()).isEqualTo("✓ success");

        driver.get(fixture.url("/graph"));
        assertThat(statusOf("model.shop.customers")).isEqualTo("success");
        driver.get(fixture.url("/runs"));
        assertThat(driver.findElements(By.cssSelector("#runs tr.run"))).hasSize(5);
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("status"))).selectByValue("failed");
        driver.findElement(By.cssSelector("form.filter button")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("status=failed"));
        assertThat(driver.findElements(By.cssSelector("#runs tr.run"))).hasSize(1);
        assertThat(driver.findElement(By.cssSelector("#runs tr.run")).getText()).contains("✗ failed");
        screenshot("runs");
    }

    @Test
    @Order(5)
    void aViewerSeesNoOperatorButtonsAndMayNotStartRuns() throws Exception {
        signIn(viewerToken);
        assertThat(driver.findElement(By.id("role")).getText()).isEqualTo("viewer");
        driver.get(fixture.url("/graph"));
        assertThat(driver.findElements(By.cssSelector("button.operator"))).isEmpty();
        driver.get(fixture.url("/runs"));
        driver.findElement(By.cssSelector("#runs tr.run a")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("timeline")));
        assertThat(driver.findElements(By.cssSelector("button.operator"))).isEmpty();
        assertThat(driver.findElements(By.id("rerun"))).isEmpty();

        String cookie = driver.manage().getCookieNamed("baton_session").getValue();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fixture.url("/runs")))
                .header("Cookie", "baton_session=" + cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("command=build")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("This needs the operator role; you signed in as viewer.");
    }

    @Test
    @Order(6)
    void searchFindsColumnsFromEveryPage() throws IOException {
        signIn(viewerToken);
        driver.get(fixture.url("/runs"));
        driver.findElement(By.id("search-box")).sendKeys("lifetime");
        WebElement suggestion = new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#search-suggest li a")));
        assertThat(suggestion.getText()).isEqualTo("customers model · column customer_lifetime_value");
        screenshot("search");
        suggestion.click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/nodes/model.shop.customers"));
        driver.get(fixture.url("/search?q=analytics"));
        assertThat(driver.findElement(By.id("result-count")).getText()).isEqualTo("2 results");
    }

    @Test
    @Order(7)
    void anUnknownTokenIsRefused() {
        driver.get(fixture.url("/graph"));
        assertThat(driver.getCurrentUrl()).endsWith("/sign-in?next=%2Fgraph");
        driver.findElement(By.id("token")).sendKeys("btn_not-a-token");
        driver.findElement(By.id("sign-in")).click();
        assertThat(new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("problem"))).getText())
                .isEqualTo("This token is not known to this server: it was deleted, or belongs to another project's state store.");
    }

    @Test
    @Order(8)
    void aProjectOfTwoThousandModelsOpensByFolder() throws IOException {
        Path big = temp.resolve("big");
        Cli.project(big, "baton.yml", "name: big\n", "seeds/raw_a.csv", "id\n1\n");
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            String sql = i == 0 ? "select * from {{ ref('raw_a') }}\n"
                    : "select * from {{ ref('m" + String.format("%04d", Math.max(0, i - 1 - random.nextInt(Math.min(i, 200)))) + "') }}\n";
            Cli.project(big, String.format("models/area_%02d/m%04d.sql", i % 20, i), sql);
        }
        String token = ServerFixture.token(big, "viewer");
        try (ServerFixture large = new ServerFixture(big)) {
            driver.get(large.url("/sign-in"));
            driver.findElement(By.id("token")).sendKeys(token);
            driver.findElement(By.id("sign-in")).click();
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains("/graph"));
            List<WebElement> folders = driver.findElements(By.cssSelector("#graph a.graph-folder"));
            assertThat(folders).hasSize(21);
            assertThat(folders.stream().mapToInt(folder -> Integer.parseInt(folder.getAttribute("data-members"))).sum()).isEqualTo(2001);
            assertThat(driver.findElements(By.cssSelector("#graph a.graph-node"))).isEmpty();
            screenshot("large-folders");
            driver.findElement(By.cssSelector("a.graph-folder[data-folder='models/area_03']")).click();
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains("select=path"));
            assertThat(driver.findElements(By.cssSelector("#graph a.graph-node"))).hasSize(100);
            driver.get(large.url("/graph?view=nodes"));
            assertThat(driver.findElements(By.cssSelector("#graph a.graph-node"))).hasSize(2001);
            screenshot("large-nodes");
            driver.manage().deleteAllCookies();
        }
    }

    private String statusOf(String nodeId) {
        return driver.findElement(By.cssSelector("a.graph-node[data-node-id='" + nodeId + "']")).getAttribute("data-status");
    }

    private void signIn(String token) {
        signIn(driver, fixture, token);
    }

    /** Signs in with a token on the server's sign-in page and waits for the graph it lands on. */
    static void signIn(WebDriver driver, ServerFixture fixture, String token) {
        driver.get(fixture.url("/sign-in"));
        driver.findElement(By.id("token")).sendKeys(token);
        driver.findElement(By.id("sign-in")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/graph"));
    }

    /** Debian's Chromium through its chromedriver, with a fresh profile: nothing is downloaded. */
    static WebDriver openBrowser(Path profile) {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1440,900");
        WebDriver browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1440, 900));
        return browser;
    }

    private static void screenshot(String name) throws IOException {
        screenshot(driver, name);
    }

    /** Saves what the browser shows as {@code SCREENSHOTS/<name>.png}, for a person to look at. */
    static void screenshot(WebDriver driver, String name) throws IOException {
        File file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
