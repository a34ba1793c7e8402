package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.compiler.GatewaySettings;
import dev.mcpgw.core.logging.LogCapture;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.testing.NodeTools.ReferenceServer;
import dev.mcpgw.examples.CurrentTime;
import dev.mcpgw.examples.McpHttpServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Find, then call: an agent configured with mcpgw alone (the MCP Java SDK's client, through the gateway with
 * access checks on, over both of mcpgw's transports) finds a tool by a need and calls it with {@code call_tool},
 * as itself: an allowed tool answers whole (every content type, structured content, tool errors), a tool its
 * group may not call is refused in the gateway's words, servers it may not see are not found, a disabled server
 * is not called; every call is audited and counted.
 */
@Tag("nginx")
@Tag("node")
@Tag("network") // npm installs test-tools/ when .ci/run has not
class CallToolIT {

    private static final String ACCESS = """
            groups:
              agents:
                servers:
                  clock: {tools: "*"}
                  ref: {tools: "*"}
                  time: {tools: [convert_time]}
                  off: {tools: "*"}
                  mcpgw: {tools: "*"}
              operators:
                servers:
                  mcpgw: {tools: "*"}
                registry: [register, toggle, edit, delete, refresh]
            """;

    @TempDir
    Path work;

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @Test
    void anAgentWithOnlyMcpgwFindsAToolAndCallsItAsItselfOverBothTransports() throws Exception {
        try (McpHttpServer clock = McpHttpServer.start(
                        CurrentTime.definition(Clock.systemUTC(), null), McpHttpServer.Transport.SSE, "127.0.0.1", 0);
                McpHttpServer time = McpHttpServer.start(
                        CurrentTime.definition(Clock.systemUTC(), null),
                        McpHttpServer.Transport.STREAMABLE_HTTP,
                        "127.0.0.1",
                        0);
                ReferenceServer reference = ReferenceServer.start("dual")) {
            int gatewayPort = TestGateway.freePort();
            int runtimePort = TestGateway.freePort();
            String timeUrl = "http://127.0.0.1:" + time.port();
            Path repo = TestRegistry.create(
                    work.resolve("registry"),
                    Map.of(
                            "servers/clock.yaml",
                            TestRegistry.entry("clock", "http://127.0.0.1:" + clock.port(), true)
                                    .replace("transport: streamable-http", "transport: sse"),
                            "servers/time.yaml",
                            TestRegistry.entry("time", timeUrl, true),
                            "servers/vault.yaml",
                            TestRegistry.entry("vault", timeUrl, true),
                            "servers/off.yaml",
                            TestRegistry.entry("off", timeUrl, false),
                            "servers/ref.yaml",
                            TestRegistry.entry("ref", "http://127.0.0.1:" + reference.port(), true),
                            "servers/mcpgw.yaml",
                            TestRegistry.mcpgwEntry(runtimePort),
                            "access.yaml",
                            ACCESS));
            String token = TestGateway.token(repo, "agent", Set.of("agents"));
            String operator = TestGateway.token(repo, "operator", Set.of("operators"));
            try (RegistryRuntime runtime = RegistryRuntime.start(TestRegistry.settings(repo)
                            .listen("127.0.0.1", runtimePort)
                            .gatewayUrl("http://127.0.0.1:" + gatewayPort)
                            .search(true));
                    TestGateway gateway = TestGateway.deploy(
                            work.resolve("gateway"),
                            repo,
                            GatewaySettings.defaults()
                                    .withListen(new HostPort("127.0.0.1", gatewayPort))
                                    .withRuntime(UpstreamUrl.parse("http://127.0.0.1:" + runtime.port()))
                                    .withWorkerProcesses("1")
                                    .withAuth(true))) {
                for (String transport : List.of("streamable-http", "sse")) {
                    try (McpSyncClient agent = agent(gatewayPort, transport, token)) {
                        journey(agent, transport, reference);
                    }
                }
                // Every registry right but no server: managing servers grants no call of their tools.
                try (McpSyncClient manager = agent(gatewayPort, "streamable-http", operator)) {
                    CallToolResult refused = call(
                            manager,
                            "call_tool",
                            Map.of("path", "/clock", "tool_name", CurrentTime.TOOL, "arguments", Map.of()));
                    assertThat(refused.isError()).isTrue();
                    assertThat(text(refused)).isEqualTo("no server is registered at /clock");
                }
                String metrics = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port() + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertThat(metrics)
                        .contains("mcpgw_tool_calls_total{outcome=\"ok\",server=\"clock\"} 2.0")
                        .contains("mcpgw_tool_calls_total{outcome=\"tool_error\",server=\"ref\"} 2.0")
                        .contains("mcpgw_tool_calls_total{outcome=\"refused\",server=\"time\"} 2.0");
                assertThat(log.lines())
                        .anyMatch(line -> line.contains("user=agent")
                                && line.contains("action=call_tool server=/clock tool=\"current_time\" outcome=ok"))
                        .anyMatch(line -> line.contains(
                                "action=call_tool server=/time tool=\"current_time\" " + "outcome=refused"));
            }
        }
    }

    private static void journey(McpSyncClient agent, String transport, ReferenceServer reference) throws Exception {
        // Find: the need in plain words; the index follows the probes, so it is asked until it has the tool.
        // While the models load, the finder answers "search_loading" as a tool error: asked again until it finds.
        CallToolResult answer = Awaitility.await("the search finds the clock's tool (" + transport + ")")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> call(
                                agent,
                                "intelligent_tool_finder",
                                Map.of(
                                        "natural_language_query",
                                        "what time is it right now",
                                        "server_ids",
                                        List.of("clock"))),
                        result ->
                                result.isError() != Boolean.TRUE && text(result).contains("\"tool_name\""));
        JsonNode found = json(answer);
        JsonNode hit = found.path("results").get(0);
        assertThat(hit.path("tool_name").asString()).isEqualTo(CurrentTime.TOOL);

        // Call what was found: the SSE upstream answers through the gateway, for this caller.
        CallToolResult now = call(
                agent,
                "call_tool",
                Map.of(
                        "path",
                        "/" + hit.path("server_id").asString(),
                        "tool_name",
                        hit.path("tool_name").asString(),
                        "arguments",
                        Map.of("timezone", "UTC")));
        assertThat(now.isError()).as(text(now)).isNotEqualTo(Boolean.TRUE);
        assertThat(text(now)).startsWith("The current time");

        // The upstream's result comes back whole: content of every type, structured content, a tool error.
        CallToolResult mixed =
                call(agent, "call_tool", Map.of("service_path", "/ref", "tool_name", "test_multiple_content_types"));
        assertThat(mixed.content()).extracting(McpSchema.Content::type).containsExactly("text", "image", "resource");
        assertThat(((McpSchema.ImageContent) mixed.content().get(1)).mimeType()).isEqualTo("image/png");
        CallToolResult audio = call(agent, "call_tool", Map.of("path", "ref", "tool_name", "test_audio_content"));
        assertThat(audio.content()).extracting(McpSchema.Content::type).containsExactly("audio");
        CallToolResult structured =
                call(agent, "call_tool", Map.of("path", "/ref", "tool_name", "test_structured_content"));
        assertThat(JsonMapper.shared()
                        .valueToTree(structured.structuredContent())
                        .toString())
                .isEqualTo("{\"symbol\":\"ACME\",\"price\":12.5}");
        CallToolResult failing = call(agent, "call_tool", Map.of("path", "/ref", "tool_name", "test_error_handling"));
        assertThat(failing.isError()).isTrue();
        assertThat(text(failing)).isEqualTo("This tool intentionally returns an error for testing");

        // A tool of a visible server its group may not call: refused, in the gateway's words.
        CallToolResult forbidden = call(agent, "call_tool", Map.of("path", "/time", "tool_name", "current_time"));
        assertThat(forbidden.isError()).isTrue();
        assertThat(text(forbidden))
                .isEqualTo("access.yaml grants none of your groups (agents) tool current_time of /time");
        // A server it may not see is answered as one that does not exist; nothing of it is revealed.
        CallToolResult hidden = call(agent, "call_tool", Map.of("path", "/vault", "tool_name", "current_time"));
        CallToolResult unknown = call(agent, "call_tool", Map.of("path", "/nowhere", "tool_name", "current_time"));
        assertThat(text(hidden)).isEqualTo("no server is registered at /vault");
        assertThat(text(unknown)).isEqualTo("no server is registered at /nowhere");
        // A disabled server is not called.
        CallToolResult off = call(agent, "call_tool", Map.of("path", "/off", "tool_name", "current_time"));
        assertThat(off.isError()).isTrue();
        assertThat(text(off)).startsWith("/off is disabled");
        // mcpgw's own tools are called directly, never through call_tool (no chain of calls holding threads).
        assertThat(text(call(
                        agent,
                        "call_tool",
                        Map.of("path", "/mcpgw", "tool_name", "call_tool", "arguments", Map.of("path", "/mcpgw")))))
                .isEqualTo("call_tool does not call mcpgw's own tools; call call_tool directly");
        // Bad input names the argument (a missing required one: in the SDK's schema validation words).
        assertThat(text(call(agent, "call_tool", Map.of("path", "/clock")))).contains("'tool_name' not found");
        assertThat(text(call(agent, "call_tool", Map.of("tool_name", "current_time"))))
                .startsWith("path: required");
        // A name that would break a header or an audit line is bad input, not a failure of the registry.
        assertThat(text(call(agent, "call_tool", Map.of("path", "/clock", "tool_name", "current_time\r\nX-Evil: 1"))))
                .isEqualTo("tool_name: a tool's name has no control characters (line breaks, tabs)");
    }

    private static McpSyncClient agent(int gatewayPort, String transport, String token) {
        return McpgwClients.connect("http://127.0.0.1:" + gatewayPort, transport, token, Duration.ofSeconds(60));
    }

    private static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
    }

    private static String text(CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    private static JsonNode json(CallToolResult result) throws Exception {
        return JsonMapper.shared().readTree(text(result));
    }
}
