package dev.mcpgw.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.site.testing.HeadlessChromium;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import tools.jackson.databind.json.JsonMapper;

/** The generated site in Debian's Chromium (headless), served over HTTP like any static host would. */
@org.junit.jupiter.api.Tag("chromium")
class SiteBrowserIT {

    @TempDir
    Path work;

    private HttpServer http;
    private ChromeDriver browser;
    private String base;

    @BeforeEach
    void start() throws Exception {
        Path site = work.resolve("site");
        new SiteGenerator()
                .generate(
                        List.of(
                                entry("time", "Tells the time in any zone.", Transport.STREAMABLE_HTTP, true),
                                entry("fin", "Stock quotes for ticker symbols.", Transport.SSE, true),
                                entry("old", "A retired server.", Transport.STREAMABLE_HTTP, false)),
                        Map.of(
                                "time",
                                ServerStatus.builder("time", Health.HEALTHY, Instant.parse("2026-11-24T11:00:00Z"))
                                        .latencyMs(4L)
                                        .serverInfo("currenttime", "1.0")
                                        .protocolVersion("2025-11-25")
                                        .observedRevision("rev")
                                        .tools(
                                                List.of(
                                                        new ToolInfo(
                                                                "current_time",
                                                                "Current time.",
                                                                JsonMapper.shared()
                                                                        .readTree(
                                                                                "{\"type\":\"object\",\"properties\":{\"timezone\":"
                                                                                        + "{\"type\":\"string\",\"description\":\"IANA zone\"}}}"))),
                                                false)
                                        .build()),
                        new SiteGenerator.Settings("http://127.0.0.1:8080", Instant.parse("2026-11-24T12:00:00Z")),
                        site);
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            Path file = site.resolve(exchange.getRequestURI().getPath().substring(1))
                    .normalize();
            if (!file.startsWith(site) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            String name = file.getFileName().toString();
            exchange.getResponseHeaders()
                    .add(
                            "Content-Type",
                            name.endsWith(".html")
                                    ? "text/html; charset=utf-8"
                                    : name.endsWith(".css")
                                            ? "text/css"
                                            : name.endsWith(".js") ? "text/javascript" : "application/json");
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        base = "http://127.0.0.1:" + http.getAddress().getPort() + "/";

        browser = HeadlessChromium.start(work.resolve("profile"));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (http != null) {
            http.stop(0);
        }
    }

    private static ServerEntry entry(String id, String description, Transport transport, boolean enabled) {
        return ServerEntry.builder(
                        new ServerId(id),
                        "Server " + id,
                        description,
                        UpstreamUrl.parse("http://127.0.0.1:8001"),
                        transport)
                .enabled(enabled)
                .build();
    }

    private List<String> visibleCards() {
        return browser.findElements(By.cssSelector(".card")).stream()
                .filter(WebElement::isDisplayed)
                .map(card -> card.findElement(By.cssSelector("h3")).getText())
                .toList();
    }

    @Test
    void cardsFiltersSearchThemeAndToolSchemaWorkInARealBrowser() throws Exception {
        browser.get(base + "index.html");
        assertThat(visibleCards()).containsExactly("Server fin", "Server old", "Server time");

        browser.findElement(By.cssSelector("[data-filter=disabled]")).click();
        assertThat(visibleCards()).containsExactly("Server old");
        browser.findElement(By.cssSelector("[data-filter=issues]")).click();
        assertThat(visibleCards()).containsExactly("Server fin");
        browser.findElement(By.cssSelector("[data-filter=all]")).click();

        browser.findElement(By.id("search")).sendKeys("current time");
        // "current" is only in a tool's name: the page matches it once search-index.json has arrived.
        new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(10))
                .until(driver ->
                        driver.findElement(By.id("result-count")).getText().equals("1 server"));
        assertThat(visibleCards()).containsExactly("Server time");

        assertThat(browser.findElement(By.tagName("html")).getAttribute("data-theme"))
                .isEqualTo("light");
        browser.findElement(By.id("theme-toggle")).click();
        browser.navigate().refresh();
        assertThat(browser.findElement(By.tagName("html")).getAttribute("data-theme"))
                .isEqualTo("dark");

        Path screenshots = Files.createDirectories(Path.of("target", "screenshots"));
        File index = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(
                index.toPath(),
                screenshots.resolve("site-index.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        browser.get(base + "servers/time.html");
        WebElement schema = browser.findElement(By.cssSelector("details.schema pre"));
        assertThat(schema.isDisplayed()).isFalse();
        browser.findElement(By.cssSelector("details.schema summary")).click();
        assertThat(schema.isDisplayed()).isTrue();
        assertThat(schema.getText()).contains("\"timezone\"", "IANA zone");
        assertThat(browser.findElement(By.cssSelector("table.params")).getText())
                .contains("timezone", "string", "IANA zone");
        File page = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(
                page.toPath(),
                screenshots.resolve("site-server.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
