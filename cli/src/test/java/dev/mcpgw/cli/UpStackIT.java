package dev.mcpgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.examples.CurrentTime;
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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The README's run command as a new user meets it: {@code ./mcpgw up}, then a tool through the gateway, a
 * server switched off in the website with a real browser, the commit in the registry, and 503 from the gateway.
 */
class UpStackIT {

    private static final Path LAUNCHER = Path.of("..", "mcpgw").toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void upServesToolsAndTheWebsiteAndAToggleReachesGitAndTheGateway() throws Exception {
        int gateway = freePort();
        int runtime = freePort();
        int time = freePort();
        Path servers = Files.createDirectories(work.resolve("servers"));
        Files.writeString(servers.resolve("currenttime.yaml"), Files.readString(LAUNCHER.resolveSibling(
                "servers/currenttime.yaml")).replace("127.0.0.1:8001", "127.0.0.1:" + time));
        Path state = work.resolve("state");
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "up", "--servers", servers.toString(),
                "--state", state.toString(), "--port", Integer.toString(gateway), "--runtime-port",
                Integer.toString(runtime), "--no-search").redirectErrorStream(true);
        builder.environment().remove("ADMIN_PASSWORD");
        builder.environment().remove("SECRET_KEY");
        Process up = builder.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(up.getInputStream(),
                StandardCharsets.UTF_8)).lines().forEach(lines::add), "up-output");
        reader.setDaemon(true);
        reader.start();
        try {
            StringBuilder printed = new StringBuilder();
            String password = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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
            Process second = new ProcessBuilder(LAUNCHER.toString(), "up", "--servers", servers.toString(),
                    "--state", state.toString(), "--port", Integer.toString(gateway), "--runtime-port",
                    Integer.toString(runtime), "--no-search").redirectErrorStream(true).start();
            String refused = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as("a second up on the same state folder").isEqualTo(1);
            assertThat(refused).contains("another mcpgw up is already running from", "pid " + up.pid());

            String gatewayUrl = "http://127.0.0.1:" + gateway;
            assertThat(printed.toString()).contains("Registry website   " + gatewayUrl + "/",
                    "currenttime        " + gatewayUrl + "/currenttime/mcp", "generated for this run");

            try (McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(gatewayUrl)
                    .endpoint("/currenttime/mcp").build()).requestTimeout(Duration.ofSeconds(10)).build()) {
                client.initialize();
                McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder(CurrentTime.TOOL)
                        .arguments(Map.of("timezone", "Europe/Paris")).build());
                assertThat(((McpSchema.TextContent) result.content().get(0)).text())
                        .startsWith("The current time in Europe/Paris is");
            }

            ChromeDriver browser = HeadlessChromium.start(work.resolve("profile"));
            try {
                browser.get(gatewayUrl + "/");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.until(driver -> driver.findElement(By.id("signin-open")).isDisplayed());
                browser.findElement(By.id("signin-open")).click();
                browser.findElement(By.cssSelector("#signin-form input[name=username]")).sendKeys("admin");
                browser.findElement(By.cssSelector("#signin-form input[name=password]")).sendKeys(password);
                browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
                wait.until(driver -> driver.findElement(By.id("account-user")).getText().equals("admin"));
                browser.findElement(By.cssSelector(".card[data-id=currenttime] [data-action=toggle]")).click();
                wait.until(driver -> driver.findElement(By.cssSelector(".card[data-id=currenttime] [data-role=health]"))
                        .getText().equals("disabled"));
            } finally {
                browser.quit();
            }
            try (Git git = Git.open(state.resolve("registry.git").toFile())) {
                assertThat(git.log().setMaxCount(1).call().iterator().next().getShortMessage())
                        .isEqualTo("Disable /currenttime");
            }
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest probe = HttpRequest.newBuilder(URI.create(gatewayUrl + "/currenttime/mcp")).build();
            long applied = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            HttpResponse<String> answer = http.send(probe, HttpResponse.BodyHandlers.ofString());
            while (answer.statusCode() != 503 && System.nanoTime() < applied) {
                Thread.sleep(200);
                answer = http.send(probe, HttpResponse.BodyHandlers.ofString());
            }
            assertThat(answer.statusCode()).as("the gateway follows the website's change").isEqualTo(503);
            assertThat(answer.body()).contains("\"server\":\"currenttime\"", "disabled");
        } finally {
            up.toHandle().destroy(); // SIGTERM, as Ctrl-C would stop it; Process.destroy would also close its output
            assertThat(up.waitFor(30, TimeUnit.SECONDS)).as("up stops on SIGTERM").isTrue();
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(List.copyOf(lines)).as("up says it stopped").contains("up: stopped");
        try (ServerSocket again = new ServerSocket(gateway, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("nginx was stopped with it").isEqualTo(gateway);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
