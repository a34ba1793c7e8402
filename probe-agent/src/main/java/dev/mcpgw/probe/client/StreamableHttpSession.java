package dev.mcpgw.probe.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An MCP session over Streamable HTTP, in the newest era the server and the probe share. It asks
 * {@code server/discover} first (2026-07-28: stateless, every request carrying its protocol version in a header
 * and in {@code _meta}, nothing to end); a server that does not answer it is spoken to as before 2026:
 * {@code initialize}, the session id the server assigns sent back, the session ended with DELETE. Every message
 * is a POST to the endpoint, each answer a JSON body or an event stream carrying it.
 */
final class StreamableHttpSession implements McpSession {

    private static final Duration GOODBYE = Duration.ofSeconds(2);

    private final HttpClient http;
    private final URI endpoint;
    private final Duration timeout;
    private final int maxResponseBytes;
    private final String authorization;
    /** Whether initialize also learns if a 2026 server serves 2025 clients (the probe records it; a call does not). */
    private final boolean everyEra;

    private final Inflight inflight = new Inflight();
    private volatile String sessionId;
    private String protocolVersion;
    /** The 2026 era: no session, every request self-describing. */
    private boolean stateless;

    private int nextId = 1;

    StreamableHttpSession(
            HttpClient http,
            URI endpoint,
            Duration timeout,
            int maxResponseBytes,
            String authorization,
            boolean everyEra) {
        this.everyEra = everyEra;
        this.http = http;
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
        this.authorization = authorization;
    }

    @Override
    public Initialized initialize() throws ProbeFailure {
        Initialized discovered = discover();
        if (discovered != null && HttpMcp.MODERN_PROTOCOL_VERSION.equals(discovered.protocolVersion())) {
            java.util.List<String> versions = new java.util.ArrayList<>(discovered.protocolVersions());
            if (everyEra && versions.stream().noneMatch(StreamableHttpSession::stateful)) {
                // server/discover names the stateless revisions; whether the server still serves clients of the
                // earlier era (most do, beside the new one) only initialize tells.
                String earlier = statefulVersion();
                if (earlier != null) {
                    versions.add(earlier);
                }
            }
            stateless = true;
            protocolVersion = HttpMcp.MODERN_PROTOCOL_VERSION;
            return new Initialized(
                    HttpMcp.MODERN_PROTOCOL_VERSION, versions, discovered.serverName(), discovered.serverVersion());
        }
        Initialized initialized;
        try {
            initialized = HttpMcp.initialized(call("initialize", HttpMcp.initializeParams()));
        } catch (ProbeFailure refused) {
            if (discovered != null && refused.supportedVersions().isEmpty()) {
                // What the server said it speaks stays on record, beside why it refused ours.
                throw ProbeFailure.rpcError(
                        "initialize",
                        refused.rpcCode() == null ? 0 : refused.rpcCode(),
                        refused.getMessage(),
                        refused.httpStatus(),
                        discovered.protocolVersions());
            }
            throw refused;
        }
        protocolVersion = initialized.protocolVersion();
        notifyInitialized();
        if (discovered == null) {
            return initialized;
        }
        java.util.List<String> versions = new java.util.ArrayList<>(discovered.protocolVersions());
        if (!versions.contains(initialized.protocolVersion())) {
            versions.add(initialized.protocolVersion());
        }
        return new Initialized(
                initialized.protocolVersion(),
                versions,
                initialized.serverName() != null ? initialized.serverName() : discovered.serverName(),
                initialized.serverName() != null ? initialized.serverVersion() : discovered.serverVersion());
    }

    /**
     * {@code server/discover} in the 2026 era's form. Null when the server does not speak it (a server of an
     * earlier era refuses the method, the missing session or the header its own way); what it said when it speaks
     * 2026 but not the probe's revision. A failure to reach the server at all is not a reason to try again.
     */
    private Initialized discover() throws ProbeFailure {
        stateless = true;
        protocolVersion = HttpMcp.MODERN_PROTOCOL_VERSION;
        try {
            JsonNode result = call("server/discover", JSON_EMPTY);
            return HttpMcp.discovered(result);
        } catch (ProbeFailure refused) {
            switch (refused.kind()) {
                case HTTP_STATUS, RPC_ERROR, PROTOCOL -> {
                    if (!refused.supportedVersions().isEmpty()) {
                        return new Initialized(null, refused.supportedVersions(), null, null);
                    }
                    return null;
                }
                default -> throw refused;
            }
        } finally {
            stateless = false;
            protocolVersion = null;
            sessionId = null;
        }
    }

    private static final ObjectNode JSON_EMPTY = HttpMcp.JSON.createObjectNode();

    /** Revisions before 2026 (dated 2024-11-05 to 2025-11-25) are the stateful ones. */
    private static boolean stateful(String version) {
        return version.compareTo("2026") < 0;
    }

    /** The version {@code initialize} agrees, ending the session it opened; null when the server refuses it. */
    private String statefulVersion() throws ProbeFailure {
        stateless = false;
        protocolVersion = null;
        sessionId = null;
        try {
            String agreed = HttpMcp.initialized(call("initialize", HttpMcp.initializeParams()))
                    .protocolVersion();
            protocolVersion = agreed;
            endSession();
            return agreed;
        } catch (ProbeFailure refused) {
            switch (refused.kind()) {
                case HTTP_STATUS, RPC_ERROR, PROTOCOL -> {
                    return null;
                }
                default -> throw refused;
            }
        } finally {
            sessionId = null;
            protocolVersion = null;
        }
    }

    @Override
    public ToolsPage listTools(String cursor) throws ProbeFailure {
        return HttpMcp.toolsPage(call("tools/list", HttpMcp.toolsListParams(cursor)));
    }

    @Override
    public JsonNode callTool(String name, JsonNode arguments) throws ProbeFailure {
        return call("tools/call", HttpMcp.toolsCallParams(name, arguments), name);
    }

    private JsonNode call(String method, ObjectNode params) throws ProbeFailure {
        return call(method, params, null);
    }

    /** @param name what the request names ({@code Mcp-Name} in the 2026 era: a tool's name), or null */
    private JsonNode call(String method, ObjectNode params, String name) throws ProbeFailure {
        int id = nextId++;
        HttpResponse<InputStream> response =
                post(HttpMcp.request(id, method, stateless ? HttpMcp.modernParams(params) : params), method, name);
        InputStream in = response.body();
        try {
            if (response.statusCode() >= 300) {
                throw HttpMcp.refusal(response, method);
            }
            if (!stateless) {
                response.headers().firstValue("Mcp-Session-Id").ifPresent(value -> sessionId = value);
            }
            if (HttpMcp.isEventStream(response)) {
                EventStream events = new EventStream(in, maxResponseBytes);
                for (EventStream.Event event = events.next(); event != null; event = events.next()) {
                    JsonNode message = HttpMcp.parse(
                            event.data().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            "an event of the answer to " + method);
                    if (message.path("id").asInt(-1) == id && (message.has("result") || message.has("error"))) {
                        return HttpMcp.result(message, method, response.statusCode());
                    }
                }
                throw ProbeFailure.of(
                        ProbeFailure.Kind.PROTOCOL,
                        "invalid MCP/JSON-RPC response: the event stream " + "ended without the answer to " + method);
            }
            if (!HttpMcp.isJson(response)) {
                throw ProbeFailure.of(
                        ProbeFailure.Kind.PROTOCOL,
                        "invalid MCP/JSON-RPC response: the answer to " + method
                                + " is neither JSON nor an event stream");
            }
            return HttpMcp.result(
                    HttpMcp.parse(HttpMcp.readBounded(in, maxResponseBytes), "the answer to " + method),
                    method,
                    response.statusCode());
        } catch (IOException e) {
            throw ProbeFailure.from(e, inflight.aborted());
        } finally {
            inflight.release(in);
        }
    }

    private void notifyInitialized() throws ProbeFailure {
        HttpResponse<InputStream> response =
                post(HttpMcp.notification("notifications/initialized"), "notifications/initialized", null);
        try {
            if (response.statusCode() >= 300) {
                throw HttpMcp.refusal(response, "notifications/initialized");
            }
            response.body().readNBytes(64 * 1024);
        } catch (IOException ignored) {
            // nothing is expected back
        } finally {
            inflight.release(response.body());
        }
    }

    private HttpResponse<InputStream> post(ObjectNode message, String method, String name) throws ProbeFailure {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(message.toString()));
        if (sessionId != null) {
            request.header("Mcp-Session-Id", sessionId);
        }
        if (protocolVersion != null) {
            request.header("MCP-Protocol-Version", protocolVersion);
        }
        if (stateless) {
            request.header("Mcp-Method", method); // 2026: what the request is, for gateways that route on it
            if (name != null && headerSafe(name)) {
                request.header("Mcp-Name", name); // a name a header cannot carry is read from the body alone
            }
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpMcp.send(http, request.build(), inflight);
    }

    @Override
    public void abort() {
        inflight.abort();
    }

    @Override
    public void close() {
        boolean timedOut = inflight.aborted();
        abort();
        // A 2026 exchange has no session to end; after the deadline the server gets no more time of ours.
        if (!stateless && !timedOut) {
            endSession();
        }
    }

    /** Printable ASCII: what an HTTP header value carries as it is. */
    private static boolean headerSafe(String value) {
        return value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    /** DELETE of the session the server assigned, if any; the server forgets it on its own otherwise. */
    private void endSession() {
        String id = sessionId;
        if (id == null) {
            return;
        }
        HttpRequest.Builder goodbye = HttpRequest.newBuilder(endpoint)
                .timeout(GOODBYE)
                .header("Mcp-Session-Id", id)
                .DELETE();
        if (authorization != null) {
            goodbye.header("Authorization", authorization);
        }
        if (protocolVersion != null) {
            goodbye.header("MCP-Protocol-Version", protocolVersion);
        }
        try {
            http.send(goodbye.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException ignored) {
            // the server forgets the session on its own in time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
