package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.contract.RegistryV01;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.examples.CurrentTime;
import dev.mcpgw.examples.McpHttpServer;
import dev.mcpgw.site.SiteGenerator;
import dev.mcpgw.site.testing.HeadlessChromium;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The website served by the runtime follows the live status in a real browser. */
@org.junit.jupiter.api.Tag("chromium")
class LiveSiteIT {

    @TempDir
    Path work;

    @Test
    void badgesAndCountsFollowTheProbe() throws Exception {
        McpHttpServer time = McpHttpServer.start(
                CurrentTime.definition(Clock.systemUTC(), null),
                McpHttpServer.Transport.STREAMABLE_HTTP,
                "127.0.0.1",
                0);
        Path repo = work.resolve("registry");
        Files.createDirectories(repo.resolve("servers"));
        Files.writeString(
                repo.resolve("servers/time.yaml"),
                "name: Time\npath: /time\nproxy_pass_url: http://127.0.0.1:" + time.port()
                        + "\ntransport: streamable-http\ndescription: Time.\n");
        try (Git git =
                Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern("servers").call();
            git.commit()
                    .setMessage("servers")
                    .setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com")
                    .call();
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<ServerEntry> entries = RegistryValidator.create()
                .validateDirectory(repo.resolve("servers"), "servers")
                .entries();
        String runtimeUrl = "http://127.0.0.1:" + port;
        Path site = work.resolve("site");
        new SiteGenerator()
                .generate(
                        entries,
                        Map.of(),
                        new SiteGenerator.Settings(
                                "http://127.0.0.1:8080",
                                Instant.now(),
                                RegistryV01.defaultNamespace("http://127.0.0.1:8080"),
                                runtimeUrl),
                        site);

        try (RegistryRuntime runtime = RegistryRuntime.start(
                TestRegistry.settings(repo).listen("127.0.0.1", port).site(site).maxClients(10))) {
            ChromeDriver browser = HeadlessChromium.start(work.resolve("profile"));
            try {
                browser.get(runtimeUrl + "/index.html");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // cards are swapped live
                wait.until(driver -> driver.findElement(By.cssSelector(".card[data-id=time] [data-role=health]"))
                        .getText()
                        .equals("healthy"));
                assertThat(browser.findElement(By.id("built")).getText()).isEqualTo("Live");
                assertThat(browser.findElement(By.id("count-issues")).getText()).isEqualTo("0");
                assertThat(browser.findElement(By.id("count-tools")).getText())
                        .as("the tools statistic counts")
                        .isEqualTo("1");

                // A merged pull request: the card follows the commit, without a reload.
                try (Git git = Git.open(repo.toFile())) {
                    Files.writeString(
                            repo.resolve("servers/time.yaml"),
                            Files.readString(repo.resolve("servers/time.yaml"))
                                    .replace("description: Time.", "description: The time, anywhere."));
                    git.add().addFilepattern("servers").call();
                    git.commit()
                            .setMessage("Describe time")
                            .setAuthor("t", "t@example.com")
                            .setCommitter("t", "t@example.com")
                            .call();
                }
                wait.until(driver -> driver.findElement(By.cssSelector(".card[data-id=time] .description"))
                        .getText()
                        .equals("The time, anywhere."));

                time.close();
                wait.until(driver -> driver.findElement(By.cssSelector(".card[data-id=time] [data-role=health]"))
                        .getText()
                        .equals("unreachable"));
                assertThat(browser.findElement(By.id("count-issues")).getText()).isEqualTo("1");
                assertThat(browser.findElement(By.id("count-healthy")).getText())
                        .isEqualTo("0");
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void aSignedInAdministratorTogglesRegistersAndSeesTheValidatorsMessage() throws Exception {
        Path repo = TestRegistry.create(
                work.resolve("registry"),
                Map.of("servers/weather.yaml", TestRegistry.entry("weather", "http://127.0.0.1:9", true)));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String runtimeUrl = "http://127.0.0.1:" + port;
        List<ServerEntry> entries = RegistryValidator.create()
                .validateDirectory(repo.resolve("servers"), "servers")
                .entries();
        Path site = work.resolve("site");
        new SiteGenerator()
                .generate(
                        entries,
                        Map.of(),
                        new SiteGenerator.Settings(
                                "http://127.0.0.1:8080",
                                Instant.now(),
                                RegistryV01.defaultNamespace("http://127.0.0.1:8080"),
                                runtimeUrl),
                        site);
        try (RegistryRuntime runtime = RegistryRuntime.start(
                TestRegistry.settings(repo).listen("127.0.0.1", port).site(site))) {
            ChromeDriver browser = HeadlessChromium.start(work.resolve("profile"));
            try {
                browser.get(runtimeUrl + "/index.html");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // cards are swapped live
                wait.until(driver -> driver.findElement(By.id("signin-open")).isDisplayed());
                assertThat(browser.findElement(By.cssSelector(".card[data-id=weather] [data-action=toggle]"))
                                .isDisplayed())
                        .as("no controls before signing in")
                        .isFalse();

                browser.findElement(By.id("signin-open")).click();
                browser.findElement(By.cssSelector("#signin-form input[name=username]"))
                        .sendKeys(TestRegistry.ADMIN);
                browser.findElement(By.cssSelector("#signin-form input[name=password]"))
                        .sendKeys("wrong");
                browser.findElement(By.cssSelector("#signin-form button[type=submit]"))
                        .click();
                wait.until(driver -> driver.findElement(By.cssSelector("#signin-form [data-role=error]"))
                        .getText()
                        .contains("wrong user name or password"));
                browser.findElement(By.cssSelector("#signin-form input[name=password]"))
                        .clear();
                browser.findElement(By.cssSelector("#signin-form input[name=password]"))
                        .sendKeys(TestRegistry.PASSWORD);
                browser.findElement(By.cssSelector("#signin-form button[type=submit]"))
                        .click();
                wait.until(driver ->
                        driver.findElement(By.id("account-user")).getText().equals("admin"));

                browser.findElement(By.cssSelector(".card[data-id=weather] [data-action=toggle]"))
                        .click();
                wait.until(driver -> driver.findElement(By.cssSelector(".card[data-id=weather] [data-role=health]"))
                        .getText()
                        .equals("disabled"));
                try (Git git = Git.open(repo.toFile())) {
                    assertThat(git.log().setMaxCount(1).call().iterator().next().getShortMessage())
                            .isEqualTo("Disable /weather");
                }

                browser.findElement(By.id("register-open")).click();
                browser.findElement(By.cssSelector("#register-form input[name=name]"))
                        .sendKeys("News <script>alert(1)</script>");
                browser.findElement(By.cssSelector("#register-form input[name=path]"))
                        .sendKeys("/news");
                browser.findElement(By.cssSelector("#register-form input[name=proxy_pass_url]"))
                        .sendKeys("http://127.0.0.1:9/mcp?token=x");
                browser.findElement(By.cssSelector("#register-form textarea[name=description]"))
                        .sendKeys("Headlines.");
                browser.findElement(By.cssSelector("#register-form button[type=submit]"))
                        .click();
                wait.until(driver -> !driver.findElement(By.cssSelector("#register-form [data-role=error]"))
                        .getText()
                        .isEmpty());
                assertThat(browser.findElement(By.cssSelector("#register-form [data-role=error]"))
                                .getText())
                        .contains("servers/news.yaml", "proxy_pass_url");
                assertThat(browser.findElements(By.tagName("script")).stream()
                                .noneMatch(script ->
                                        script.getAttribute("innerHTML").contains("alert(1)")))
                        .isTrue();

                browser.findElement(By.cssSelector("#register-form input[name=proxy_pass_url]"))
                        .clear();
                browser.findElement(By.cssSelector("#register-form input[name=proxy_pass_url]"))
                        .sendKeys("http://127.0.0.1:9");
                browser.findElement(By.cssSelector("#register-form button[type=submit]"))
                        .click();
                wait.until(
                        driver -> driver.findElement(By.id("notice")).getText().startsWith("Registered /news"));
                // Its card arrives without a reload, the name as text (escaped), in id order.
                wait.until(driver -> !driver.findElements(By.cssSelector(".card[data-id=news] h3 a"))
                        .isEmpty());
                assertThat(browser.findElement(By.cssSelector(".card[data-id=news] h3 a"))
                                .getText())
                        .isEqualTo("News <script>alert(1)</script>");
                assertThat(browser.findElements(By.cssSelector(".card")).stream()
                                .map(card -> card.getAttribute("data-id"))
                                .toList())
                        .containsExactly("news", "weather");
                assertThat(browser.findElement(By.id("count-all")).getText()).isEqualTo("2");
                try (Git git = Git.open(repo.toFile())) {
                    assertThat(git.log().setMaxCount(1).call().iterator().next().getShortMessage())
                            .isEqualTo("Register /news (News <script>alert(1)</script>)");
                }
            } finally {
                browser.quit();
            }
        }
    }
}
