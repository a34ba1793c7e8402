package dev.mcpgw.probe;

import dev.mcpgw.core.model.EgressPolicy;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.probe.client.McpSession;
import dev.mcpgw.probe.client.McpSessions;
import dev.mcpgw.probe.client.ProbeFailure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Probes one server as a real MCP client over its own transport, in the newest protocol era both speak:
 * {@code server/discover} (2026-07-28) or {@code initialize} (earlier revisions; the legacy SSE transport is
 * always one of those), list every tool (following pagination), then end the session properly (DELETE for a
 * stateful Streamable HTTP session). The whole probe is bounded
 * by the timeout; what a server sends is bounded in size. The client is ours ({@link McpSession}): failures are
 * typed where they happen, and nothing a server sends is recorded but a JSON-RPC error's code and words.
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

    private final McpSessions sessions;
    private final EgressPolicy egress;
    private final Duration timeout;
    private final Clock clock;
    private final ScheduledExecutorService watchdog;

    /** @param egress which upstream addresses may be contacted; others are recorded unreachable, never connected */
    public McpProbe(Duration timeout, Clock clock, ScheduledExecutorService watchdog, EgressPolicy egress) {
        this.egress = egress;
        this.sessions = new McpSessions(timeout, MAX_RESPONSE_BYTES);
        this.timeout = timeout;
        this.clock = clock;
        this.watchdog = watchdog;
    }

    /** Probes {@code entry} (or records it disabled without contact) for config revision {@code revision}. */
    public ServerStatus probe(ServerEntry entry, String revision) {
        Instant started = clock.instant();
        String id = entry.id().value();
        if (!entry.enabled()) {
            return ServerStatus.builder(id, Health.DISABLED, started)
                    .observedRevision(revision)
                    .build();
        }
        long begin = System.nanoTime();
        ProbeFailure unreachable = connectCheck(entry.proxyPassUrl());
        if (unreachable != null) {
            return failed(id, unreachable, started, begin, revision);
        }
        McpSession session = session(entry);
        ScheduledFuture<?> deadline = watchdog.schedule(session::abort, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            McpSession.Initialized init = session.initialize();
            List<ToolInfo> tools = new ArrayList<>();
            boolean truncated = false;
            String cursor = null;
            for (int page = 0; page < MAX_PAGES; page++) {
                McpSession.ToolsPage result = session.listTools(cursor);
                for (JsonNode tool : result.tools()) {
                    if (tools.size() == MAX_TOOLS) {
                        truncated = true;
                        break;
                    }
                    ToolInfo info = toolInfo(tool);
                    if (info != null) {
                        tools.add(info);
                    }
                }
                cursor = result.nextCursor();
                if (truncated || cursor == null) {
                    break;
                }
                if (page == MAX_PAGES - 1) {
                    truncated = true;
                }
            }
            long latency = (System.nanoTime() - begin) / 1_000_000;
            deadline.cancel(false);
            session.close();
            tools.sort(java.util.Comparator.comparing(ToolInfo::name));
            return ServerStatus.builder(id, Health.HEALTHY, started)
                    .error(null, truncated ? "tool list cut at " + tools.size() + " tools" : null)
                    .latencyMs(latency)
                    .serverInfo(init.serverName(), init.serverVersion())
                    .protocolVersion(init.protocolVersion())
                    .protocolVersions(init.protocolVersions())
                    .observedRevision(revision)
                    .tools(tools, truncated)
                    .build();
        } catch (ProbeFailure | RuntimeException thrown) {
            deadline.cancel(false);
            session.close();
            boolean timedOut = System.nanoTime() - begin >= timeout.toNanos() - 50_000_000L;
            // Whatever a server makes go wrong is recorded as that server's failure, never the round's.
            ProbeFailure failure = thrown instanceof ProbeFailure typed
                    ? typed
                    : ProbeFailure.of(
                            ProbeFailure.Kind.PROTOCOL, "invalid MCP response: the server's answer could not be used");
            return failed(
                    id,
                    timedOut
                            ? ProbeFailure.of(
                                    ProbeFailure.Kind.TIMEOUT,
                                    "no complete answer within " + timeout.toMillis() + " ms")
                            : failure,
                    started,
                    begin,
                    revision);
        }
    }

    private static ServerStatus failed(String id, ProbeFailure failure, Instant started, long begin, String revision) {
        return ServerStatus.builder(id, failure.health(), started)
                .error(failure.word(), failure.getMessage())
                .protocolVersions(failure.supportedVersions())
                .latencyMs((System.nanoTime() - begin) / 1_000_000)
                .observedRevision(revision)
                .build();
    }

    /**
     * A plain TCP connect first: the SSE client reports a refused connection only as a timeout, and this names
     * the network failures exactly for both transports.
     */
    private ProbeFailure connectCheck(UpstreamUrl url) {
        String host =
                url.host().startsWith("[") ? url.host().substring(1, url.host().length() - 1) : url.host();
        java.util.Optional<String> refused = egress.refusal(url);
        if (refused.isPresent()) {
            return ProbeFailure.of(ProbeFailure.Kind.EGRESS_REFUSED, "not contacted: " + refused.get());
        }
        try (Socket socket = new Socket()) {
            java.net.InetAddress[] addresses = java.net.InetAddress.getAllByName(host);
            for (java.net.InetAddress address : addresses) {
                refused = egress.refusal(address, url);
                if (refused.isPresent()) {
                    // Every address the name has now: a name that resolves (or rebinds) inside is refused.
                    return ProbeFailure.of(
                            ProbeFailure.Kind.EGRESS_REFUSED,
                            "not contacted: " + host + " resolves to " + refused.get());
                }
            }
            socket.connect(new InetSocketAddress(addresses[0], url.port()), (int)
                    Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return null;
        } catch (UnknownHostException e) {
            return ProbeFailure.of(ProbeFailure.Kind.UNKNOWN_HOST, "unknown host " + host);
        } catch (SocketTimeoutException e) {
            return ProbeFailure.of(ProbeFailure.Kind.CONNECT_TIMEOUT, "connection timed out");
        } catch (IOException e) {
            return ProbeFailure.from(e, false);
        }
    }

    private McpSession session(ServerEntry entry) {
        UpstreamUrl url = entry.proxyPassUrl();
        URI base = URI.create(url.scheme() + "://" + url.host() + ":" + url.port() + url.basePath());
        return entry.transport() == Transport.STREAMABLE_HTTP
                ? sessions.streamableHttp(URI.create(base + "/mcp"))
                : sessions.sse(URI.create(base + "/sse"));
    }

    /** A tool as the registry keeps it: bounded description and schema; null for an entry without a name. */
    private static ToolInfo toolInfo(JsonNode tool) {
        if (!tool.path("name").isString() || tool.path("name").asString().isEmpty()) {
            return null;
        }
        String description =
                tool.path("description").isString() ? tool.path("description").asString() : "";
        if (description.length() > MAX_DESCRIPTION) {
            description = description.substring(0, MAX_DESCRIPTION) + "…";
        }
        JsonNode schema = tool.path("inputSchema");
        if (!schema.isObject()) {
            schema = JSON.createObjectNode();
        } else if (schema.toString().length() > MAX_SCHEMA_CHARS) {
            schema = JSON.createObjectNode().put("description", "input schema omitted: larger than 16 KiB");
        }
        return new ToolInfo(tool.path("name").asString(), description, schema);
    }
}
