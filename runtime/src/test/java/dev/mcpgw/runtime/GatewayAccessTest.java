package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.compiler.GatewayCompiler;
import dev.mcpgw.compiler.GatewaySettings;
import dev.mcpgw.compiler.Nginx;
import dev.mcpgw.compiler.NginxDeployer;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.examples.CurrentTime;
import dev.mcpgw.examples.McpHttpServer;
import dev.mcpgw.runtime.auth.ApiTokens;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compile --auth: nginx asks the runtime about every MCP request; access.yaml decides. Real nginx, runtime, MCP server. */
@org.junit.jupiter.api.Tag("nginx")
class GatewayAccessTest {

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyMcpRequestIsCheckedAgainstAccessYaml() throws Exception {
        Path nginxBinary = Nginx.DEFAULT_BINARY;
        assertThat(Files.isExecutable(nginxBinary))
                .as("nginx is needed: apt-get install nginx")
                .isTrue();
        try (McpHttpServer time = McpHttpServer.start(
                CurrentTime.definition(Clock.systemUTC(), null),
                McpHttpServer.Transport.STREAMABLE_HTTP,
                "127.0.0.1",
                0)) {
            String upstream = "http://127.0.0.1:" + time.port();
            Path repo = TestRegistry.create(
                    work.resolve("registry"),
                    Map.of(
                            "servers/time.yaml", TestRegistry.entry("time", upstream, true),
                            "servers/clock.yaml", TestRegistry.entry("clock", upstream, true),
                            "access.yaml", "groups:\n  analysts:\n    servers:\n      time: {tools: \"*\"}\n"));
            String analyst;
            String guest;
            try (GitStore store = GitStore.open(repo)) {
                ApiTokens tokens = new ApiTokens(store, "tokens", null, Clock.systemUTC());
                analyst = tokens.create(
                                "ana", Set.of("analysts"), Duration.ofHours(1), null, new PersonIdent("t", "t@t"))
                        .token();
                guest = tokens.create("gus", Set.of("guests"), Duration.ofHours(1), null, new PersonIdent("t", "t@t"))
                        .token();
            }
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            try (RegistryRuntime runtime = RegistryRuntime.start(TestRegistry.settings(repo)
                    .gatewayUrl("http://127.0.0.1:" + port)
                    .probing(new RuntimeSettings.Probing(false, Duration.ofHours(1), Duration.ofSeconds(2))))) {
                GatewaySettings settings = GatewaySettings.defaults()
                        .withListen(new HostPort("127.0.0.1", port))
                        .withRuntime(UpstreamUrl.parse("http://127.0.0.1:" + runtime.port()))
                        .withWorkerProcesses("1")
                        .withAuth(true);
                NginxDeployer deployer = new NginxDeployer(new Nginx(nginxBinary, work.resolve("gateway")));
                try (GitStore store = GitStore.open(repo)) {
                    GatewayCompiler.Result compiled = new GatewayCompiler(RegistryValidator.create())
                            .compile(
                                    SourceFile.entryFiles(
                                            store.files(store.tip("main").orElseThrow(), "servers")),
                                    settings);
                    assertThat(deployer.deploy(compiled.config(), true).ok()).isTrue();
                }
                try {
                    awaitUp(port);
                    HttpResponse<String> anonymous = get(port, "/time/mcp", null);
                    assertThat(anonymous.statusCode())
                            .as("a missing token is 401, not 500")
                            .isEqualTo(401);
                    String challenge =
                            anonymous.headers().firstValue("WWW-Authenticate").orElse("");
                    assertThat(challenge)
                            .startsWith("Bearer ")
                            .contains("resource_metadata=\"http://127.0.0.1:" + port
                                    + "/.well-known/oauth-protected-resource/time/mcp\"");
                    assertThat(anonymous.body()).contains("\"error\":\"unauthorized\"", "\"server\":\"time\"");
                    HttpResponse<String> metadata = get(port, "/.well-known/oauth-protected-resource/time/mcp", null);
                    assertThat(metadata.statusCode()).isEqualTo(200);
                    assertThat(metadata.body()).contains("\"resource\":\"http://127.0.0.1:" + port + "/time/mcp\"");

                    HttpResponse<String> forbidden = get(port, "/time/mcp", guest);
                    assertThat(forbidden.statusCode()).isEqualTo(403);
                    assertThat(forbidden
                                    .headers()
                                    .firstValue("WWW-Authenticate")
                                    .orElse(""))
                            .contains("error=\"insufficient_scope\"");
                    assertThat(get(port, "/clock/mcp", analyst).statusCode())
                            .as("not granted")
                            .isEqualTo(403);
                    assertThat(get(port, "/time/mcp", "mcpgw_000000000000_" + "x".repeat(43))
                                    .headers()
                                    .firstValue("WWW-Authenticate")
                                    .orElse(""))
                            .contains("error=\"invalid_token\"");

                    HttpResponse<String> initialize = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/time/mcp"))
                                    .header("Authorization", "Bearer " + analyst)
                                    .header("Content-Type", "application/json")
                                    .header("Accept", "application/json, text/event-stream")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                                                    + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                                                    + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(initialize.statusCode())
                            .as(initialize.body() + " " + Files.readString(work.resolve("gateway/logs/error.log")))
                            .isEqualTo(200);
                    try (McpSyncClient client = McpClient.sync(
                                    HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                                            .endpoint("/time/mcp")
                                            .requestBuilder(HttpRequest.newBuilder()
                                                    .header("Authorization", "Bearer " + analyst))
                                            .build())
                            .requestTimeout(Duration.ofSeconds(10))
                            .build()) {
                        client.initialize();
                        McpSchema.CallToolResult result =
                                client.callTool(McpSchema.CallToolRequest.builder(CurrentTime.TOOL)
                                        .arguments(Map.of("timezone", "UTC"))
                                        .build());
                        assertThat(((McpSchema.TextContent) result.content().get(0)).text())
                                .startsWith("The current time");
                    }

                    try (GitStore store = GitStore.open(repo)) {
                        ApiTokens tokens = new ApiTokens(store, "tokens", null, Clock.systemUTC());
                        tokens.revoke(analyst.substring(6, 18), new PersonIdent("t", "t@t"));
                    }
                    await("the gateway refuses the revoked token")
                            .atMost(Duration.ofSeconds(5))
                            .pollInterval(Duration.ofMillis(100))
                            .untilAsserted(() -> assertThat(
                                            get(port, "/time/mcp", analyst).statusCode())
                                    .as("a revoked token stops working within seconds")
                                    .isEqualTo(401));
                } finally {
                    deployer.stop(Duration.ofSeconds(10));
                }
            }
        }
    }

    private void awaitUp(int port) throws Exception {
        // Fails saying so after 10 s (it used to give up silently and let a later assertion fail instead).
        // ignoreExceptionsInstanceOf, not ignoreException: that one ignores IOException itself only, not the
        // ConnectException nginx's port gives while it starts.
        await("the gateway answers /health")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(java.io.IOException.class)
                .until(() -> get(port, "/health", null).statusCode() == 200);
    }
}
