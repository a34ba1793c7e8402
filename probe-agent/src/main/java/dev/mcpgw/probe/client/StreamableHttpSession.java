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
 * An MCP session over Streamable HTTP: every message a POST to the endpoint, each answer a JSON body or an
 * event stream carrying it; the session id the server assigns is sent back, and the session is ended with
 * DELETE.
 */
final class StreamableHttpSession implements McpSession {

    private static final Duration GOODBYE = Duration.ofSeconds(2);

    private final HttpClient http;
    private final URI endpoint;
    private final Duration timeout;
    private final int maxResponseBytes;
    private final Inflight inflight = new Inflight();
    private volatile String sessionId;
    private String protocolVersion;
    private int nextId = 1;

    StreamableHttpSession(HttpClient http, URI endpoint, Duration timeout, int maxResponseBytes) {
        this.http = http;
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
    }

    @Override
    public Initialized initialize() throws ProbeFailure {
        Initialized initialized = HttpMcp.initialized(call("initialize", HttpMcp.initializeParams()));
        protocolVersion = initialized.protocolVersion();
        notifyInitialized();
        return initialized;
    }

    @Override
    public ToolsPage listTools(String cursor) throws ProbeFailure {
        return HttpMcp.toolsPage(call("tools/list", HttpMcp.toolsListParams(cursor)));
    }

    private JsonNode call(String method, ObjectNode params) throws ProbeFailure {
        int id = nextId++;
        HttpResponse<InputStream> response = post(HttpMcp.request(id, method, params));
        InputStream in = response.body();
        try {
            if (response.statusCode() >= 300) {
                throw HttpMcp.refusal(response, method);
            }
            response.headers().firstValue("Mcp-Session-Id").ifPresent(value -> sessionId = value);
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
        HttpResponse<InputStream> response = post(HttpMcp.notification("notifications/initialized"));
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

    private HttpResponse<InputStream> post(ObjectNode message) throws ProbeFailure {
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
        return HttpMcp.send(http, request.build(), inflight);
    }

    @Override
    public void abort() {
        inflight.abort();
    }

    @Override
    public void close() {
        abort();
        String id = sessionId;
        if (id == null) {
            return;
        }
        HttpRequest.Builder goodbye = HttpRequest.newBuilder(endpoint)
                .timeout(GOODBYE)
                .header("Mcp-Session-Id", id)
                .DELETE();
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
