package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import dev.mcpgw.examples.McpHttpServer;
import dev.mcpgw.runtime.auth.ApiTokens;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Governed access end to end, with no gap: every caller x server x tool x transport through real nginx (with
 * the Lua access check), the runtime and MCP Java SDK servers and clients. Each allowed call succeeds, each
 * other one is answered 401 or 403, and tools/list shows exactly the tools the caller may call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.Tag("nginx")
class GatewayAccessMatrixTest {

    private static final List<String> TOOLS = List.of("alpha", "beta", "gamma");
    private static final String ACCESS = """
            groups:
              everything:
                servers:
                  http-tools: {tools: "*"}
                  sse-tools: {tools: "*"}
                  echo-forwarded: {tools: "*"}
                  echo-plain: {tools: "*"}
              some:
                servers:
                  http-tools: {tools: [alpha]}
                  sse-tools: {tools: [alpha, beta]}
              elsewhere:
                servers:
                  sse-tools: {tools: [gamma]}
            """;

    /** Who may call what: caller to server to tools; a server missing means not reachable at all. */
    private static final Map<String, Map<String, Set<String>>> ALLOWED = Map.of(
            "admin",
                    Map.of(
                            "http-tools",
                            Set.copyOf(TOOLS),
                            "sse-tools",
                            Set.copyOf(TOOLS),
                            "hidden",
                            Set.copyOf(TOOLS)),
            "full", Map.of("http-tools", Set.copyOf(TOOLS), "sse-tools", Set.copyOf(TOOLS)),
            "partial", Map.of("http-tools", Set.of("alpha"), "sse-tools", Set.of("alpha", "beta")),
            "mixed", Map.of("http-tools", Set.of("alpha"), "sse-tools", Set.of("alpha", "beta", "gamma")),
            "outsider", Map.of(),
            "anonymous", Map.of(),
            "forged", Map.of());

    @TempDir
    static Path work;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private McpHttpServer streamable;
    private McpHttpServer sse;
    private com.sun.net.httpserver.HttpServer echo;
    private RegistryRuntime runtime;
    private NginxDeployer deployer;
    private int port;

    @BeforeAll
    void start() throws Exception {
        assertThat(Files.isExecutable(Nginx.DEFAULT_BINARY))
                .as("nginx is needed: apt-get install nginx")
                .isTrue();
        assertThat(Path.of("/usr/lib/nginx/modules/ngx_http_lua_module.so"))
                .as("nginx's Lua module is needed: apt-get install libnginx-mod-http-lua")
                .exists();
        streamable = McpHttpServer.start(threeTools(), McpHttpServer.Transport.STREAMABLE_HTTP, "127.0.0.1", 0);
        sse = McpHttpServer.start(threeTools(), McpHttpServer.Transport.SSE, "127.0.0.1", 0);
        String httpUpstream = "http://127.0.0.1:" + streamable.port();
        echo = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        echo.createContext("/", exchange -> {
            StringBuilder seen = new StringBuilder();
            exchange.getRequestHeaders()
                    .forEach((name, values) -> seen.append(name.toLowerCase())
                            .append(": ")
                            .append(String.join(",", values))
                            .append('\n'));
            byte[] bytes = seen.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        echo.start();
        String echoUpstream = "http://127.0.0.1:" + echo.getAddress().getPort();
        Path repo = TestRegistry.create(
                work.resolve("registry"),
                Map.of(
                        "servers/http-tools.yaml", TestRegistry.entry("http-tools", httpUpstream, true),
                        "servers/sse-tools.yaml",
                                TestRegistry.entry("sse-tools", "http://127.0.0.1:" + sse.port(), true)
                                        .replace("streamable-http", "sse"),
                        "servers/hidden.yaml", TestRegistry.entry("hidden", httpUpstream, true),
                        "servers/echo-forwarded.yaml",
                                TestRegistry.entry("echo-forwarded", echoUpstream, true)
                                        + "forward_caller_token: true\n",
                        "servers/echo-plain.yaml", TestRegistry.entry("echo-plain", echoUpstream, true),
                        "access.yaml", ACCESS));
        try (GitStore store = GitStore.open(repo)) {
            ApiTokens issuer = new ApiTokens(store, "tokens", null, Clock.systemUTC());
            Map<String, Set<String>> groups = Map.of(
                    "admin",
                    Set.of("admins"),
                    "full",
                    Set.of("everything"),
                    "partial",
                    Set.of("some"),
                    "mixed",
                    Set.of("some", "elsewhere"),
                    "outsider",
                    Set.of("nobody"));
            for (Map.Entry<String, Set<String>> user : groups.entrySet()) {
                tokens.put(
                        user.getKey(),
                        issuer.create(
                                        user.getKey(),
                                        user.getValue(),
                                        Duration.ofHours(1),
                                        null,
                                        new PersonIdent("t", "t@t"))
                                .token());
            }
        }
        tokens.put("forged", "mcpgw_000000000000_" + "x".repeat(43));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        runtime = RegistryRuntime.start(TestRegistry.settings(repo)
                .gatewayUrl("http://127.0.0.1:" + port)
                .probing(new RuntimeSettings.Probing(true, Duration.ofHours(1), Duration.ofSeconds(5))));
        GatewaySettings settings = GatewaySettings.defaults()
                .withListen(new HostPort("127.0.0.1", port))
                .withRuntime(UpstreamUrl.parse("http://127.0.0.1:" + runtime.port()))
                .withWorkerProcesses("1")
                .withAuth(true);
        deployer = new NginxDeployer(new Nginx(Nginx.DEFAULT_BINARY, work.resolve("gateway")));
        try (GitStore store = GitStore.open(repo)) {
            GatewayCompiler.Result compiled = new GatewayCompiler(RegistryValidator.create())
                    .compile(SourceFile.entryFiles(store.files(store.tip("main").orElseThrow(), "servers")), settings);
            assertThat(deployer.deploy(compiled.config(), true).ok()).isTrue();
        }
        // nginx is starting: connections are refused until it listens; any answer will do
        await("nginx starts and answers /health on port " + port)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(java.io.IOException.class)
                .until(() -> {
                    post("/health", null, "", Map.of());
                    return true;
                });
    }

    @AfterAll
    void stop() throws Exception {
        if (deployer != null) {
            deployer.stop(Duration.ofSeconds(10));
        }
        if (runtime != null) {
            runtime.close();
        }
        if (streamable != null) {
            streamable.close();
        }
        if (sse != null) {
            sse.close();
        }
        if (echo != null) {
            echo.stop(0);
        }
    }

    @Test
    void everyCallerServerToolAndTransportGetsExactlyWhatAccessYamlSays() throws Exception {
        List<String> checked = new ArrayList<>();
        for (String caller : ALLOWED.keySet().stream().sorted().toList()) {
            for (String server : List.of("http-tools", "sse-tools", "hidden")) {
                Set<String> allowed = ALLOWED.get(caller).get(server);
                int refusal = tokens.containsKey(caller) && !caller.equals("forged") ? 403 : 401;
                if (allowed == null) {
                    String where = server.equals("sse-tools") ? "/sse-tools/sse" : "/" + server + "/mcp";
                    HttpResponse<String> connect = server.equals("sse-tools")
                            ? get(where, tokens.get(caller))
                            : post(where, tokens.get(caller), initialize(), Map.of());
                    assertThat(connect.statusCode())
                            .as(caller + " connecting to " + server)
                            .isEqualTo(refusal);
                    assertThat(connect.headers().firstValue("WWW-Authenticate").orElse(""))
                            .contains("resource_metadata=\"http://127.0.0.1:" + port
                                    + "/.well-known/oauth-protected-resource/" + server + "/mcp\"");
                    for (String tool : TOOLS) {
                        assertThat(post(messagePath(server), tokens.get(caller), toolCall(tool), Map.of())
                                        .statusCode())
                                .as(caller + " calling " + server + "/" + tool)
                                .isEqualTo(refusal);
                        checked.add(caller + " " + server + " " + tool + " " + refusal);
                    }
                    continue;
                }
                try (McpSyncClient client = client(server, tokens.get(caller))) {
                    assertThat(client.listTools().tools().stream()
                                    .map(McpSchema.Tool::name)
                                    .collect(Collectors.toSet()))
                            .as(caller + " lists the tools of " + server)
                            .isEqualTo(allowed);
                    for (String tool : TOOLS) {
                        if (allowed.contains(tool)) {
                            McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder(tool)
                                    .arguments(Map.of())
                                    .build());
                            assertThat(((McpSchema.TextContent) result.content().get(0)).text())
                                    .as(caller + " calling " + server + "/" + tool)
                                    .isEqualTo(tool + " was called");
                            checked.add(caller + " " + server + " " + tool + " ok");
                        } else {
                            assertThatThrownBy(() -> client.callTool(McpSchema.CallToolRequest.builder(tool)
                                            .arguments(Map.of())
                                            .build()))
                                    .as(caller + " calling " + server + "/" + tool + " through the SDK");
                            HttpResponse<String> refused =
                                    post(messagePath(server), tokens.get(caller), toolCall(tool), Map.of());
                            assertThat(refused.statusCode())
                                    .as(caller + " calling " + server + "/" + tool)
                                    .isEqualTo(403);
                            assertThat(refused.body()).contains("\"tool\":\"" + tool + "\"");
                            assertThat(refused.headers()
                                            .firstValue("WWW-Authenticate")
                                            .orElse(""))
                                    .contains("error=\"insufficient_scope\"");
                            checked.add(caller + " " + server + " " + tool + " 403");
                        }
                    }
                }
            }
        }
        assertThat(checked).as("callers x servers x tools").hasSize(ALLOWED.size() * 3 * TOOLS.size());
        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .as("what operators watch")
                .contains(
                        "mcpgw_access_checks_total{status=\"401\"}",
                        "mcpgw_access_checks_total{status=\"403\"}",
                        "mcpgw_access_checks_total{status=\"200\"}",
                        "mcpgw_access_decision_seconds_bucket{le=\"0.002\"}");
    }

    @Test
    void toolsListKeepsTheUpstreamsBytesForEveryToolItShows() throws Exception {
        try (McpSyncClient direct = McpClient.sync(
                                HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + streamable.port())
                                        .endpoint("/mcp")
                                        .build())
                        .requestTimeout(Duration.ofSeconds(10))
                        .build();
                McpSyncClient partial = client("http-tools", tokens.get("partial"));
                McpSyncClient mixed = client("sse-tools", tokens.get("mixed"))) {
            direct.initialize();
            List<McpSchema.Tool> all = direct.listTools().tools();
            assertThat(partial.listTools().tools())
                    .containsExactlyElementsOf(all.stream()
                            .filter(tool -> tool.name().equals("alpha"))
                            .toList());
            assertThat(mixed.listTools().tools()).containsExactlyElementsOf(all);
        }
    }

    @Test
    void theRegistrysToolListsShowEachCallerOnlyTheToolsItMayCall() throws Exception {
        String path = "/api/tools/all";
        await("the runtime probed the servers: admin sees their 9 tools")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(toolNames(path, "admin"))
                        .as("the runtime probed the servers")
                        .hasSizeGreaterThanOrEqualTo(9));
        assertThat(toolNames(path, "partial"))
                .containsExactlyInAnyOrder("/http-tools alpha", "/sse-tools alpha", "/sse-tools beta");
        assertThat(toolNames(path, "outsider")).isEmpty();
        assertThat(toolNames(path, "full")).hasSize(6);
    }

    private List<String> toolNames(String path, String caller) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + tokens.get(caller))
                .build();
        var answer = tools.jackson.databind.json.JsonMapper.shared()
                .readTree(
                        http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        List<String> names = new ArrayList<>();
        answer.path("tools")
                .forEach(tool -> names.add(tool.path("server_path").asString() + " "
                        + tool.path("name").asString()));
        return names;
    }

    @Test
    void theCallersTokenStaysAtTheGatewayUnlessTheEntryAsksForIt() throws Exception {
        String token = tokens.get("full");
        String plain =
                post("/echo-plain/mcp", token, toolCall("alpha"), Map.of()).body();
        assertThat(plain)
                .contains("x-mcpgw-user: full", "x-mcpgw-groups: everything")
                .doesNotContain("authorization:", token);
        String forwarded =
                post("/echo-forwarded/mcp", token, toolCall("alpha"), Map.of()).body();
        assertThat(forwarded)
                .contains("x-mcpgw-user: full", "authorization: Bearer ")
                .as("the server gets a token bound to it, never the caller's own")
                .doesNotContain(token);
        java.util.regex.Matcher bound =
                java.util.regex.Pattern.compile("authorization: Bearer (\\S+)").matcher(forwarded);
        assertThat(bound.find()).isTrue();
        String replayed = bound.group(1);
        assertThat(post("/echo-plain/mcp", replayed, toolCall("alpha"), Map.of())
                        .statusCode())
                .as("replayed at another server")
                .isEqualTo(401);
        assertThat(new Http(runtime)
                        .get("/api/server_details/all", "Authorization", "Bearer " + replayed)
                        .status())
                .as("replayed at the registry's API")
                .isEqualTo(401);
        assertThat(post("/echo-forwarded/mcp", replayed, toolCall("alpha"), Map.of())
                        .statusCode())
                .as("good where it was sent")
                .isEqualTo(200);
        assertThat(post(
                                "/echo-plain/mcp",
                                token,
                                toolCall("alpha"),
                                Map.of("X-Mcpgw-User", "admin", "X-Mcpgw-Groups", "admins"))
                        .body())
                .as("identity headers come from the check, never from the caller")
                .contains("x-mcpgw-user: full")
                .doesNotContain("x-mcpgw-user: admin");
    }

    @Test
    void the2026HeadersMustSayWhatTheBodySays() throws Exception {
        String partial = tokens.get("partial");
        HttpResponse<String> disguised = post(
                "/http-tools/mcp", partial, toolCall("gamma"), Map.of("Mcp-Method", "tools/call", "Mcp-Name", "alpha"));
        assertThat(disguised.statusCode())
                .as("a header naming an allowed tool over a body calling another")
                .isEqualTo(400);
        assertThat(disguised.body()).contains("Mcp-Name");
        assertThat(post("/http-tools/mcp", tokens.get("full"), toolCall("gamma"), Map.of("Mcp-Method", "tools/list"))
                        .statusCode())
                .as("even for a caller allowed everything")
                .isEqualTo(400);
        assertThat(post(
                                "/http-tools/mcp",
                                partial,
                                toolCall("gamma"),
                                Map.of("Mcp-Method", "tools/call", "Mcp-Name", "gamma"))
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> session = post("/http-tools/mcp", partial, initialize(), Map.of());
        String id = session.headers().firstValue("Mcp-Session-Id").orElseThrow();
        post(
                "/http-tools/mcp",
                partial,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                Map.of("Mcp-Session-Id", id));
        HttpResponse<String> consistent = post(
                "/http-tools/mcp",
                partial,
                toolCall("alpha"),
                Map.of("Mcp-Session-Id", id, "Mcp-Method", "tools/call", "Mcp-Name", "alpha"));
        assertThat(consistent.statusCode())
                .as("consistent headers and an allowed tool reach the upstream")
                .isEqualTo(200);
        assertThat(consistent.body()).contains("alpha was called");

        // Two Mcp-Name headers: the first allowed, the second not - neither is chosen, the request is refused.
        HttpRequest twice = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/http-tools/mcp"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + partial)
                .header("Mcp-Session-Id", id)
                .header("Mcp-Method", "tools/call")
                .header("Mcp-Name", "alpha")
                .header("Mcp-Name", "gamma")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(toolCall("alpha")))
                .build();
        HttpResponse<String> duplicated = http.send(twice, HttpResponse.BodyHandlers.ofString());
        assertThat(duplicated.statusCode()).isEqualTo(400);
        assertThat(duplicated.body()).contains("Mcp-Name header is sent more than once");
        // Headers without a body to compare them with (a GET, a DELETE) are refused, never trusted alone.
        HttpResponse<String> bodiless = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/http-tools/mcp"))
                        .header("Authorization", "Bearer " + partial)
                        .header("Accept", "text/event-stream")
                        .header("Mcp-Session-Id", id)
                        .header("Mcp-Method", "tools/call")
                        .header("Mcp-Name", "gamma")
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bodiless.statusCode()).isEqualTo(400);
        assertThat(bodiless.body()).contains("has none");
    }

    @Test
    void whatTheCheckDoesNotDecideReachesTheUpstreamAndItsRefusalsSpeakTheClientsEra() throws Exception {
        String full = tokens.get("full");
        HttpResponse<String> session = post("/http-tools/mcp", full, initialize(), Map.of());
        String id = session.headers().firstValue("Mcp-Session-Id").orElseThrow();
        // A method with no rule (one the 2026 revision removed, sent without the URI it needs): the upstream
        // answers it, not the gateway.
        HttpResponse<String> subscribe = post(
                "/http-tools/mcp",
                full,
                "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"resources/subscribe\",\"params\":{}}",
                Map.of("Mcp-Session-Id", id));
        assertThat(subscribe.body())
                .as("the upstream's own JSON-RPC answer")
                .contains("\"id\":11")
                .doesNotContain("bad_request", "needs params");
        // The tasks extension names a task in Mcp-Name: checked by what it is, not refused by its shape.
        HttpResponse<String> task = post(
                "/http-tools/mcp",
                full,
                "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"tasks/get\",\"params\":{\"taskId\":\"t-1\"}}",
                Map.of("Mcp-Session-Id", id, "Mcp-Method", "tasks/get", "Mcp-Name", "t-1"));
        assertThat(task.body()).contains("\"id\":12").doesNotContain("bad_request", "does not match");
        // A 2026 client whose headers disagree with its body: 400 and the revision's JSON-RPC error, with its id.
        HttpResponse<String> mismatch = post(
                "/http-tools/mcp",
                full,
                toolCall("gamma"),
                Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call", "Mcp-Name", "alpha"));
        assertThat(mismatch.statusCode()).isEqualTo(400);
        JsonNode error = JsonMapper.shared().readTree(mismatch.body());
        assertThat(error.path("jsonrpc").asString()).isEqualTo("2.0");
        assertThat(error.path("id").asInt()).isEqualTo(7);
        assertThat(error.path("error").path("code").asInt())
                .as("HeaderMismatch")
                .isEqualTo(-32020);
        assertThat(error.path("error").path("message").asString()).contains("Mcp-Name");
        // A caller limited to some tools sends tools/call without a name: nothing to allow, an invalid request.
        HttpResponse<String> nameless = post(
                "/http-tools/mcp",
                tokens.get("partial"),
                "{\"jsonrpc\":\"2.0\",\"id\":13,\"method\":\"tools/call\",\"params\":{}}",
                Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call"));
        assertThat(nameless.statusCode()).isEqualTo(400);
        assertThat(JsonMapper.shared()
                        .readTree(nameless.body())
                        .path("error")
                        .path("code")
                        .asInt())
                .isEqualTo(-32602);
    }

    @Test
    void bodiesTheCheckCannotReadAreRefusedNotWavedThrough() throws Exception {
        String partial = tokens.get("partial");
        String duplicate = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"alpha\",\"name\":\"gamma\",\"arguments\":{}}}";
        assertThat(post("/http-tools/mcp", partial, duplicate, Map.of()).statusCode())
                .as("duplicate keys could be read two ways")
                .isEqualTo(400);
        String otherCase = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"alpha\",\"Name\":\"gamma\",\"arguments\":{}}}";
        HttpResponse<String> folded = post("/http-tools/mcp", partial, otherCase, Map.of());
        assertThat(folded.statusCode())
                .as("a Go server matches keys case-insensitively: it would call gamma")
                .isEqualTo(400);
        assertThat(folded.body()).contains("differ only in case");
        String batch = "[" + toolCall("alpha") + "," + toolCall("gamma") + "]";
        assertThat(post("/http-tools/mcp", partial, batch, Map.of()).statusCode())
                .as("a batch hiding a call")
                .isEqualTo(403);
        assertThat(post(
                                "/http-tools/mcp",
                                partial,
                                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}",
                                Map.of())
                        .statusCode())
                .as("tools/call without a name")
                .isEqualTo(400);
        assertThat(post("/http-tools/mcp", partial, "not json", Map.of()).statusCode())
                .isEqualTo(400);
        assertThat(post("/http-tools/mcp", partial, toolCall("gamma"), Map.of("Content-Encoding", "gzip"))
                        .statusCode())
                .as("a body the check cannot read")
                .isEqualTo(415);
        String escaped = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"g\\u0061mma\",\"arguments\":{}}}";
        assertThat(post("/http-tools/mcp", partial, escaped, Map.of()).statusCode())
                .as("an escaped tool name is the same tool")
                .isEqualTo(403);
        String big = toolCall("gamma").replace("{}", "{\"pad\":\"" + "x".repeat(200_000) + "\"}");
        assertThat(post("/http-tools/mcp", partial, big, Map.of()).statusCode())
                .as("a body nginx keeps in a file is still checked; " + errorLog())
                .isEqualTo(403);
    }

    private static String errorLog() throws java.io.IOException {
        return "nginx error.log: " + Files.readString(work.resolve("gateway/logs/error.log"));
    }

    @SuppressWarnings("deprecation") // the SDK deprecates its client for the legacy SSE transport, which we route
    private McpSyncClient client(String server, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        String gateway = "http://127.0.0.1:" + port;
        var transport = server.equals("sse-tools")
                ? HttpClientSseClientTransport.builder(gateway)
                        .sseEndpoint("/sse-tools/sse")
                        .requestBuilder(request)
                        .build()
                : HttpClientStreamableHttpTransport.builder(gateway)
                        .endpoint("/" + server + "/mcp")
                        .requestBuilder(request)
                        .build();
        McpSyncClient client =
                McpClient.sync(transport).requestTimeout(Duration.ofSeconds(5)).build();
        client.initialize();
        return client;
    }

    private static String messagePath(String server) {
        return server.equals("sse-tools") ? "/sse-tools/message?sessionId=unknown" : "/" + server + "/mcp";
    }

    private static String toolCall(String tool) {
        return "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":{}}}";
    }

    private static String initialize() {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Three tools whose descriptions and schemas hold what a careless filter trips on: nested "tools" and "name"
     * keys, empty arrays, escapes, non-ASCII text and brackets inside strings.
     */
    private static McpHttpServer.Definition threeTools() {
        List<SyncToolSpecification> specs = new ArrayList<>();
        for (String name : TOOLS) {
            McpSchema.Tool tool = McpSchema.Tool.builder()
                    .name(name)
                    .description("The " + name + " tool: \"quoted\" ]}{[ \\ / ünïcödé ✓ tools")
                    .inputSchema(McpJsonDefaults.getMapper(), """
                            {"type": "object", "properties": {
                              "name": {"type": "string", "description": "not the tool's name"},
                              "tools": {"type": "array", "items": {"type": "object",
                                "properties": {"name": {"type": "string"}}}}},
                             "required": []}""")
                    .build();
            specs.add(SyncToolSpecification.builder()
                    .tool(tool)
                    .callHandler((exchange, request) -> McpSchema.CallToolResult.builder()
                            .addTextContent(name + " was called")
                            .build())
                    .build());
        }
        return new McpHttpServer.Definition(
                new McpSchema.Implementation("three-tools", "Three tools", "1.0.0"),
                "Three tools for access tests.",
                specs);
    }
}
