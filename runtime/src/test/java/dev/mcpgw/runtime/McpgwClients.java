package dev.mcpgw.runtime;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.net.http.HttpRequest;
import java.time.Duration;

/** Agents of mcpgw in the tests: the MCP Java SDK's client over either of mcpgw's transports. */
final class McpgwClients {

    private McpgwClients() {}

    /**
     * A client of mcpgw at {@code base} (the runtime, or a gateway in front of it) over {@code transport}
     * ({@code sse} or {@code streamable-http}), sending {@code token} (null: none), initialized.
     */
    @SuppressWarnings("deprecation") // the SDK deprecates its client for the legacy SSE transport, which we serve
    static McpSyncClient connect(String base, String transport, String token, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        var built = transport.equals("sse")
                ? HttpClientSseClientTransport.builder(base)
                        .sseEndpoint("/mcpgw/sse")
                        .requestBuilder(request)
                        .build()
                : HttpClientStreamableHttpTransport.builder(base)
                        .endpoint("/mcpgw/mcp")
                        .requestBuilder(request)
                        .build();
        McpSyncClient client = McpClient.sync(built).requestTimeout(timeout).build();
        client.initialize();
        return client;
    }
}
