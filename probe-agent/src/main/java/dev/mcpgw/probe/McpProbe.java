package dev.mcpgw.probe;

import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.ToolInfo;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Probes one server as a real MCP client over its own transport: initialize, list every tool (following
 * pagination), then end the session properly (the SDK sends DELETE for a Streamable HTTP session). The whole
 * probe is bounded by the timeout; what a server sends is bounded in size.
 */
public final class McpProbe {

    /** Tools kept per server; beyond this the list is cut and marked truncated. */
    public static final int MAX_TOOLS = 2_000;
    /** Largest single response the client accepts (a tool list page). */
    public static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
    static final int MAX_PAGES = 100;
    static final int MAX_DESCRIPTION = 4_000;
    static final int MAX_SCHEMA_CHARS = 16 * 1024;

    private static final JsonMapper JSON = JsonMapper.shared();

    private final Duration timeout;
    private final Clock clock;
    private final ScheduledExecutorService watchdog;

    public McpProbe(Duration timeout, Clock clock, ScheduledExecutorService watchdog) {
        this.timeout = timeout;
        this.clock = clock;
        this.watchdog = watchdog;
    }

    /** Probes {@code entry} (or records it disabled without contact) for config revision {@code revision}. */
    public ServerStatus probe(ServerEntry entry, String revision) {
        Instant started = clock.instant();
        String id = entry.id().value();
        if (!entry.enabled()) {
            return new ServerStatus(id, Health.DISABLED, null, null, started, null, null, null, null, revision,
                    List.of(), false, null);
        }
        long begin = System.nanoTime();
        Failure unreachable = connectCheck(entry.proxyPassUrl());
        if (unreachable != null) {
            return new ServerStatus(id, unreachable.health, unreachable.message, unreachable.kind, started,
                    (System.nanoTime() - begin) / 1_000_000, null, null, null, revision, List.of(), false, null);
        }
        McpSyncClient client = client(entry);
        ScheduledFuture<?> deadline = watchdog.schedule(client::close, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            McpSchema.InitializeResult init = client.initialize();
            List<ToolInfo> tools = new ArrayList<>();
            boolean truncated = false;
            String cursor = null;
            for (int page = 0; page < MAX_PAGES; page++) {
                McpSchema.ListToolsResult result = client.listTools(cursor);
                for (McpSchema.Tool tool : result.tools()) {
                    if (tools.size() == MAX_TOOLS) {
                        truncated = true;
                        break;
                    }
                    tools.add(toolInfo(tool));
                }
                cursor = result.nextCursor();
                if (truncated || cursor == null || cursor.isEmpty()) {
                    break;
                }
                if (page == MAX_PAGES - 1) {
                    truncated = true;
                }
            }
            long latency = (System.nanoTime() - begin) / 1_000_000;
            deadline.cancel(false);
            client.closeGracefully();
            tools.sort(java.util.Comparator.comparing(ToolInfo::name));
            return new ServerStatus(id, Health.HEALTHY, truncated ? "tool list cut at " + tools.size()
                    + " tools" : null, null, started, latency, init.serverInfo().name(), init.serverInfo().version(),
                    init.protocolVersion(), revision, tools, truncated, null);
        } catch (RuntimeException e) {
            deadline.cancel(false);
            client.close();
            boolean timedOut = System.nanoTime() - begin >= timeout.toNanos() - 50_000_000L;
            Failure failure = timedOut ? new Failure(Health.UNHEALTHY, "timeout",
                    "no complete answer within " + timeout.toMillis() + " ms") : classify(e);
            return new ServerStatus(id, failure.health, failure.message, failure.kind, started,
                    (System.nanoTime() - begin) / 1_000_000, null, null, null, revision, List.of(), false, null);
        }
    }

    /**
     * A plain TCP connect first: the SSE client reports a refused connection only as a timeout, and this names
     * the network failures exactly for both transports.
     */
    private Failure connectCheck(UpstreamUrl url) {
        String host = url.host().startsWith("[") ? url.host().substring(1, url.host().length() - 1) : url.host();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, url.port()), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return null;
        } catch (UnknownHostException e) {
            return new Failure(Health.UNREACHABLE, "unknown_host", "unknown host " + host);
        } catch (SocketTimeoutException e) {
            return new Failure(Health.UNREACHABLE, "connect_timeout", "connection timed out");
        } catch (IOException e) {
            return classify(e);
        }
    }

    private McpSyncClient client(ServerEntry entry) {
        UpstreamUrl url = entry.proxyPassUrl();
        String origin = url.scheme() + "://" + url.host() + ":" + url.port();
        McpClientTransport transport = entry.transport() == Transport.STREAMABLE_HTTP
                ? HttpClientStreamableHttpTransport.builder(origin).endpoint(url.basePath() + "/mcp")
                        .connectTimeout(timeout).maxResponseSize(MAX_RESPONSE_BYTES).build()
                : sse(origin, url.basePath());
        return McpClient.sync(transport)
                .requestTimeout(timeout)
                .initializationTimeout(timeout)
                .clientInfo(McpSchema.Implementation.builder("mcpgw-probe", "0.1.0").build())
                .build();
    }

    @SuppressWarnings("deprecation") // the legacy SSE transport is deprecated by the protocol; servers still use it
    private McpClientTransport sse(String origin, String basePath) {
        return HttpClientSseClientTransport.builder(origin).sseEndpoint(basePath + "/sse")
                .connectTimeout(timeout).maxResponseSize(MAX_RESPONSE_BYTES).build();
    }

    private static ToolInfo toolInfo(McpSchema.Tool tool) {
        String description = tool.description() == null ? "" : tool.description();
        if (description.length() > MAX_DESCRIPTION) {
            description = description.substring(0, MAX_DESCRIPTION) + "…";
        }
        JsonNode schema;
        try {
            String text = McpJsonDefaults.getMapper().writeValueAsString(tool.inputSchema());
            schema = text.length() > MAX_SCHEMA_CHARS
                    ? JSON.createObjectNode().put("description", "input schema omitted: larger than 16 KiB")
                    : JSON.readTree(text);
        } catch (IOException e) {
            schema = JSON.createObjectNode();
        }
        return new ToolInfo(tool.name(), description, schema);
    }

    private record Failure(Health health, String kind, String message) {}

    /** A short, stable description of what went wrong, from the exception chain. */
    static Failure classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return new Failure(Health.UNREACHABLE, "connect_timeout", "connection timed out");
            }
            if (t instanceof ConnectException || t instanceof java.net.NoRouteToHostException) {
                return new Failure(Health.UNREACHABLE, "connection_refused", "connection refused");
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return new Failure(Health.UNREACHABLE, "unknown_host", "unknown host");
            }
            if (t instanceof SSLException) {
                return new Failure(Health.UNREACHABLE, "tls", "TLS handshake failed: " + shortMessage(t));
            }
            if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
                return new Failure(Health.UNHEALTHY, "timeout", "no answer in time");
            }
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (message.startsWith("Authorization error")) {
                return new Failure(Health.UNHEALTHY, "unauthorized",
                        "the server refused the probe's credentials (HTTP 401/403)");
            }
            java.util.regex.Matcher status = java.util.regex.Pattern.compile("\\b([45][0-9]{2})\\b").matcher(message);
            if (message.contains("HTTP") || message.toLowerCase().contains("status")) {
                if (status.find()) {
                    return new Failure(Health.UNHEALTHY, "http_" + status.group(1), "HTTP " + status.group(1));
                }
            }
            if (message.contains("exceeds") && message.toLowerCase().contains("size")) {
                return new Failure(Health.UNHEALTHY, "too_large",
                        "response larger than " + MAX_RESPONSE_BYTES / (1024 * 1024) + " MiB");
            }
        }
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String detail = shortMessage(root);
        if (root instanceof tools.jackson.core.JacksonException || detail.contains("JSON")
                || detail.contains("Unexpected") || detail.contains("parse")) {
            return new Failure(Health.UNHEALTHY, "protocol", "invalid MCP/JSON-RPC response: " + detail);
        }
        return new Failure(Health.UNHEALTHY, "error", detail.isEmpty() ? root.getClass().getSimpleName() : detail);
    }

    private static String shortMessage(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage().replaceAll("\\s+", " ").strip();
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
}
