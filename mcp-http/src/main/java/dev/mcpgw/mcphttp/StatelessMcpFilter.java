package dev.mcpgw.mcphttp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * MCP 2026-07-28 - the stateless revision - over Streamable HTTP, in front of a server of the earlier, stateful
 * revisions (the MCP Java SDK's transport, which has no 2026 support yet): a POST that speaks 2026 (its
 * {@code MCP-Protocol-Version}, its {@code _meta}, or {@code server/discover}) is answered here, from the same
 * tools; every other request passes to the SDK unchanged, so one endpoint serves clients of both eras. The server
 * is reached through {@link Tools}, ours, so that the SDK can take this over when it catches up.
 *
 * <p>What is answered: {@code server/discover}, {@code tools/list}, {@code tools/call}; any other method is
 * HTTP 404 with JSON-RPC {@code -32601} (2026 removed {@code initialize}, {@code ping}, {@code logging/setLevel},
 * {@code resources/subscribe}...). Every refusal is a JSON-RPC error object: a missing or disagreeing header
 * {@code -32020} (HeaderMismatch), a missing {@code _meta} key {@code -32602}, an unsupported version
 * {@code -32022} naming the supported ones, all with HTTP 400.
 */
public final class StatelessMcpFilter implements Filter {

    /** The stateless revision, the only one this filter speaks. */
    public static final String REVISION = "2026-07-28";

    static final String PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion";
    static final String CLIENT_CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities";
    static final String SERVER_INFO_KEY = "io.modelcontextprotocol/serverInfo";

    private static final Logger LOG = LoggerFactory.getLogger(StatelessMcpFilter.class);
    private static final JsonMapper JSON = JsonMapper.shared();
    /** The largest body read here; the SDK's own limits apply to what passes on. */
    private static final int MAX_BODY = 4 * 1024 * 1024;

    /** What a server offers to 2026 clients: its identity, its tools, and a call of one. */
    public interface Tools {

        /** The server's name and version, as {@code _meta}'s serverInfo carries them. */
        Map<String, String> serverInfo();

        /** The tools, each a JSON object of MCP's Tool shape (name, description, inputSchema, ...). */
        List<JsonNode> list(HttpServletRequest request);

        /**
         * Calls tool {@code name}: a CallToolResult object (content, structuredContent, isError), or null when
         * there is no such tool.
         */
        JsonNode call(String name, JsonNode arguments, HttpServletRequest request);
    }

    private final Tools tools;

    public StatelessMcpFilter(Tools tools) {
        this.tools = tools;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        if (!"POST".equals(http.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String version = http.getHeader("MCP-Protocol-Version");
        if (version != null && version.compareTo("2026") < 0) {
            // A client of the stateful era, in session: its body is the SDK's alone to read.
            chain.doFilter(request, response);
            return;
        }
        byte[] body = http.getInputStream().readNBytes(MAX_BODY + 1);
        JsonNode message = parse(body);
        boolean modern = version != null
                || message != null
                        && (message.path("params").path("_meta").has(PROTOCOL_VERSION_KEY)
                                || "server/discover"
                                        .equals(message.path("method").asString(null)));
        if (!modern || body.length > MAX_BODY) {
            chain.doFilter(new Replayed(http, body), response);
            return;
        }
        answer(http, (HttpServletResponse) response, message);
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, JsonNode message) throws IOException {
        if (message == null || !message.isObject() || !message.path("method").isString()) {
            write(response, 400, error(null, -32600, "the body is not one JSON-RPC request", null));
            return;
        }
        JsonNode id = message.get("id");
        String method = message.path("method").asString();
        JsonNode params = message.path("params");
        JsonNode meta = params.path("_meta");
        String header = request.getHeader("MCP-Protocol-Version");
        if (header == null) {
            write(response, 400, error(id, -32020, "Missing MCP-Protocol-Version header", null));
            return;
        }
        List<String> missing = java.util.stream.Stream.of(PROTOCOL_VERSION_KEY, CLIENT_CAPABILITIES_KEY)
                .filter(key -> !meta.has(key))
                .toList();
        if (!missing.isEmpty()) {
            write(
                    response,
                    400,
                    error(id, -32602, "Invalid params: missing _meta keys: " + String.join(", ", missing), null));
            return;
        }
        if (!header.equals(meta.path(PROTOCOL_VERSION_KEY).asString(null))) {
            write(
                    response,
                    400,
                    error(id, -32020, "MCP-Protocol-Version header does not match _meta.protocolVersion", null));
            return;
        }
        if (!REVISION.equals(header)) {
            ObjectNode data = JSON.createObjectNode();
            data.putArray("supported").add(REVISION);
            data.put("requested", header);
            write(response, 400, error(id, -32022, "Unsupported protocol version", data));
            return;
        }
        String methodHeader = request.getHeader("Mcp-Method");
        if (methodHeader != null && !methodHeader.equals(method)) {
            write(response, 400, error(id, -32020, "the Mcp-Method header does not match the body's method", null));
            return;
        }
        String nameHeader = request.getHeader("Mcp-Name");
        if (nameHeader != null
                && method.equals("tools/call")
                && !nameHeader.equals(params.path("name").asString(null))) {
            write(response, 400, error(id, -32020, "the Mcp-Name header does not match params.name", null));
            return;
        }
        if (id == null) {
            response.setStatus(202); // a notification: nothing to answer
            return;
        }
        switch (method) {
            case "server/discover" -> {
                ObjectNode result = JSON.createObjectNode();
                result.putArray("supportedVersions").add(REVISION);
                result.putObject("capabilities").putObject("tools");
                write(response, 200, success(id, cacheable(result)));
            }
            case "tools/list" -> {
                ObjectNode result = JSON.createObjectNode();
                tools.list(request).forEach(result.putArray("tools")::add);
                write(response, 200, success(id, cacheable(result)));
            }
            case "tools/call" -> call(request, response, id, params);
            default -> write(response, 404, error(id, -32601, "Method not found: " + method, null));
        }
    }

    private void call(HttpServletRequest request, HttpServletResponse response, JsonNode id, JsonNode params)
            throws IOException {
        if (!params.path("name").isString()) {
            write(response, 400, error(id, -32602, "tools/call needs params.name as a string", null));
            return;
        }
        String name = params.path("name").asString();
        JsonNode result;
        try {
            result = tools.call(name, params.path("arguments"), request);
        } catch (RuntimeException e) {
            LOG.error("tool {} failed", name, e);
            write(response, 200, error(id, -32603, "the tool failed; the server's log has the details", null));
            return;
        }
        if (result == null) {
            write(response, 200, error(id, -32602, "Unknown tool: " + name, null));
            return;
        }
        ObjectNode answer = result.isObject() ? ((ObjectNode) result).deepCopy() : JSON.createObjectNode();
        answer.put("resultType", "complete");
        write(response, 200, success(id, answer));
    }

    /** A list result's cache hints: fresh on every request, for this client only. */
    private static ObjectNode cacheable(ObjectNode result) {
        result.put("resultType", "complete");
        result.put("ttlMs", 0);
        result.put("cacheScope", "private");
        return result;
    }

    private ObjectNode success(JsonNode id, ObjectNode result) {
        ObjectNode info = result.putObject("_meta").putObject(SERVER_INFO_KEY);
        tools.serverInfo().forEach(info::put);
        ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0");
        message.set("id", id);
        message.set("result", result);
        return message;
    }

    private static ObjectNode error(JsonNode id, int code, String text, JsonNode data) {
        ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0");
        message.set("id", id == null ? JSON.nullNode() : id);
        ObjectNode error = message.putObject("error").put("code", code).put("message", text);
        if (data != null) {
            error.set("data", data);
        }
        return message;
    }

    private static void write(HttpServletResponse response, int status, JsonNode body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0 || body.length > MAX_BODY) {
            return null;
        }
        try {
            return JSON.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JacksonException notJson) {
            return null;
        }
    }

    /** The request with the start of its body read here, for the SDK to read again, the rest following. */
    private static final class Replayed extends HttpServletRequestWrapper {
        private final byte[] body;

        Replayed(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            java.io.InputStream rest;
            try {
                rest = super.getInputStream();
            } catch (IOException e) {
                rest = java.io.InputStream.nullInputStream();
            }
            java.io.InputStream in = new java.io.SequenceInputStream(new ByteArrayInputStream(body), rest);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    try {
                        return in.available() == 0;
                    } catch (IOException e) {
                        return true;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    try {
                        listener.onDataAvailable();
                        listener.onAllDataRead();
                    } catch (IOException e) {
                        listener.onError(e);
                    }
                }

                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
