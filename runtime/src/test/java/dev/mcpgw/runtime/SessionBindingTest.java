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
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An MCP session belongs to the caller that opened it (gateway with access checks), attacked for real: a second
 * user allowed on the same servers learns the first one's session id and tries to call tools in it, end it, and
 * post into the first one's SSE stream. Session ids and query strings stay out of the gateway's access log.
 */
@org.junit.jupiter.api.Tag("nginx")
class SessionBindingTest {

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    private static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

    @TempDir
    Path work;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int port;

    @Test
    void anotherCallerCannotUseEndOrPostIntoASessionItDidNotOpen() throws Exception {
        assertThat(Files.isExecutable(Nginx.DEFAULT_BINARY))
                .as("nginx is needed: apt-get install nginx")
                .isTrue();
        try (McpHttpServer time = McpHttpServer.start(
                        CurrentTime.definition(Clock.systemUTC(), null),
                        McpHttpServer.Transport.STREAMABLE_HTTP,
                        "127.0.0.1",
                        0);
                McpHttpServer legacy = McpHttpServer.start(
                        CurrentTime.definition(Clock.systemUTC(), null), McpHttpServer.Transport.SSE, "127.0.0.1", 0)) {
            Path repo = TestRegistry.create(
                    work.resolve("registry"),
                    Map.of(
                            "servers/time.yaml", TestRegistry.entry("time", "http://127.0.0.1:" + time.port(), true),
                            "servers/legacy.yaml",
                                    TestRegistry.entry("legacy", "http://127.0.0.1:" + legacy.port(), true)
                                            .replace("transport: streamable-http", "transport: sse"),
                            "access.yaml",
                                    "groups:\n  staff:\n    servers:\n      time: {tools: \"*\"}\n"
                                            + "      legacy: {tools: \"*\"}\n"));
            String ana;
            String bob;
            try (GitStore store = GitStore.open(repo)) {
                ApiTokens tokens = new ApiTokens(store, "tokens", null, Clock.systemUTC());
                ana = tokens.create("ana", Set.of("staff"), Duration.ofHours(1), null, new PersonIdent("t", "t@t"))
                        .token();
                bob = tokens.create("bob", Set.of("staff"), Duration.ofHours(1), null, new PersonIdent("t", "t@t"))
                        .token();
            }
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
                Path prefix = work.resolve("gateway");
                NginxDeployer deployer = new NginxDeployer(new Nginx(Nginx.DEFAULT_BINARY, prefix));
                try (GitStore store = GitStore.open(repo)) {
                    GatewayCompiler.Result compiled = new GatewayCompiler(RegistryValidator.create())
                            .compile(
                                    SourceFile.entryFiles(
                                            store.files(store.tip("main").orElseThrow(), "servers")),
                                    settings);
                    assertThat(deployer.deploy(compiled.config(), true).ok()).isTrue();
                }
                try {
                    TestRegistry.await(
                            () -> post("/time/mcp", ana, null, INITIALIZE).statusCode(), s -> s == 200);
                    streamable(ana, bob);
                    sse(ana, bob);
                    // The access log: methods and paths, never a query string or a session id.
                    // nginx flushes it every second: wait for the line of the last message posted, Ana's accepted one.
                    Path accessLog = prefix.resolve("logs/access.log");
                    String log = await("nginx's access log holds Ana's accepted POST /legacy/message")
                            .atMost(Duration.ofSeconds(5))
                            .pollInterval(Duration.ofMillis(100))
                            .until(
                                    () -> Files.exists(accessLog) ? Files.readString(accessLog) : "",
                                    content -> content.lines()
                                            .anyMatch(line ->
                                                    line.matches(".*\"POST /legacy/message [^\"]*\" 20[0-2] .*")));
                    assertThat(log).contains("POST /legacy/message").doesNotContain("sessionId", "mcpgw_session", "?");
                } finally {
                    deployer.stop(Duration.ofSeconds(10));
                }
            }
        }
    }

    private void streamable(String ana, String bob) throws Exception {
        HttpResponse<String> opened = post("/time/mcp", ana, null, INITIALIZE);
        String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(session).as("the id handed out carries its caller's tag").matches(".+\\.[A-Za-z0-9_-]{22}");
        post("/time/mcp", ana, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertThat(post("/time/mcp", ana, session, LIST).statusCode()).isEqualTo(200);

        HttpResponse<String> stolen = post("/time/mcp", bob, session, LIST);
        assertThat(stolen.statusCode()).isEqualTo(404);
        assertThat(stolen.body()).contains("\"code\":-32001").doesNotContain("current_time");
        String untagged = session.substring(0, session.lastIndexOf('.'));
        assertThat(post("/time/mcp", bob, untagged, LIST).statusCode())
                .as("the upstream's own id")
                .isEqualTo(404);
        assertThat(post("/time/mcp", ana, untagged, LIST).statusCode())
                .as("even for its owner")
                .isEqualTo(404);
        HttpResponse<String> ended = send(HttpRequest.newBuilder(uri("/time/mcp"))
                .header("Authorization", "Bearer " + bob)
                .header("Mcp-Session-Id", session)
                .DELETE());
        assertThat(ended.statusCode()).isEqualTo(404);
        assertThat(post("/time/mcp", ana, session, LIST).body())
                .as("still Ana's, still alive")
                .contains("\"name\":\"current_time\"");
    }

    private void sse(String ana, String bob) throws Exception {
        HttpResponse<InputStream> stream = http.send(
                HttpRequest.newBuilder(uri("/legacy/sse"))
                        .header("Authorization", "Bearer " + ana)
                        .header("Accept", "text/event-stream")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        String endpoint = null;
        for (String line = events.readLine(); line != null && endpoint == null; line = events.readLine()) {
            if (line.startsWith("data:")) {
                endpoint = line.substring(5).strip();
            }
        }
        assertThat(endpoint).startsWith("/legacy/message?").contains("&mcpgw_session=");
        String message = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2024-11-05\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
        assertThat(post(endpoint, bob, null, message).statusCode())
                .as("Bob posting into Ana's stream")
                .isEqualTo(404);
        for (String method : new String[] {"PUT", "PATCH", "DELETE", "GET"}) {
            // an upstream may take messages by any method: the session is checked whatever the method
            HttpResponse<String> other =
                    send(HttpRequest.newBuilder(uri(endpoint.substring(0, endpoint.indexOf("&mcpgw_session="))))
                            .header("Authorization", "Bearer " + bob)
                            .header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString(message)));
            assertThat(other.statusCode())
                    .as("Bob's %s into Ana's stream", method)
                    .isEqualTo(method.equals("DELETE") || method.equals("GET") ? 404 : 405);
            assertThat(other.body())
                    .as("refused by the gateway, not left to the upstream")
                    .contains(
                            method.equals("DELETE") || method.equals("GET")
                                    ? "Session not found"
                                    : "method_not_allowed");
        }
        String bare = endpoint.substring(0, endpoint.indexOf("&mcpgw_session="));
        assertThat(post(bare, bob, null, message).statusCode()).isEqualTo(404);
        assertThat(post(bare, ana, null, message).statusCode()).isEqualTo(404);
        assertThat(post(endpoint, ana, null, message).statusCode())
                .as("Ana's own endpoint")
                .isBetween(200, 202);
        String answer = null;
        for (String line = events.readLine(); line != null && answer == null; line = events.readLine()) {
            if (line.startsWith("data:") && line.contains("serverInfo")) {
                answer = line;
            }
        }
        assertThat(answer).as("the answer arrives in Ana's stream").isNotNull();
        stream.body().close();
    }

    private HttpResponse<String> post(String path, String token, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-11-25");
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
