package dev.mcpgw.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.examples.CurrentTime;
import dev.mcpgw.examples.FinInfo;
import dev.mcpgw.examples.McpHttpServer;
import dev.mcpgw.site.testing.HeadlessChromium;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The project's definition of "the registry works": the README's {@code ./mcpgw up}, then a new user's journey in
 * a real browser through the gateway - sign in with the printed password, register a server through the form, see
 * its card arrive without a reload and its tools on its page once probed, find its tool by a need in plain words,
 * disable it in its page (the gateway answers 503), edit it, delete it - every step shown live, without a reload,
 * and in Git. Screenshots of each step: target/journey/.
 */
@org.junit.jupiter.api.Tag("chromium")
@org.junit.jupiter.api.Tag("nginx")
class RegistryJourneyIT {

    private static final Path LAUNCHER = Path.of("..", "mcpgw").toAbsolutePath().normalize();
    private static final Path SCREENSHOTS = Path.of("target", "journey").toAbsolutePath();

    @TempDir
    Path work;

    @Test
    void theRegistryWorks() throws Exception {
        int gateway = freePort();
        int runtime = freePort(); // not 7860: the mcpgw entry must follow where up moves the runtime
        int time = freePort();
        Path servers = Files.createDirectories(work.resolve("servers"));
        Files.writeString(
                servers.resolve("currenttime.yaml"),
                Files.readString(LAUNCHER.resolveSibling("servers/currenttime.yaml"))
                        .replace("127.0.0.1:8001", "127.0.0.1:" + time));
        Files.copy(LAUNCHER.resolveSibling("servers/mcpgw.yaml"), servers.resolve("mcpgw.yaml"));
        Path state = work.resolve("state");
        ProcessBuilder builder = new ProcessBuilder(
                        LAUNCHER.toString(),
                        "up",
                        "--servers",
                        servers.toString(),
                        "--state",
                        state.toString(),
                        "--port",
                        Integer.toString(gateway),
                        "--runtime-port",
                        Integer.toString(runtime))
                .redirectErrorStream(true);
        builder.environment().remove("ADMIN_PASSWORD");
        builder.environment().remove("SECRET_KEY");
        Process up = builder.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))
                        .lines()
                        .forEach(lines::add),
                "up-output");
        reader.setDaemon(true);
        reader.start();
        // The server the user registers: stock quotes over SSE, on this machine.
        McpHttpServer stocks =
                McpHttpServer.start(FinInfo.definition(null), McpHttpServer.Transport.SSE, "127.0.0.1", 0);
        String gatewayUrl = "http://127.0.0.1:" + gateway;
        HttpClient http = HttpClient.newHttpClient();
        try {
            String password = awaitStarted(lines);

            // ---- the README's promises before the browser: a second up is refused, an agent calls a tool
            Process second = new ProcessBuilder(
                            LAUNCHER.toString(),
                            "up",
                            "--servers",
                            servers.toString(),
                            "--state",
                            state.toString(),
                            "--port",
                            Integer.toString(gateway),
                            "--runtime-port",
                            Integer.toString(runtime),
                            "--no-search")
                    .redirectErrorStream(true)
                    .start();
            String refused = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue())
                    .as("a second up on the same state folder")
                    .isEqualTo(1);
            assertThat(refused).contains("another mcpgw up is already running from", "pid " + up.pid());
            try (McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(gatewayUrl)
                            .endpoint("/currenttime/mcp")
                            .build())
                    .requestTimeout(Duration.ofSeconds(10))
                    .build()) {
                client.initialize();
                McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder(CurrentTime.TOOL)
                        .arguments(Map.of("timezone", "Europe/Paris"))
                        .build());
                assertThat(((McpSchema.TextContent) result.content().get(0)).text())
                        .startsWith("The current time in Europe/Paris is");
            }
            assertThat(get(http, gatewayUrl + "/mcpgw/mcp").statusCode())
                    .as("/mcpgw follows --runtime-port (no 502)")
                    .isNotEqualTo(502);
            assertThat(get(http, gatewayUrl + "/servers/mcpgw.html").body())
                    .as("and the probe may reach it")
                    .contains("Last check")
                    .doesNotContain("own listener", "never (no status yet)");
            for (String file : List.of(
                    "/",
                    "/index.html",
                    "/servers.json",
                    "/search-index.json",
                    "/assets/site.js",
                    "/servers/currenttime.html")) {
                assertThat(get(http, gatewayUrl + file).statusCode())
                        .as("the gateway serves " + file)
                        .isEqualTo(200);
            }
            java.net.http.HttpResponse<String> cors = http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(gatewayUrl + "/v0.1/servers"))
                            .header("Origin", gatewayUrl)
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(cors.headers().firstValue("Access-Control-Allow-Origin"))
                    .as("the registry API's CORS headers " + "pass the gateway, for its own origin")
                    .hasValue(gatewayUrl);
            assertThat(http.send(
                                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(gatewayUrl + "/mcpgw/mcp"))
                                            .header("Origin", "https://evil.example.com")
                                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("mcpgw up accepts local origins only")
                    .isEqualTo(403);

            ChromeDriver browser = HeadlessChromium.start(work.resolve("profile"));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                wait.ignoring(StaleElementReferenceException.class); // cards and pages are swapped live

                // 1. open the site, sign in with the printed password
                browser.get(gatewayUrl + "/");
                wait.until(
                        driver -> driver.findElement(By.id("built")).getText().equals("Live"));
                browser.findElement(By.id("signin-open")).click();
                browser.findElement(By.cssSelector("#signin-form input[name=username]"))
                        .sendKeys("admin");
                browser.findElement(By.cssSelector("#signin-form input[name=password]"))
                        .sendKeys(password);
                browser.findElement(By.cssSelector("#signin-form button[type=submit]"))
                        .click();
                wait.until(driver ->
                        driver.findElement(By.id("account-user")).getText().equals("admin"));
                screenshot(browser, "1-signed-in");

                // 2. register a server through the form; its card arrives without a reload and is probed
                browser.findElement(By.id("register-open")).click();
                browser.findElement(By.cssSelector("#register-form input[name=name]"))
                        .sendKeys("Stock quotes");
                browser.findElement(By.cssSelector("#register-form input[name=path]"))
                        .sendKeys("/stocks");
                browser.findElement(By.cssSelector("#register-form input[name=proxy_pass_url]"))
                        .sendKeys("http://127.0.0.1:" + stocks.port());
                new org.openqa.selenium.support.ui.Select(
                                browser.findElement(By.cssSelector("#register-form select[name=transport]")))
                        .selectByValue("sse");
                browser.findElement(By.cssSelector("#register-form textarea[name=description]"))
                        .sendKeys("Share prices for listed companies.");
                browser.findElement(By.cssSelector("#register-form input[name=enabled]"))
                        .click();
                browser.findElement(By.cssSelector("#register-form button[type=submit]"))
                        .click();
                wait.until(driver ->
                        text(driver, ".card[data-id=stocks] [data-role=health]").equals("healthy"));
                assertThat(text(browser, ".card[data-id=stocks] [data-role=tools]"))
                        .isEqualTo("1");
                assertThat(browser.findElement(By.id("count-all")).getText()).isEqualTo("3");
                assertThat(lastCommit(state)).isEqualTo("Register /stocks (Stock quotes)");
                screenshot(browser, "2-registered");

                // ... and its tools show on its page
                browser.findElement(By.cssSelector(".card[data-id=stocks] h3 a"))
                        .click();
                wait.until(driver -> !driver.findElements(By.cssSelector("#server-page .tool code"))
                        .isEmpty());
                assertThat(text(browser, "#server-page .tool code")).isEqualTo(FinInfo.TOOL);
                assertThat(text(browser, "#server-page [data-role=health]")).isEqualTo("healthy");
                screenshot(browser, "3-server-page");

                // 3. search by a need, in plain words
                browser.findElement(By.cssSelector(".detail a[href='../index.html']"))
                        .click();
                wait.until(driver ->
                        driver.findElement(By.id("account-user")).getText().equals("admin"));
                browser.findElement(By.id("search")).sendKeys("do I have tools to get stock information?");
                wait.until(driver -> !driver.findElements(By.cssSelector("#tool-results .tool-match code"))
                        .isEmpty());
                assertThat(text(browser, "#tool-results .tool-match code")).isEqualTo(FinInfo.TOOL);
                assertThat(text(browser, "#tool-results .tool-match a")).contains("/stocks");
                screenshot(browser, "4-search");

                // 4. disable it in its page: the gateway answers 503, the page and the card say disabled
                browser.get(gatewayUrl + "/servers/stocks.html");
                wait.until(driver -> driver.findElement(By.cssSelector("#server-page [data-action=toggle]"))
                        .isDisplayed());
                browser.findElement(By.cssSelector("#server-page [data-action=toggle]"))
                        .click();
                wait.until(driver ->
                        text(driver, "#server-page [data-role=health]").equals("disabled"));
                assertThat(lastCommit(state)).isEqualTo("Disable /stocks");
                // The page follows the runtime; nginx follows once serve --apply has reloaded it. Until then
                // /stocks/sse is still the server's endless stream: each try gives up after 2 s and tries again.
                HttpResponse<String> answer = await("the gateway answers 503 on /stocks/sse once disabled")
                        .atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(200))
                        .ignoreException(java.net.http.HttpTimeoutException.class)
                        .until(
                                () -> http.send(
                                        HttpRequest.newBuilder(URI.create(gatewayUrl + "/stocks/sse"))
                                                .timeout(Duration.ofSeconds(2))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString()),
                                response -> response.statusCode() == 503);
                assertThat(answer.statusCode())
                        .as("the gateway follows the page")
                        .isEqualTo(503);
                assertThat(answer.body()).contains("\"server\":\"stocks\"", "disabled");
                screenshot(browser, "5-disabled");

                // 5. edit its description: the page shows it without a reload
                browser.findElement(By.cssSelector("#server-page [data-action=edit]"))
                        .click();
                wait.until(driver -> driver.findElement(By.id("edit-dialog")).isDisplayed());
                browser.findElement(By.cssSelector("#edit-form textarea[name=description]"))
                        .clear();
                browser.findElement(By.cssSelector("#edit-form textarea[name=description]"))
                        .sendKeys("Share prices, delayed 15 minutes.");
                browser.findElement(By.cssSelector("#edit-form button[type=submit]"))
                        .click();
                wait.until(driver ->
                        text(driver, "#server-page .description").equals("Share prices, delayed 15 minutes."));
                assertThat(lastCommit(state)).startsWith("Edit /stocks");
                screenshot(browser, "6-edited");

                // 6. delete it: the page says so, its card is gone, its page answers 404
                browser.findElement(By.cssSelector("#server-page [data-action=delete]"))
                        .click();
                browser.switchTo().alert().accept();
                wait.until(driver -> text(driver, "#server-page h1").equals("/stocks is not in the registry"));
                assertThat(lastCommit(state)).isEqualTo("Delete /stocks");
                screenshot(browser, "7-deleted");
                browser.get(gatewayUrl + "/");
                wait.until(
                        driver -> driver.findElement(By.id("built")).getText().equals("Live"));
                assertThat(browser.findElements(By.cssSelector(".card[data-id=stocks]")))
                        .isEmpty();
                assertThat(browser.findElement(By.id("count-all")).getText()).isEqualTo("2");
                assertThat(get(http, gatewayUrl + "/servers/stocks.html").statusCode())
                        .isEqualTo(404);
                screenshot(browser, "8-gone");
            } finally {
                browser.quit();
            }
        } finally {
            stocks.close();
            up.toHandle().destroy(); // SIGTERM, as Ctrl-C would stop it; Process.destroy would also close its output
            assertThat(up.waitFor(30, TimeUnit.SECONDS))
                    .as("up stops on SIGTERM")
                    .isTrue();
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(List.copyOf(lines)).as("up says it stopped").contains("up: stopped");
        assertThat(Files.readString(state.resolve("logs/runtime.log")))
                .as("a normal start logs no failure")
                .doesNotContain("apply failed");
        try (ServerSocket again = new ServerSocket(gateway, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("nginx was stopped with it").isEqualTo(gateway);
        }
    }

    /** Waits for up's "Ctrl-C stops everything"; the generated administrator password it printed. */
    private static String awaitStarted(BlockingQueue<String> lines) throws InterruptedException {
        StringBuilder printed = new StringBuilder();
        String password = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (password == null || !printed.toString().contains("Ctrl-C stops everything")) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            assertThat(System.nanoTime()).as("up printed: " + printed).isLessThan(deadline);
            if (line == null) {
                continue;
            }
            printed.append(line).append('\n');
            Matcher signIn = Pattern.compile("Sign in as +admin / (\\S+)").matcher(line);
            if (signIn.find()) {
                password = signIn.group(1);
            }
        }
        assertThat(printed.toString()).contains("generated for this run");
        return password;
    }

    private static String text(org.openqa.selenium.WebDriver browser, String css) {
        List<org.openqa.selenium.WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static String lastCommit(Path state) throws Exception {
        try (Git git = Git.open(state.resolve("registry.git").toFile())) {
            return git.log().setMaxCount(1).call().iterator().next().getShortMessage();
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
