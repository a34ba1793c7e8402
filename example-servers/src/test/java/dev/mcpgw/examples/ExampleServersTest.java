package dev.mcpgw.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example servers, spoken to directly by the MCP Java SDK client. */
class ExampleServersTest {

    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    private static String text(CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @Test
    void currenttimeAnswersOverStreamableHttp() throws Exception {
        try (McpHttpServer server = McpHttpServer.start(
                        CurrentTime.definition(FIXED, null), McpHttpServer.Transport.STREAMABLE_HTTP, "127.0.0.1", 0);
                McpSyncClient client = McpClient.sync(
                                HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                                        .endpoint("/mcp")
                                        .build())
                        .requestTimeout(Duration.ofSeconds(10))
                        .build()) {
            client.initialize();

            assertThat(client.getServerInfo().name()).isEqualTo("currenttime");
            assertThat(client.listTools().tools())
                    .extracting(McpSchema.Tool::name)
                    .containsExactly(CurrentTime.TOOL);
            CallToolResult paris = client.callTool(McpSchema.CallToolRequest.builder(CurrentTime.TOOL)
                    .arguments(Map.of("timezone", "Europe/Paris"))
                    .build());
            assertThat(text(paris)).isEqualTo("The current time in Europe/Paris is 2026-11-24T13:00:00+01:00.");
            CallToolResult unknown = client.callTool(McpSchema.CallToolRequest.builder(CurrentTime.TOOL)
                    .arguments(Map.of("timezone", "Mars/Olympus"))
                    .build());
            assertThat(unknown.isError()).isTrue();
            assertThat(text(unknown)).startsWith("Unknown time zone 'Mars/Olympus'.");
        }
    }

    @Test
    @SuppressWarnings(
            "deprecation") // the SDK deprecates its SSE client with the legacy transport; we test that transport
    void fininfo_answers_over_sse_with_a_clear_error_without_an_api_key() throws Exception {
        try (McpHttpServer server =
                        McpHttpServer.start(FinInfo.definition(null), McpHttpServer.Transport.SSE, "127.0.0.1", 0);
                McpSyncClient client = McpClient.sync(
                                HttpClientSseClientTransport.builder("http://127.0.0.1:" + server.port())
                                        .sseEndpoint("/sse")
                                        .build())
                        .requestTimeout(Duration.ofSeconds(10))
                        .build()) {
            client.initialize();

            assertThat(client.getServerInfo().name()).isEqualTo("fininfo");
            CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder(FinInfo.TOOL)
                    .arguments(Map.of("ticker", "AAPL"))
                    .build());
            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("set POLYGON_API_KEY");
            CallToolResult bad = client.callTool(McpSchema.CallToolRequest.builder(FinInfo.TOOL)
                    .arguments(Map.of("ticker", "../x"))
                    .build());
            assertThat(text(bad)).contains("is not a ticker symbol");
        }
    }
}
