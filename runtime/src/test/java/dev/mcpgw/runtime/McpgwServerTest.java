package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.StatusJson;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.runtime.auth.ApiTokens;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The mcpgw MCP server, called with the MCP Java SDK's client over both transports: every tool, good and bad input. */
@org.junit.jupiter.api.Tag("nginx")
class McpgwServerTest {

    private static final List<String> TOOLS = List.of(
            "intelligent_tool_finder",
            "list_services",
            "get_server_details",
            "get_service_tools",
            "healthcheck",
            "refresh_service",
            "toggle_service",
            "register_service",
            "remove_service",
            "call_tool");

    @TempDir
    Path work;

    private Path repo;
    private RegistryRuntime runtime;
    private int gatewayPort;
    private String admin;
    private String reader;

    @BeforeEach
    void start() throws Exception {
        repo = TestRegistry.create(
                work.resolve("registry"),
                Map.of(
                        "servers/fininfo.yaml",
                                TestRegistry.entry("fininfo", "http://127.0.0.1:9", true)
                                        .replace(
                                                "description: The fininfo server.",
                                                "description: Market data.\ntags: [finance]"),
                        "servers/weather.yaml", TestRegistry.entry("weather", "http://127.0.0.1:9", false)));
        try (GitStore store = GitStore.open(repo)) {
            ServerStatus status = ServerStatus.builder("fininfo", Health.HEALTHY, Instant.now())
                    .latencyMs(5L)
                    .serverInfo("fininfo", "1.0")
                    .protocolVersion("2025-11-25")
                    .observedRevision(store.tip("main").orElseThrow().name())
                    .tools(
                            List.of(
                                    new ToolInfo(
                                            "get_quote",
                                            "Latest trading price of a company's shares, by ticker symbol.",
                                            JsonMapper.shared()
                                                    .readTree(
                                                            "{\"type\":\"object\",\"properties\":{\"ticker\":{\"type\":\"string\"}}}")),
                                    new ToolInfo(
                                            "company_news",
                                            "Recent news articles about a company.",
                                            JsonMapper.shared().readTree("{\"type\":\"object\"}"))),
                            false)
                    .build();
            store.commit(
                    "status",
                    snapshot -> new dev.mcpgw.core.git.GitStore.Change(
                            Map.of(StatusJson.path("fininfo"), StatusJson.write(status)), "probe"),
                    new PersonIdent("p", "p@p"));
            ApiTokens tokens = new ApiTokens(store, "tokens", null, Clock.systemUTC());
            admin = tokens.create(
                            "agent-admin", Set.of("admins"), Duration.ofHours(1), null, new PersonIdent("t", "t@t"))
                    .token();
            reader = tokens.create("agent", Set.of(), Duration.ofHours(1), null, new PersonIdent("t", "t@t"))
                    .token();
        }
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            gatewayPort = socket.getLocalPort();
        }
        runtime = RegistryRuntime.start(TestRegistry.settings(repo)
                .probing(new RuntimeSettings.Probing(false, Duration.ofHours(1), Duration.ofSeconds(2)))
                // The public name, and the local gateway a test below puts in front (a second name it is reached by).
                .web(new RuntimeSettings.Web(
                        List.of("127.0.0.1:" + gatewayPort), List.of(), dev.mcpgw.runtime.http.TrustedProxies.LOOPBACK))
                .gatewayUrl("https://gateway.example.com")
                .search(true)
                .site(work.resolve("site")));
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private McpSyncClient client(String transport, String token) {
        return McpgwClients.connect("http://127.0.0.1:" + runtime.port(), transport, token, Duration.ofSeconds(20));
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    private static JsonNode json(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as(text(result)).isNotEqualTo(Boolean.TRUE);
        return JsonMapper.shared().readTree(text(result));
    }

    /** The index loads its model in the background; wait until a search answers with results. */
    private static JsonNode find(McpSyncClient client, Map<String, Object> arguments) {
        return await("intelligent_tool_finder answers " + arguments + " with results")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            McpSchema.CallToolResult result = call(client, "intelligent_tool_finder", arguments);
                            // null while the model loads; any other error fails at once in json(result)
                            return Boolean.TRUE.equals(result.isError())
                                            && text(result).contains("loading")
                                    ? null
                                    : json(result);
                        },
                        answer -> answer != null
                                && !answer.path("results").isEmpty()); // the index catches up just after start
    }

    @Test
    void agentsWrittenForTheReferenceKeepTheirParameterNames() throws Exception {
        try (McpSyncClient agent = client("streamable-http", null)) {
            // intelligent_tool_finder(natural_language_query, top_k_services, top_n_tools), as the reference has it
            JsonNode found = find(
                    agent,
                    Map.of(
                            "natural_language_query",
                            "how much is a share of ACME worth?",
                            "top_k_services",
                            1,
                            "top_n_tools",
                            1));
            assertThat(found.path("results")).hasSize(1);
            assertThat(found.path("results").get(0).path("tool_name").asString())
                    .isEqualTo("get_quote");
            assertThat(find(agent, Map.of("natural_language_query", "news about a company", "top_n_tools", 2))
                            .path("results"))
                    .hasSize(2);
            assertThat(text(call(
                            agent,
                            "intelligent_tool_finder",
                            Map.of("query", "stock price", "natural_language_query", "weather"))))
                    .isEqualTo("query and natural_language_query name the same thing; give one of them");
            assertThat(text(call(agent, "intelligent_tool_finder", Map.of("top_n_tools", 2))))
                    .startsWith("query: required");
            // service_path beside path; get_service_tools("/all") answers every enabled server's tools
            assertThat(json(call(agent, "get_server_details", Map.of("service_path", "/fininfo")))
                            .path("num_tools")
                            .asInt())
                    .isEqualTo(2);
            JsonNode all = json(call(agent, "get_service_tools", Map.of("service_path", "/all")));
            assertThat(all.properties()).extracting(Map.Entry::getKey).containsExactly("/fininfo");
            assertThat(all.path("/fininfo").path("tools")).hasSize(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"streamable-http", "sse"})
    void everyToolWorksOverBothTransports(String transport) throws Exception {
        try (McpSyncClient anonymous = client(transport, null)) {
            assertThat(anonymous.listTools().tools())
                    .extracting(McpSchema.Tool::name)
                    .containsExactlyInAnyOrderElementsOf(TOOLS);
            assertThat(anonymous.listTools().tools())
                    .allMatch(tool -> tool.description().length() > 60);

            JsonNode found = find(anonymous, Map.of("query", "how much is a share of ACME worth?", "top_k", 2));
            assertThat(found.path("results").get(0).path("server_id").asString())
                    .isEqualTo("fininfo");
            assertThat(found.path("results").get(0).path("tool_name").asString())
                    .isEqualTo("get_quote");
            assertThat(found.path("results").get(0).path("gateway_url").asString())
                    .isEqualTo("https://gateway.example.com/fininfo/mcp");
            assertThat(found.path("results")
                            .get(0)
                            .path("input_schema")
                            .path("properties")
                            .has("ticker"))
                    .isTrue();
            assertThat(found.path("mode").asString()).startsWith("hybrid");
            assertThat(json(call(
                                    anonymous,
                                    "intelligent_tool_finder",
                                    Map.of("query", "stock", "server_ids", List.of("weather"))))
                            .path("results"))
                    .isEmpty();

            JsonNode services = json(call(anonymous, "list_services", Map.of()));
            assertThat(services).hasSize(2);
            assertThat(services.get(0).path("path").asString()).isEqualTo("/fininfo");
            assertThat(json(call(anonymous, "get_server_details", Map.of("path", "fininfo")))
                            .path("num_tools")
                            .asInt())
                    .isEqualTo(2);
            assertThat(json(call(anonymous, "get_service_tools", Map.of("path", "/fininfo")))
                            .path("tools"))
                    .hasSize(2);
            assertThat(json(call(anonymous, "healthcheck", Map.of()))
                            .path("/weather")
                            .path("status")
                            .asString())
                    .isEqualTo("disabled");

            McpSchema.CallToolResult refused =
                    call(anonymous, "toggle_service", Map.of("path", "/weather", "enabled", true));
            assertThat(refused.isError()).isTrue();
            assertThat(text(refused)).contains("Authorization: Bearer");
        }
        try (McpSyncClient agent = client(transport, reader)) {
            McpSchema.CallToolResult forbidden = call(agent, "remove_service", Map.of("path", "/weather"));
            assertThat(forbidden.isError()).isTrue();
            assertThat(text(forbidden)).contains("agent may not delete servers");
            assertThat(json(call(agent, "refresh_service", Map.of("path", "/fininfo")))
                            .path("status")
                            .asString())
                    .isEqualTo("unreachable");
        }
        WsListener website = new WsListener(); // an open page of the website follows what the tools change
        java.net.http.WebSocket page = WsListener.feed(runtime, website, null);
        website.next(); // the state
        try (McpSyncClient operator = client(transport, admin)) {
            String id = "news-" + transport.replace("-", "");
            JsonNode registered = json(call(
                    operator,
                    "register_service",
                    Map.of(
                            "name",
                            "News",
                            "path",
                            "/" + id,
                            "proxy_pass_url",
                            "http://127.0.0.1:9",
                            "description",
                            "Headlines.",
                            "tags",
                            List.of("news"))));
            assertThat(registered.path("path").asString()).isEqualTo("/" + id);
            McpSchema.CallToolResult invalid = call(
                    operator,
                    "register_service",
                    Map.of("name", "Bad", "path", "/bad", "proxy_pass_url", "ftp://127.0.0.1:9", "description", "x"));
            assertThat(invalid.isError()).isTrue();
            assertThat(text(invalid)).contains("servers/bad.yaml", "proxy_pass_url");

            assertThat(website.until(message -> message.path("servers").has(id))
                            .path("servers")
                            .path(id)
                            .path("health")
                            .asString())
                    .as("the page hears of the registration")
                    .isEqualTo("disabled");
            JsonNode enabled = json(call(operator, "toggle_service", Map.of("path", "/" + id, "enabled", true)));
            assertThat(enabled.path("changed").asBoolean()).isTrue();
            website.until(message -> !message.path("servers")
                    .path(id)
                    .path("health")
                    .asString("disabled")
                    .equals("disabled"));
            // Without enabled, as the reference's toggle_service(service_path): the state is flipped.
            JsonNode flipped = json(call(operator, "toggle_service", Map.of("service_path", "/" + id)));
            assertThat(flipped.path("changed").asBoolean()).as("%s", flipped).isTrue();
            assertThat(website.until(message -> message.path("servers")
                                    .path(id)
                                    .path("health")
                                    .asString("")
                                    .equals("disabled"))
                            .path("servers")
                            .path(id)
                            .path("health")
                            .asString())
                    .as("the flip disabled it")
                    .isEqualTo("disabled");
            assertThat(json(call(operator, "remove_service", Map.of("path", "/" + id)))
                            .path("message")
                            .asString())
                    .as("the same answer as POST /delete")
                    .isEqualTo("Server /" + id + " deleted");
            assertThat(website.until(message -> message.path("servers").has(id)
                            && message.path("servers").path(id).isNull()))
                    .as("and of the removal")
                    .isNotNull();
            McpSchema.CallToolResult gone = call(operator, "remove_service", Map.of("path", "/" + id));
            assertThat(text(gone)).contains("no server is registered at /" + id);
        }
        page.abort();
        try (Git git = Git.open(repo.toFile())) {
            List<String> messages = new java.util.ArrayList<>();
            git.log().setMaxCount(4).call().forEach(commit -> messages.add(commit.getShortMessage()));
            assertThat(messages)
                    .containsExactly(
                            "Delete /news-" + transport.replace("-", ""),
                            "Disable /news-" + transport.replace("-", ""),
                            "Enable /news-" + transport.replace("-", ""),
                            "Register /news-" + transport.replace("-", "") + " (News)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"streamable-http", "sse"})
    void badSearchInputGetsClearErrors(String transport) throws Exception {
        try (McpSyncClient client = client(transport, null)) {
            find(client, Map.of("query", "stock"));
            Map<Map<String, Object>, String> cases = Map.of(
                    Map.of("query", ""), "query",
                    Map.of("query", "x".repeat(10_000)), "query",
                    Map.of("query", "stock", "top_k", 0), "top_k",
                    Map.of("query", "stock", "top_k", -1), "top_k",
                    Map.of("query", "stock", "top_k", 1_000_000), "top_k",
                    Map.of("query", "stock", "top_k", 2.5), "top_k",
                    Map.of("query", "stock", "tags", "finance"), "tags");
            cases.forEach((arguments, message) -> {
                McpSchema.CallToolResult result = call(client, "intelligent_tool_finder", arguments);
                assertThat(result.isError()).as(arguments.toString()).isTrue();
                assertThat(text(result)).as(arguments.toString()).contains(message);
            });
        }
    }

    @org.junit.jupiter.api.Test
    void theHttpSearchAnswersWithWhatToCallAndRefusesBadInput() throws Exception {
        Http http = new Http(runtime);
        String auth = "Bearer " + reader;
        assertThat(http.get("/api/search?q=stock").status()).isEqualTo(401);
        Http.Response answer = await("/api/search answers with results once the index is loaded")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> http.get("/api/search?q=share%20price%20of%20ACME&top_k=1", "Authorization", auth),
                        response -> response.status() != 503
                                && !response.json().path("results").isEmpty());
        assertThat(answer.status()).isEqualTo(200);
        JsonNode result = answer.json().path("results").get(0);
        assertThat(result.path("server_id").asString()).isEqualTo("fininfo");
        assertThat(result.path("tool_name").asString()).isEqualTo("get_quote");
        assertThat(result.path("gateway_url").asString()).isEqualTo("https://gateway.example.com/fininfo/mcp");
        assertThat(result.path("score").asDouble()).isPositive();
        assertThat(answer.json().path("results")).hasSize(1);
        assertThat(http.get("/api/search?q=news&tag=finance&server=fininfo", "Authorization", auth)
                        .json()
                        .path("results")
                        .get(0)
                        .path("tool_name")
                        .asString())
                .isEqualTo("company_news");

        for (String bad : new String[] {
            "",
            "q=",
            "q=%20",
            "q=" + "x".repeat(2000),
            "q=stock&top_k=0",
            "q=stock&top_k=-1",
            "q=stock&top_k=1000000",
            "q=stock&top_k=ten"
        }) {
            Http.Response refused = http.get("/api/search?" + bad, "Authorization", auth);
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.json().path("message").asString()).as(bad).containsAnyOf("q:", "top_k:");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @ValueSource(strings = {"streamable-http", "sse"})
    void theGatewayReachesItLikeAnyOtherServer(String transport) throws Exception {
        Path nginxBinary = dev.mcpgw.compiler.Nginx.DEFAULT_BINARY;
        assertThat(java.nio.file.Files.isExecutable(nginxBinary))
                .as("nginx is needed: apt-get install nginx")
                .isTrue();
        int port = gatewayPort;
        String entry = "name: MCP Gateway Registry\npath: /mcpgw\nproxy_pass_url: http://127.0.0.1:" + runtime.port()
                + "/mcpgw\ntransport: " + transport + "\ndescription: The registry's own MCP server.\n";
        dev.mcpgw.compiler.GatewaySettings settings = dev.mcpgw.compiler.GatewaySettings.defaults()
                .withListen(new dev.mcpgw.core.model.HostPort("127.0.0.1", port))
                .withWorkerProcesses("1");
        String config = new dev.mcpgw.compiler.GatewayCompiler(dev.mcpgw.core.validation.RegistryValidator.create())
                .compile(
                        List.of(new dev.mcpgw.core.validation.SourceFile(
                                "servers/mcpgw.yaml", entry.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                        settings)
                .config();
        dev.mcpgw.compiler.NginxDeployer deployer = new dev.mcpgw.compiler.NginxDeployer(
                new dev.mcpgw.compiler.Nginx(nginxBinary, work.resolve("gateway")));
        assertThat(deployer.deploy(config, true).ok()).isTrue();
        try {
            String gateway = "http://127.0.0.1:" + port;
            @SuppressWarnings("deprecation")
            var built = transport.equals("sse")
                    ? HttpClientSseClientTransport.builder(gateway)
                            .sseEndpoint("/mcpgw/sse")
                            .build()
                    : HttpClientStreamableHttpTransport.builder(gateway)
                            .endpoint("/mcpgw/mcp")
                            .build();
            // nginx is starting: retried while the client fails (a RuntimeException); a wrong answer fails at once.
            // 10 s as before, plus one attempt's request timeout (the old loop let its last attempt finish).
            await("the gateway on port " + port + " reaches /mcpgw over " + transport)
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(RuntimeException.class)
                    .until(() -> {
                        try (McpSyncClient client = McpClient.sync(built)
                                .requestTimeout(Duration.ofSeconds(10))
                                .build()) {
                            client.initialize();
                            assertThat(client.getServerInfo().name()).isEqualTo("mcpgw");
                            assertThat(json(call(client, "list_services", Map.of())))
                                    .hasSize(2);
                            return true;
                        }
                    });
        } finally {
            deployer.stop(Duration.ofSeconds(10));
        }
    }
}
