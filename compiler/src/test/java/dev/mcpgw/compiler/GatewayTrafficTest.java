package dev.mcpgw.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.examples.CurrentTime;
import dev.mcpgw.examples.FinInfo;
import dev.mcpgw.examples.McpHttpServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real traffic through the compiled gateway: Debian's nginx in front of MCP servers built with the MCP Java
 * SDK (Streamable HTTP, SSE announcing a root-relative endpoint, a server with two replicas), spoken to by the
 * SDK's client, plus a plain HTTP upstream that echoes what it receives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.Tag("nginx")
class GatewayTrafficTest {

    @TempDir
    static Path work;

    private final List<AutoCloseable> running = new ArrayList<>();
    private McpHttpServer replicaZero;
    private McpHttpServer replicaOne;
    private HttpServer echo;
    private NginxProcess nginx;
    private String gateway;
    private static final String APP = "https://app.example.com";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void startEverything() throws Exception {
        NginxProcess.requireNginx();
        McpHttpServer time = McpHttpServer.start(
                CurrentTime.definition(Clock.systemUTC(), null),
                McpHttpServer.Transport.STREAMABLE_HTTP,
                "127.0.0.1",
                0);
        McpHttpServer fin = McpHttpServer.start(FinInfo.definition(null), McpHttpServer.Transport.SSE, "127.0.0.1", 0);
        replicaZero = McpHttpServer.start(
                CurrentTime.definition(Clock.systemUTC(), "r0"),
                McpHttpServer.Transport.STREAMABLE_HTTP,
                "127.0.0.1",
                0);
        replicaOne = McpHttpServer.start(
                CurrentTime.definition(Clock.systemUTC(), "r1"),
                McpHttpServer.Transport.STREAMABLE_HTTP,
                "127.0.0.1",
                0);
        running.addAll(List.of(time, fin, replicaZero, replicaOne));
        echo = startEcho();

        Path servers = Files.createDirectories(work.resolve("servers"));
        entry(servers, "time", "http://127.0.0.1:" + time.port(), "streamable-http", "");
        entry(servers, "fin", "http://127.0.0.1:" + fin.port(), "sse", "");
        entry(
                servers,
                "ha",
                "http://127.0.0.1:" + replicaZero.port(),
                "streamable-http",
                "replicas: [\"127.0.0.1:" + replicaZero.port() + "\", \"127.0.0.1:" + replicaOne.port() + "\"]\n");
        entry(servers, "echo", "http://127.0.0.1:" + echo.getAddress().getPort() + "/base", "streamable-http", "");
        entry(servers, "off", "http://127.0.0.1:9", "streamable-http", "enabled: false\n");
        entry(servers, "down", "http://127.0.0.1:" + NginxProcess.freePort(), "streamable-http", "");

        int port = NginxProcess.freePort();
        GatewayCompiler.Result result = new GatewayCompiler(RegistryValidator.create())
                .compile(
                        servers,
                        "servers",
                        GatewaySettings.defaults()
                                .withListen(new HostPort("127.0.0.1", port))
                                .withWeb(new GatewaySettings.Web(null, List.of(), List.of(APP))));
        assertThat(result.problems()).isEmpty();
        nginx = NginxProcess.start(work.resolve("prefix"), result.config(), port);
        gateway = "http://127.0.0.1:" + port;
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        for (AutoCloseable server : running) {
            server.close();
        }
        if (echo != null) {
            echo.stop(0);
        }
    }

    private static void entry(Path servers, String id, String url, String transport, String extra) throws IOException {
        Files.writeString(
                servers.resolve(id + ".yaml"),
                "name: " + id + "\npath: /" + id + "\nproxy_pass_url: " + url + "\ntransport: " + transport
                        + "\ndescription: Test server " + id + ".\n" + extra);
    }

    /** A plain upstream that answers with the request line and headers it received, and MCP-ish headers. */
    private static HttpServer startEcho() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            StringBuilder body = new StringBuilder(exchange.getRequestMethod() + " "
                    + exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : "?" + exchange.getRequestURI().getRawQuery())
                    + "\n");
            new TreeMap<>(exchange.getRequestHeaders())
                    .forEach((name, values) -> body.append(name.toLowerCase())
                            .append(": ")
                            .append(String.join(",", values))
                            .append('\n'));
            if (exchange.getRequestURI().getPath().endsWith("/redirect")) {
                exchange.getResponseHeaders()
                        .add(
                                "Location",
                                "http://127.0.0.1:" + server.getAddress().getPort() + "/base/next");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("Mcp-Session-Id", "echo-session-1");
            exchange.getResponseHeaders().add("MCP-Protocol-Version", "2025-11-25");
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer resource_metadata=\"https://x/.well-known\"");
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gateway + path));
    }

    private McpSyncClient streamableClient(String id) {
        return McpClient.sync(HttpClientStreamableHttpTransport.builder(gateway)
                        .endpoint("/" + id + "/mcp")
                        .build())
                .requestTimeout(Duration.ofSeconds(10))
                .clientInfo(
                        McpSchema.Implementation.builder("gateway-test", "1.0").build())
                .build();
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @Test
    void streamableHttpServerInitializesListsAndCallsThroughTheGateway() {
        try (McpSyncClient client = streamableClient("time")) {
            McpSchema.InitializeResult init = client.initialize();

            assertThat(init.serverInfo().name()).isEqualTo("currenttime");
            assertThat(init.protocolVersion()).isEqualTo("2025-11-25");
            assertThat(client.listTools().tools())
                    .extracting(McpSchema.Tool::name)
                    .containsExactly(CurrentTime.TOOL);
            assertThat(text(client.callTool(McpSchema.CallToolRequest.builder(CurrentTime.TOOL)
                            .arguments(Map.of("timezone", "UTC"))
                            .build())))
                    .startsWith("The current time in UTC is ");
        }
    }

    @Test
    @SuppressWarnings(
            "deprecation") // the SDK deprecates its SSE client with the legacy transport; we test that transport
    void sse_server_announcing_a_root_relative_endpoint_works_under_its_prefix() throws Exception {
        try (McpSyncClient client = McpClient.sync(HttpClientSseClientTransport.builder(gateway)
                        .sseEndpoint("/fin/sse")
                        .build())
                .requestTimeout(Duration.ofSeconds(10))
                .build()) {
            client.initialize();

            assertThat(client.getServerInfo().name()).isEqualTo("fininfo");
            McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder(FinInfo.TOOL)
                    .arguments(Map.of("ticker", "AAPL"))
                    .build());
            assertThat(text(result)).contains("POLYGON_API_KEY");
        }
        List<String> log = nginx.awaitAccessLog(line -> line.contains("\"POST /fin/message HTTP/1.1\""));
        assertThat(log).noneMatch(line -> line.contains("\"POST /message"));
        assertThat(log)
                .as("the access log holds no query string: SSE session ids travel in them")
                .noneMatch(line -> line.contains("sessionId"));
    }

    @Test
    void replicatedServerKeepsEverySessionOnTheReplicaThatCreatedIt() {
        Set<String> replicasSeen = new HashSet<>();
        List<McpSyncClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                McpSyncClient client = streamableClient("ha");
                clients.add(client);
                replicasSeen.add(client.initialize().serverInfo().title());
            }
            for (int round = 0; round < 10; round++) {
                for (McpSyncClient client : clients) {
                    McpSchema.CallToolResult result =
                            client.callTool(McpSchema.CallToolRequest.builder(CurrentTime.TOOL)
                                    .arguments(Map.of("timezone", "UTC"))
                                    .build());
                    assertThat(result.isError()).isFalse();
                    assertThat(client.listTools().tools()).hasSize(1);
                }
            }
        } finally {
            clients.forEach(McpSyncClient::close);
        }
        assertThat(replicasSeen)
                .as("new sessions are spread over both replicas")
                .containsExactlyInAnyOrder("Current Time (r0)", "Current Time (r1)");
    }

    @Test
    void replicatedServerHandsOutRoutingEncodedSessionIds() throws Exception {
        HttpResponse<String> init = send(request("/ha/mcp")
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                        + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                        + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}")));

        assertThat(init.statusCode()).isEqualTo(200);
        assertThat(init.headers().firstValue("Mcp-Session-Id"))
                .hasValueSatisfying(id -> assertThat(id).matches("r[01]\\..+"));
    }

    @Test
    void mcpHeadersPassBothWaysUnchanged() throws Exception {
        HttpResponse<String> response = send(request("/echo/mcp?x=1")
                .header("Origin", APP)
                .header("Mcp-Session-Id", "client-session-7")
                .header("MCP-Protocol-Version", "2025-11-25")
                .header("Last-Event-ID", "42")
                .header("Mcp-Method", "tools/call")
                .header("Mcp-Name", "get_stock_quote")
                .header("Mcp-Param-Region", "eu")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .startsWith("POST /base/mcp?x=1\n")
                .contains(
                        "mcp-session-id: client-session-7\n",
                        "mcp-protocol-version: 2025-11-25\n",
                        "last-event-id: 42\n",
                        "mcp-method: tools/call\n",
                        "mcp-name: get_stock_quote\n",
                        "mcp-param-region: eu\n",
                        "x-forwarded-prefix: /echo\n")
                .doesNotContain("accept-encoding");
        assertThat(response.headers().firstValue("Mcp-Session-Id")).hasValue("echo-session-1");
        assertThat(response.headers().firstValue("MCP-Protocol-Version")).hasValue("2025-11-25");
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer resource_metadata=\"https://x/.well-known\"");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(response.headers().firstValue("Vary")).hasValue("Origin");
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers"))
                .hasValueSatisfying(value -> assertThat(value).contains("Mcp-Session-Id", "WWW-Authenticate"));
    }

    @Test
    void deleteAndGetReachTheMcpEndpoint() throws Exception {
        assertThat(send(request("/echo/mcp").DELETE()).body()).startsWith("DELETE /base/mcp\n");
        assertThat(send(request("/echo/mcp").GET()).body()).startsWith("GET /base/mcp\n");
    }

    @Test
    void passesTheRestOfThePathRawWithoutDecodingIt() throws Exception {
        assertThat(send(request("/echo/a%2Fb%0D%0AX-Injected:%201?q=%0A").GET()).body())
                .startsWith("GET /base/a%2Fb%0D%0AX-Injected:%201?q=%0A\n")
                .doesNotContain("x-injected");
    }

    @Test
    void answersABareServerPathFromTheServer() throws Exception {
        assertThat(send(request("/echo").GET()).body()).startsWith("GET /base/\n");
        assertThat(send(request("/echo?a=b").GET()).body()).startsWith("GET /base/?a=b\n");
    }

    @Test
    void rewritesUpstreamRedirectsUnderTheServerPrefix() throws Exception {
        HttpResponse<String> response = send(request("/echo/redirect").GET());

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue("/echo/next");
    }

    @Test
    void answersADisabledServerWith503JsonNamingIt() throws Exception {
        HttpResponse<String> response = send(request("/off/mcp").POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body())
                .isEqualTo("{\"error\":\"server_disabled\",\"server\":\"off\",\"message\":"
                        + "\"This MCP server is disabled in the registry.\"}");
    }

    @Test
    void answersUnknownPathsWith404JsonAndNeverMatchesALongerId() throws Exception {
        for (String path : List.of("/nope/mcp", "/timeline/mcp", "/time-x/mcp", "/", "/TIME/mcp", "/%74ime/mcp")) {
            HttpResponse<String> response = send(request(path).GET());
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body())
                    .as(path)
                    .isEqualTo(
                            "{\"error\":\"not_found\",\"message\":" + "\"No MCP server is registered at this path.\"}");
        }
    }

    @Test
    void refusesDotSegmentsThatCouldClimbOutOfAServer() throws Exception {
        for (String path : List.of("/echo/../time/mcp", "/echo/%2e%2e/x", "/echo/a/..", "/echo/.%2E/x")) {
            assertThat(send(request(path).GET()).statusCode()).as(path).isEqualTo(400);
        }
        // Parsers that read '\\' as '/' (WHATWG, Node) and ';' parameters (Java servlet containers) climb too.
        for (String path : List.of(
                "/echo/..\\admin/mcp",
                "/echo/..%5Cadmin/mcp",
                "/echo/..%5cadmin",
                "/echo\\..\\time/mcp",
                "/echo/..;/time/mcp",
                "/echo/%2e%2e%3b/time/mcp",
                "/echo/.;/x",
                "/echo/a%5C..%5C..%5Ctime")) {
            assertThat(raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\nConnection: close\r\n\r\n"))
                    .as(path)
                    .startsWith("HTTP/1.1 400");
        }
        assertThat(raw("GET /echo/a;b/..x/.hidden/mcp HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                        + "\r\nConnection: close\r\n\r\n"))
                .as("dots and semicolons elsewhere pass")
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void answersAnUnreachableUpstreamWith502Json() throws Exception {
        HttpResponse<String> response = send(request("/down/mcp").POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"error\":\"upstream_unavailable\",\"server\":\"down\"");
    }

    @Test
    void answersCorsPreflightForBrowserClients() throws Exception {
        HttpResponse<String> response = send(request("/time/mcp")
                .header("Origin", APP)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, mcp-session-id, mcp-param-region")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods"))
                .hasValue("GET, POST, DELETE, OPTIONS");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
                .hasValue("content-type, mcp-session-id, mcp-param-region");
    }

    @Test
    void refusesBrowsersOfOtherOriginsAndOtherHostNames() throws Exception {
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"page\",\"version\":\"1\"}}}";
        // Another site's page (the attack: it called a tool through the gateway and read the answer).
        HttpResponse<String> foreign = send(request("/echo/mcp")
                .header("Origin", "http://evil.example.com")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(initialize)));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("\"error\":\"forbidden_origin\"").doesNotContain("POST /base");
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        // Same site, other port: another origin all the same.
        assertThat(send(request("/echo/mcp")
                                .header("Origin", "http://localhost:3000")
                                .POST(HttpRequest.BodyPublishers.ofString(initialize)))
                        .statusCode())
                .isEqualTo(403);
        assertThat(send(request("/time/mcp")
                                .header("Origin", "null")
                                .POST(HttpRequest.BodyPublishers.ofString(initialize)))
                        .statusCode())
                .isEqualTo(403);
        // No CORS approval for a preflight from elsewhere.
        HttpResponse<String> preflight = send(request("/time/mcp")
                .header("Origin", "https://evil.example.com")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();
        // DNS rebinding: evil.example.com resolved to the gateway; the page's own origin, its own host name.
        String rebound = raw("POST /echo/mcp HTTP/1.1\r\nHost: evil.example.com:" + port() + "\r\nOrigin: "
                + "http://evil.example.com:" + port() + "\r\nContent-Type: application/json\r\nContent-Length: "
                + initialize.length() + "\r\nConnection: close\r\n\r\n" + initialize);
        assertThat(rebound).startsWith("HTTP/1.1 421").contains("unknown_host").doesNotContain("POST /base");
        // A same-origin GET sends no Origin: the Host alone tells.
        assertThat(raw("GET /echo/mcp HTTP/1.1\r\nHost: evil.example.com\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 421");
        // The gateway's own names pass, in any case and by any loopback name; /health answers any host.
        assertThat(raw("POST /echo/mcp HTTP/1.1\r\nHost: LOCALHOST:" + port() + "\r\nOrigin: http://localhost:" + port()
                        + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"))
                .startsWith("HTTP/1.1 200");
        assertThat(raw("GET /health HTTP/1.1\r\nHost: 10.1.2.3:" + port() + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    private int port() {
        return URI.create(gateway).getPort();
    }

    /** One request written as is (HttpClient will not send a Host header of our choosing); the whole answer. */
    private String raw(String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void servesHealth() throws Exception {
        HttpResponse<String> response = send(request("/health").GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(response.headers().firstValue("Server")).hasValue("nginx");
    }
}
