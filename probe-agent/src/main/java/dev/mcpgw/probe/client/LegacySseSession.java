package dev.mcpgw.probe.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An MCP session over the legacy HTTP+SSE transport (2024-11-05): a GET opens the event stream, whose first
 * {@code endpoint} event names where to POST messages; answers come back as {@code message} events. One reader
 * thread per session reads the stream; ending the session closes it.
 */
final class LegacySseSession implements McpSession {

    private final HttpClient http;
    private final URI sseUrl;
    private final Duration timeout;
    private final int maxResponseBytes;
    private final long deadline;
    private final String authorization;
    private final CompletableFuture<URI> endpoint = new CompletableFuture<>();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Inflight inflight = new Inflight();
    private volatile InputStream stream;
    private volatile ProbeFailure streamFailure;
    private int nextId = 1;

    LegacySseSession(HttpClient http, URI sseUrl, Duration timeout, int maxResponseBytes, String authorization) {
        this.authorization = authorization;
        this.http = http;
        this.sseUrl = sseUrl;
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    @Override
    public Initialized initialize() throws ProbeFailure {
        open();
        Initialized initialized = HttpMcp.initialized(call("initialize", HttpMcp.initializeParams()));
        post(HttpMcp.notification("notifications/initialized"), "notifications/initialized");
        return initialized;
    }

    @Override
    public ToolsPage listTools(String cursor) throws ProbeFailure {
        return HttpMcp.toolsPage(call("tools/list", HttpMcp.toolsListParams(cursor)));
    }

    @Override
    public JsonNode callTool(String name, JsonNode arguments) throws ProbeFailure {
        return call("tools/call", HttpMcp.toolsCallParams(name, arguments));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private void open() throws ProbeFailure {
        HttpRequest request = authorized(HttpRequest.newBuilder(sseUrl)
                        .timeout(timeout)
                        .header("Accept", "text/event-stream")
                        .GET())
                .build();
        HttpResponse<InputStream> response = HttpMcp.send(http, request, inflight);
        if (response.statusCode() >= 300) {
            try {
                throw HttpMcp.refusal(response, "the event stream");
            } finally {
                inflight.release(response.body());
            }
        }
        if (!HttpMcp.isEventStream(response)) {
            inflight.release(response.body());
            throw ProbeFailure.of(
                    ProbeFailure.Kind.PROTOCOL,
                    "invalid MCP response: " + sseUrl.getPath() + " is not an event stream");
        }
        stream = response.body(); // tracked: the deadline closes it
        Thread reader = new Thread(this::read, "mcpgw-probe-sse");
        reader.setDaemon(true);
        reader.start();
    }

    /** The reader thread: the endpoint first, then every answer to its request, until the stream ends. */
    private void read() {
        ProbeFailure ended = ProbeFailure.of(
                ProbeFailure.Kind.PROTOCOL, "invalid MCP response: the event stream " + "ended before the answer");
        try (InputStream in = stream) {
            EventStream events = new EventStream(in, maxResponseBytes);
            for (EventStream.Event event = events.next(); event != null; event = events.next()) {
                if (event.type().equals("endpoint")) {
                    endpoint.complete(messageUrl(event.data().strip()));
                } else if (event.type().equals("message")) {
                    JsonNode message;
                    try {
                        message = HttpMcp.parse(event.data().getBytes(StandardCharsets.UTF_8), "an event");
                    } catch (ProbeFailure notJson) {
                        continue;
                    }
                    CompletableFuture<JsonNode> waiting = message.path("id").canConvertToInt()
                            ? pending.get(message.path("id").asInt())
                            : null;
                    if (waiting != null && (message.has("result") || message.has("error"))) {
                        waiting.complete(message);
                    }
                }
            }
        } catch (ProbeFailure failure) {
            ended = failure;
        } catch (IOException e) {
            ended = ProbeFailure.from(e, inflight.aborted());
        }
        ProbeFailure failure = ended;
        streamFailure = failure;
        endpoint.completeExceptionally(failure);
        pending.values().forEach(waiting -> waiting.completeExceptionally(failure));
    }

    private JsonNode call(String method, ObjectNode params) throws ProbeFailure {
        int id = nextId++;
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            if (streamFailure != null) {
                throw streamFailure;
            }
            post(HttpMcp.request(id, method, params), method);
            return HttpMcp.result(await(answer), method, 200);
        } finally {
            pending.remove(id);
        }
    }

    private void post(ObjectNode message, String method) throws ProbeFailure {
        HttpRequest request = authorized(HttpRequest.newBuilder(await(endpoint))
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(message.toString())))
                .build();
        HttpResponse<InputStream> response = HttpMcp.send(http, request, inflight);
        try {
            if (response.statusCode() >= 300) {
                throw HttpMcp.refusal(response, method);
            }
            response.body().readNBytes(64 * 1024);
        } catch (IOException e) {
            throw ProbeFailure.from(e, inflight.aborted());
        } finally {
            inflight.release(response.body());
        }
    }

    private <T> T await(CompletableFuture<T> future) throws ProbeFailure {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw ProbeFailure.of(ProbeFailure.Kind.TIMEOUT, "no answer in time");
        } catch (ExecutionException e) {
            throw ProbeFailure.from(e.getCause(), inflight.aborted());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProbeFailure.of(ProbeFailure.Kind.TIMEOUT, "interrupted");
        }
    }

    @Override
    public void abort() {
        inflight.abort();
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /**
     * Where the server says to post messages: only on the server's own origin (scheme, host and port of the
     * event stream). Anything else - another host, an internal address, another scheme - is refused, so a
     * server cannot make the probe send requests elsewhere.
     */
    private URI messageUrl(String advertised) throws ProbeFailure {
        URI resolved;
        try {
            resolved = sseUrl.resolve(advertised);
        } catch (IllegalArgumentException notAUri) {
            throw ProbeFailure.of(ProbeFailure.Kind.PROTOCOL, "invalid MCP response: the endpoint event is not a URL");
        }
        if (!sseUrl.getScheme().equalsIgnoreCase(String.valueOf(resolved.getScheme()))
                || !sseUrl.getHost().equalsIgnoreCase(String.valueOf(resolved.getHost()))
                || port(sseUrl) != port(resolved)) {
            throw ProbeFailure.of(
                    ProbeFailure.Kind.PROTOCOL,
                    "invalid MCP response: the endpoint event names "
                            + "another origin than the server's own; not followed");
        }
        return resolved;
    }

    @Override
    public void close() {
        abort();
    }
}
