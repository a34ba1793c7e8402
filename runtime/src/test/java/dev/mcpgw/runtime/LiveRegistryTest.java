package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.compiler.GatewayCompiler;
import dev.mcpgw.compiler.GatewaySettings;
import dev.mcpgw.compiler.GatewaySettingsFile;
import dev.mcpgw.compiler.Nginx;
import dev.mcpgw.compiler.NginxDeployer;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.logging.LogCapture;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.StatusJson;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.examples.CurrentTime;
import dev.mcpgw.examples.McpHttpServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The runtime's live views: the MCP Registry v0.1 API, status from the status branch, refresh, and --apply. */
@org.junit.jupiter.api.Tag("nginx")
class LiveRegistryTest {

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @TempDir
    Path work;

    private Path registry(int servers) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < servers; i++) {
            files.put("servers/s" + i + ".yaml", TestRegistry.entry("s" + i, "http://127.0.0.1:9", true));
        }
        files.put(
                "servers/weather.yaml",
                TestRegistry.entry("weather", "http://127.0.0.1:9", true)
                        .replace("description: The weather server.", "description: Forecasts, rain or shine."));
        return TestRegistry.create(work.resolve("registry"), files);
    }

    private static RuntimeSettings.Builder quiet(Path repo) {
        return TestRegistry.settings(repo)
                .probing(new RuntimeSettings.Probing(false, Duration.ofHours(1), Duration.ofSeconds(2)))
                .gatewayUrl("https://gateway.example.com");
    }

    @Test
    void theV01ApiPagesSearchesAndAllowsTheGatewaysOrigins() throws Exception {
        try (RegistryRuntime runtime = RegistryRuntime.start(quiet(registry(5)))) {
            Http http = new Http(runtime);
            Http.Response all = http.get("/v0.1/servers", "Origin", "https://gateway.example.com");
            assertThat(all.status()).isEqualTo(200);
            assertThat(all.header("Access-Control-Allow-Origin")).isEqualTo("https://gateway.example.com");
            assertThat(all.header("Vary")).isEqualTo("Origin");
            assertThat(all.json().path("metadata").path("count").asInt()).isEqualTo(6);
            JsonNode first = all.json().path("servers").get(0);
            assertThat(first.path("server").path("name").asString()).isEqualTo("com.example.gateway/s0");
            assertThat(first.path("server").path("remotes").get(0).path("url").asString())
                    .isEqualTo("https://gateway.example.com/s0/mcp");
            assertThat(first.path("_meta").isObject()).isTrue();

            // page through two at a time: every server once, in order
            List<String> seen = new java.util.ArrayList<>();
            String cursor = null;
            do {
                JsonNode page = http.get("/v0.1/servers?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
                        .json();
                page.path("servers")
                        .forEach(item ->
                                seen.add(item.path("server").path("name").asString()));
                cursor = page.path("metadata").path("nextCursor").isString()
                        ? page.path("metadata").path("nextCursor").asString()
                        : null;
                assertThat(cursor == null || cursor.matches("[A-Za-z0-9_-]+"))
                        .as("URL-safe cursor")
                        .isTrue();
            } while (cursor != null);
            assertThat(seen).hasSize(6).doesNotHaveDuplicates().isSorted();

            JsonNode found = http.get("/v0.1/servers?search=RAIN").json();
            assertThat(found.path("servers")).hasSize(1);
            assertThat(found.path("servers").get(0).path("server").path("name").asString())
                    .endsWith("/weather");

            assertThat(http.get("/v0.1/servers/com.example.gateway%2Fweather/versions/latest")
                            .json()
                            .path("server")
                            .path("title")
                            .asString())
                    .isEqualTo("weather server");
            assertThat(http.get("/v0.1/servers/com.example.gateway/weather/versions/latest")
                            .status())
                    .isEqualTo(200);
            assertThat(http.get("/v0.1/servers/com.example.gateway%2Fweather/versions")
                            .json()
                            .path("metadata")
                            .path("count")
                            .asInt())
                    .isEqualTo(1);
            assertThat(http.get("/v0.1/servers/com.example.gateway%2Fweather/versions/9.9.9")
                            .status())
                    .isEqualTo(404);
            assertThat(http.get("/v0.1/servers/com.example.gateway%2Fnope/versions/latest")
                            .status())
                    .isEqualTo(404);
            assertThat(http.get("/v0.1/servers?limit=0").status()).isEqualTo(400);
            assertThat(http.get("/v0.1/servers?limit=abc").status()).isEqualTo(400);
            assertThat(http.get("/v0.1/servers?cursor=not*base64").status()).isEqualTo(400);
            Http.Response preflight = http.method(
                    "OPTIONS", "/v0.1/servers", "Origin", "https://github.com", "Access-Control-Request-Method", "GET");
            // From a trusted gateway (which refuses such origins itself) the runtime answers, but approves nothing.
            assertThat(preflight.header("Access-Control-Allow-Origin"))
                    .as("an origin not allowed gets no CORS approval")
                    .isNull();
            Http.Response own = http.method(
                    "OPTIONS",
                    "/v0.1/servers",
                    "Origin",
                    "https://gateway.example.com",
                    "Access-Control-Request-Method",
                    "GET",
                    "Access-Control-Request-Headers",
                    "Authorization");
            assertThat(own.status()).as("a page may ask before sending a token").isBetween(200, 204);
            assertThat(own.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization");
            assertThat(own.header("Access-Control-Allow-Origin"))
                    .as("the gateway's own origin, named")
                    .isEqualTo("https://gateway.example.com");
        }
    }

    @Test
    void statusWrittenByAnExternalProbeIsFollowedLive() throws Exception {
        Path repo = registry(1);
        try (RegistryRuntime runtime = RegistryRuntime.start(quiet(repo))) {
            WsListener browser = new WsListener();
            java.net.http.WebSocket socket = WsListener.connect(runtime, browser);
            assertThat(browser.next().path("/weather").path("status").asString())
                    .isEqualTo("unknown");
            try (GitStore store = GitStore.open(repo)) {
                ServerStatus healthy = ServerStatus.builder("weather", Health.HEALTHY, Instant.now())
                        .latencyMs(7L)
                        .serverInfo("weather", "1.0")
                        .protocolVersion("2025-11-25")
                        .observedRevision(store.tip("main").orElseThrow().name())
                        .tools(
                                List.of(new ToolInfo(
                                        "forecast",
                                        "Tomorrow's weather.",
                                        JsonMapper.shared().readTree("{\"type\":\"object\"}"))),
                                false)
                        .build();
                store.commit(
                        "status",
                        snapshot -> new dev.mcpgw.core.git.GitStore.Change(
                                Map.of(StatusJson.path("weather"), StatusJson.write(healthy)), "probe"),
                        new PersonIdent("p", "p@p"));
            }
            JsonNode update = browser.until(message -> message.has("/weather"));
            assertThat(update.path("/weather").path("status").asString()).isEqualTo("healthy");
            assertThat(update.path("/weather").path("num_tools").asInt()).isEqualTo(1);
            Http http = new Http(runtime);
            http.login();
            JsonNode tools = http.get("/api/tools/weather").json();
            assertThat(tools.path("tools").get(0).path("name").asString()).isEqualTo("forecast");
            socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }

    @Test
    void aStatusBranchWrittenByAScriptIsReadByFileNameAndUnreadableFilesAreCounted() throws Exception {
        Path repo = registry(1);
        try (RegistryRuntime runtime = RegistryRuntime.start(quiet(repo))) {
            String byScript = "{\"health\": \"healthy\", \"checked_at\": \"" + Instant.now() + "\", \"tools\": "
                    + "[{\"name\": \"forecast\", \"description\": \"Tomorrow's weather.\"}]}\n";
            try (GitStore store = GitStore.open(repo)) {
                store.commit(
                        "status",
                        snapshot -> new dev.mcpgw.core.git.GitStore.Change(
                                Map.of(
                                        "servers/weather.json",
                                                byScript.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                        "servers/ghost.json",
                                                "{\"health\": \"fine\"}"
                                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                                "written by a script"),
                        new PersonIdent("p", "p@p"));
            }
            Http http = new Http(runtime);
            http.login();
            JsonNode tools = TestRegistry.await(
                    () -> http.get("/api/tools/weather").json(),
                    answer -> answer.path("tools").size() == 1);
            assertThat(tools.path("tools").get(0).path("name").asString()).isEqualTo("forecast");
            assertThat(http.get("/api/server_details/weather")
                            .json()
                            .path("health")
                            .asString())
                    .isEqualTo("healthy");
            assertThat(http.get("/health")
                            .json()
                            .path("unreadable_status_files")
                            .asInt())
                    .isEqualTo(1);
            assertThat(http.get("/metrics").body()).contains("mcpgw_unreadable_status_files 1.0");
            assertThat(log.lines())
                    .anyMatch(line -> line.contains("servers/ghost.json") && line.contains("health: 'fine'"));
        }
    }

    @Test
    void refreshProbesARealServerNowAndRecordsItsTools() throws Exception {
        try (McpHttpServer time = McpHttpServer.start(
                CurrentTime.definition(Clock.systemUTC(), null),
                McpHttpServer.Transport.STREAMABLE_HTTP,
                "127.0.0.1",
                0)) {
            Path repo = TestRegistry.create(
                    work.resolve("registry"),
                    Map.of("servers/time.yaml", TestRegistry.entry("time", "http://127.0.0.1:" + time.port(), true)));
            try (RegistryRuntime runtime = RegistryRuntime.start(quiet(repo))) {
                Http http = new Http(runtime);
                assertThat(http.form("/api/refresh/time", Map.of()).status()).isEqualTo(401);
                http.login();
                Http.Response refreshed = http.form("/api/refresh/time", Map.of());
                assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
                assertThat(refreshed.json().path("status").asString()).isEqualTo("healthy");
                assertThat(refreshed.json().path("num_tools").asInt()).isEqualTo(1);
                JsonNode details = http.get("/api/server_details/time").json();
                assertThat(details.path("tool_list").get(0).path("name").asString())
                        .isEqualTo("current_time");
                assertThat(details.path("tool_list").get(0).path("input_schema").isObject())
                        .isTrue();
                try (GitStore store = GitStore.open(repo)) {
                    assertThat(store.files(store.tip("status").orElseThrow(), "servers"))
                            .containsKey("servers/time.json");
                }
            }
        }
    }

    @Test
    void refreshesInProgressAreBoundedSoSlowServersCannotHoldEveryThread() throws Exception {
        // A server that never answers: each refresh holds a request thread until the probe's timeout (2 s here).
        java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        com.sun.net.httpserver.HttpServer silent =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        silent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        silent.createContext("/", exchange -> {
            arrived.countDown();
            try {
                release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        silent.start();
        try {
            Path repo = TestRegistry.create(
                    work.resolve("registry"),
                    Map.of(
                            "servers/slow.yaml",
                            TestRegistry.entry(
                                    "slow",
                                    "http://127.0.0.1:" + silent.getAddress().getPort(),
                                    true)));
            try (RegistryRuntime runtime = RegistryRuntime.start(quiet(repo))) {
                Http http = new Http(runtime);
                http.login();
                List<java.util.concurrent.CompletableFuture<Http.Response>> held = new java.util.ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    held.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return http.form("/api/refresh/slow", Map.of());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                }
                assertThat(arrived.await(10, java.util.concurrent.TimeUnit.SECONDS))
                        .isTrue();
                Http.Response third = http.form("/api/refresh/slow", Map.of());
                assertThat(third.status()).as(third.body()).isEqualTo(429);
                assertThat(third.json().path("error").asString()).isEqualTo("too_many_calls");
                assertThat(third.json().path("message").asString())
                        .isEqualTo("you have 2 refreshes in progress already, the most one caller may; wait for one "
                                + "to end, then try again");
                release.countDown();
                for (java.util.concurrent.CompletableFuture<Http.Response> one : held) {
                    assertThat(one.get(20, java.util.concurrent.TimeUnit.SECONDS)
                                    .status())
                            .isEqualTo(200);
                }
                assertThat(http.form("/api/refresh/slow", Map.of()).status())
                        .as("the places are given back")
                        .isEqualTo(200);
            }
        } finally {
            release.countDown();
            silent.stop(0);
            ((java.util.concurrent.ExecutorService) silent.getExecutor()).shutdownNow();
        }
    }

    @Test
    void withApplyAToggleIsLiveInNginxWithinASecondOrSo() throws Exception {
        Path nginxBinary = Nginx.DEFAULT_BINARY;
        assertThat(Files.isExecutable(nginxBinary))
                .as("nginx is needed: apt-get install nginx")
                .isTrue();
        Path repo = TestRegistry.create(
                work.resolve("registry"),
                Map.of("servers/weather.yaml", TestRegistry.entry("weather", "http://127.0.0.1:9", false)));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path prefix = work.resolve("gateway");
        Nginx nginx = new Nginx(nginxBinary, prefix);
        GatewaySettings settings = GatewaySettings.defaults()
                .withListen(new HostPort("127.0.0.1", port))
                .withWorkerProcesses("1");
        NginxDeployer deployer = new NginxDeployer(nginx);
        try (GitStore store = GitStore.open(repo)) {
            String config = new GatewayCompiler(RegistryValidator.create())
                    .compile(SourceFile.entryFiles(store.files(store.tip("main").orElseThrow(), "servers")), settings)
                    .config();
            assertThat(deployer.deploy(config, true).ok()).isTrue();
        }
        GatewaySettingsFile.write(prefix, settings);
        try (RegistryRuntime runtime = RegistryRuntime.start(quiet(repo).apply(new RuntimeSettings.Apply(nginx)))) {
            awaitGateway(port, 503);
            Http http = new Http(runtime);
            http.login();
            assertThat(http.form("/toggle/weather", Map.of("enabled", "on")).status())
                    .isEqualTo(200);
            awaitGateway(port, 502); // enabled now; its upstream is down
            assertThat(http.form("/toggle/weather", Map.of()).status()).isEqualTo(200);
            awaitGateway(port, 503);
            assertThat(GatewaySettingsFile.read(prefix)).isEqualTo(settings);

            // A merged entry whose secret this deployment cannot read must not freeze the gateway: the emergency
            // toggle after it still goes live, and the bad entry alone answers 503, saying so in the API.
            try (GitStore store = GitStore.open(repo)) {
                store.commit(
                        "main",
                        snapshot -> new GitStore.Change(
                                Map.of(
                                        "servers/keyed.yaml",
                                        (TestRegistry.entry("keyed", "http://127.0.0.1:9", true)
                                                        + "upstream_headers:\n  - name: X-Api-Key\n"
                                                        + "    value_from: {env: KEYED_NOT_SET}\n")
                                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                                "Add keyed"),
                        new org.eclipse.jgit.lib.PersonIdent("dev", "dev@example.com"));
            }
            assertThat(http.form("/toggle/weather", Map.of("enabled", "on")).status())
                    .isEqualTo(200);
            awaitGateway(port, 502);
            JsonNode keyed = TestRegistry.await(
                    () -> http.get("/api/server_details/keyed").json(), json -> json.has("deployment_error"));
            assertThat(keyed.path("deployment_error").asString()).contains("KEYED_NOT_SET");
            assertThat(http.get("/health").json().path("not_deployed").toString())
                    .isEqualTo("[\"keyed\"]");
            HttpResponse<String> refused = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/keyed/mcp"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("server_not_deployed").doesNotContain("KEYED_NOT_SET");
        } finally {
            deployer.stop(Duration.ofSeconds(10));
        }
    }

    private static void awaitGateway(int port, int expected) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline) {
            status = client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/weather/mcp"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status == expected) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(status).isEqualTo(expected);
    }
}
