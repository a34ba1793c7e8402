package dev.mcpgw.probe.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/** Opens {@link McpSession}s over either transport, sharing one HTTP client (its threads and connections). */
public final class McpSessions {

    private final HttpClient http;
    private final Duration timeout;
    private final int maxResponseBytes;
    private final boolean everyEra;

    /**
     * Sessions for the probe, which records every protocol version a server offers.
     *
     * @param timeout          the longest a connection attempt or a request may take
     * @param maxResponseBytes the largest answer accepted (a page of tools)
     */
    public McpSessions(Duration timeout, int maxResponseBytes) {
        this(timeout, maxResponseBytes, true);
    }

    /**
     * @param everyEra whether a session starting in the 2026 era also asks (one extra initialize) whether the
     *                 server serves 2025 clients; only a record of the server needs that, not a call
     */
    public McpSessions(Duration timeout, int maxResponseBytes, boolean everyEra) {
        this.everyEra = everyEra;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
    }

    /** A Streamable HTTP session with the MCP endpoint {@code endpoint} (for example {@code http://host/mcp}). */
    public McpSession streamableHttp(URI endpoint) {
        return streamableHttp(endpoint, null);
    }

    /** As {@link #streamableHttp(URI)}, every request carrying {@code authorization} (null: none). */
    public McpSession streamableHttp(URI endpoint, String authorization) {
        return new StreamableHttpSession(http, endpoint, timeout, maxResponseBytes, authorization, everyEra);
    }

    /** A legacy SSE session whose event stream is at {@code sseUrl} (for example {@code http://host/sse}). */
    public McpSession sse(URI sseUrl) {
        return sse(sseUrl, null);
    }

    /** As {@link #sse(URI)}, every request carrying {@code authorization} (null: none). */
    public McpSession sse(URI sseUrl, String authorization) {
        return new LegacySseSession(http, sseUrl, timeout, maxResponseBytes, authorization);
    }
}
