package dev.mcpgw.probe.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** JSON-RPC over HTTP as both MCP transports use it: messages, bounded reads, event streams, typed failures. */
final class HttpMcp {

    static final JsonMapper JSON = JsonMapper.shared();
    /** The newest stateful revision: what {@code initialize} asks for. */
    static final String PROTOCOL_VERSION = "2025-11-25";
    /** The stateless revision: what {@code server/discover} and every request of that era carry. */
    static final String MODERN_PROTOCOL_VERSION = "2026-07-28";
    /** The JSON-RPC error of a server that does not speak the version asked for; its data names those it does. */
    static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;
    /** What an error answer's body may be read up to, to find a JSON-RPC error in it. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private HttpMcp() {}

    static ObjectNode request(int id, String method, ObjectNode params) {
        ObjectNode message =
                JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        message.set("params", params == null ? JSON.createObjectNode() : params);
        return message;
    }

    static ObjectNode notification(String method) {
        return JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
    }

    static ObjectNode initializeParams() {
        ObjectNode params = JSON.createObjectNode().put("protocolVersion", PROTOCOL_VERSION);
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "mcpgw-probe").put("version", "0.1.0");
        return params;
    }

    /** What an {@code initialize} result says; a result without a protocol version is not MCP. */
    static McpSession.Initialized initialized(JsonNode result) throws ProbeFailure {
        JsonNode version = result.path("protocolVersion");
        if (!version.isString()) {
            throw ProbeFailure.of(
                    ProbeFailure.Kind.PROTOCOL,
                    "invalid MCP/JSON-RPC response: initialize named no " + "protocolVersion");
        }
        JsonNode info = result.path("serverInfo");
        return new McpSession.Initialized(
                version.asString(),
                java.util.List.of(version.asString()),
                info.path("name").isString() ? info.path("name").asString() : null,
                info.path("version").isString() ? info.path("version").asString() : null);
    }

    static ObjectNode toolsListParams(String cursor) {
        ObjectNode params = JSON.createObjectNode();
        if (cursor != null) {
            params.put("cursor", cursor);
        }
        return params;
    }

    static ObjectNode toolsCallParams(String name, JsonNode arguments) {
        ObjectNode params = JSON.createObjectNode();
        params.put("name", name);
        params.set("arguments", arguments == null || arguments.isNull() ? JSON.createObjectNode() : arguments);
        return params;
    }

    /** A {@code tools/list} result as a page: the tools as sent, and the next cursor (null at the end). */
    static McpSession.ToolsPage toolsPage(JsonNode result) {
        java.util.List<JsonNode> tools = new java.util.ArrayList<>();
        result.path("tools").forEach(tools::add);
        JsonNode next = result.path("nextCursor");
        return new McpSession.ToolsPage(
                tools, next.isString() && !next.asString().isEmpty() ? next.asString() : null);
    }

    /** The result of a JSON-RPC response to {@code method}; its error, or a protocol failure, as a ProbeFailure. */
    static JsonNode result(JsonNode message, String method, int httpStatus) throws ProbeFailure {
        JsonNode error = message.path("error");
        if (error.isObject()) {
            throw rpcError(error, method, httpStatus);
        }
        if (!message.path("result").isObject()) {
            throw ProbeFailure.of(
                    ProbeFailure.Kind.PROTOCOL,
                    "invalid MCP/JSON-RPC response: the answer to " + method + " has no result object");
        }
        return message.path("result");
    }

    /** A JSON-RPC error object as a failure: its code, its words and - for -32022 - the versions it names. */
    private static ProbeFailure rpcError(JsonNode error, String method, int httpStatus) {
        int code = error.path("code").asInt(0);
        java.util.List<String> supported = new java.util.ArrayList<>();
        if (code == UNSUPPORTED_PROTOCOL_VERSION) {
            for (JsonNode version : error.path("data").path("supported")) {
                if (version.isString() && version.asString().length() <= 32 && supported.size() < 16) {
                    supported.add(version.asString());
                }
            }
        }
        return ProbeFailure.rpcError(
                method,
                code,
                error.path("message").isString() ? error.path("message").asString() : null,
                httpStatus,
                supported);
    }

    /** The params of a 2026-era request: {@code _meta} names the protocol version and the client's capabilities. */
    static ObjectNode modernParams(ObjectNode params) {
        ObjectNode withMeta = params == null ? JSON.createObjectNode() : params.deepCopy();
        ObjectNode meta = withMeta.putObject("_meta");
        meta.put("io.modelcontextprotocol/protocolVersion", MODERN_PROTOCOL_VERSION);
        meta.putObject("io.modelcontextprotocol/clientCapabilities");
        meta.putObject("io.modelcontextprotocol/clientInfo")
                .put("name", "mcpgw-probe")
                .put("version", "0.1.0");
        return withMeta;
    }

    /**
     * What a {@code server/discover} result tells: every version the server supports (kept as strings, at most 16
     * of at most 32 characters: an upstream's text), its name and version; null when it lists no versions.
     */
    static McpSession.Initialized discovered(JsonNode result) {
        java.util.List<String> versions = new java.util.ArrayList<>();
        for (JsonNode version : result.path("supportedVersions")) {
            if (version.isString() && version.asString().length() <= 32 && versions.size() < 16) {
                versions.add(version.asString());
            }
        }
        if (versions.isEmpty()) {
            return null;
        }
        JsonNode info = result.path("_meta").path("io.modelcontextprotocol/serverInfo");
        if (!info.isObject()) {
            info = result.path("serverInfo");
        }
        return new McpSession.Initialized(
                versions.contains(MODERN_PROTOCOL_VERSION) ? MODERN_PROTOCOL_VERSION : null,
                versions,
                info.path("name").isString() ? info.path("name").asString() : null,
                info.path("version").isString() ? info.path("version").asString() : null);
    }

    /** Reads a whole body of at most {@code max} bytes; larger is {@link ProbeFailure.Kind#TOO_LARGE}. */
    static byte[] readBounded(InputStream in, int max) throws IOException, ProbeFailure {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
            throw tooLarge(max);
        }
        return bytes;
    }

    static ProbeFailure tooLarge(int max) {
        return ProbeFailure.of(ProbeFailure.Kind.TOO_LARGE, "response larger than " + max / (1024 * 1024) + " MiB");
    }

    static JsonNode parse(byte[] bytes, String what) throws ProbeFailure {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ProbeFailure.of(
                        ProbeFailure.Kind.PROTOCOL, "invalid MCP/JSON-RPC response: " + what + " is not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw ProbeFailure.of(
                    ProbeFailure.Kind.PROTOCOL, "invalid MCP/JSON-RPC response: " + what + " is not JSON");
        }
    }

    /**
     * A refusal by HTTP status: the server's JSON-RPC error when its body carries one (its own code and words),
     * otherwise the status alone. Any other body is not copied: it may be anything the address serves.
     */
    static ProbeFailure refusal(HttpResponse<InputStream> response, String method) {
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            return ProbeFailure.httpStatus(status);
        }
        try (InputStream in = response.body()) {
            if (isJson(response)) {
                byte[] body = in.readNBytes(MAX_ERROR_BODY);
                JsonNode message = JSON.readTree(new String(body, StandardCharsets.UTF_8));
                JsonNode error = message == null ? null : message.path("error");
                if (error != null && error.isObject()) {
                    return rpcError(error, method, status);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // the status says enough
        }
        return ProbeFailure.httpStatus(status);
    }

    static boolean isJson(HttpResponse<?> response) {
        return contentType(response).startsWith("application/json");
    }

    static boolean isEventStream(HttpResponse<?> response) {
        return contentType(response).startsWith("text/event-stream");
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Content-Type")
                .orElse("")
                .toLowerCase(Locale.ROOT)
                .strip();
    }

    /**
     * Sends a request whose answer is read as a stream, tracked by {@code inflight} (release it when done); a
     * failure to connect or send is typed, and nothing is sent once the deadline passed.
     */
    static HttpResponse<InputStream> send(
            java.net.http.HttpClient http, java.net.http.HttpRequest request, Inflight inflight) throws ProbeFailure {
        if (inflight.aborted()) {
            throw ProbeFailure.of(ProbeFailure.Kind.TIMEOUT, "no complete answer in time");
        }
        // Sent asynchronously and waited for, so that the deadline can cancel a request whose answer has not begun
        // (a server holding back its headers): the waiting thread is free at once, not at the request's timeout.
        java.util.concurrent.CompletableFuture<HttpResponse<InputStream>> answer =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        inflight.waiting(answer);
        try {
            HttpResponse<InputStream> response = answer.get();
            inflight.track(response.body());
            return response;
        } catch (java.util.concurrent.CancellationException e) {
            throw ProbeFailure.of(ProbeFailure.Kind.TIMEOUT, "no complete answer in time");
        } catch (java.util.concurrent.ExecutionException e) {
            throw ProbeFailure.from(e.getCause() == null ? e : e.getCause(), inflight.aborted());
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw ProbeFailure.of(ProbeFailure.Kind.TIMEOUT, "interrupted");
        } finally {
            inflight.answered(answer);
        }
    }
}
