package dev.mcpgw.mcphttp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * In front of an MCP server's servlet: every error answer is a short JSON-RPC error object, never a serialized
 * Java exception or a servlet container's error page.
 *
 * <p>The MCP Java SDK answers a client's mistake (no session id, an unknown session, a body that is not
 * JSON-RPC) by serializing its {@code McpError} - message, cause and some thirty stack frames, about 7 KB - or
 * through {@code sendError}, which the container renders as a page. Here an answer with status 400 or more is
 * held, its message and JSON-RPC code kept, and it is sent as
 * {@code {"jsonrpc":"2.0","id":null,"error":{"code":…,"message":…}}}. An exception escaping the servlet is
 * logged once with its stack trace and answered as an internal error (-32603). Successful answers and streams
 * pass untouched.
 */
public final class JsonRpcErrorFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(JsonRpcErrorFilter.class);

    /** The longest message passed on; the SDK's own are a sentence. */
    static final int MAX_MESSAGE = 300;

    private static final JsonMapper JSON = JsonMapper.shared();

    public JsonRpcErrorFilter() {}

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletResponse http = (HttpServletResponse) response;
        ErrorAnswer wrapped = new ErrorAnswer(http);
        try {
            chain.doFilter(request, wrapped);
        } catch (IOException | ServletException | RuntimeException e) {
            if (http.isCommitted()) {
                throw e;
            }
            LOG.error(
                    "MCP request {} {} failed",
                    ((HttpServletRequest) request).getMethod(),
                    ((HttpServletRequest) request).getRequestURI(),
                    e);
            wrapped.answer(500, -32603, "internal error; the server's log has the details");
            return;
        }
        wrapped.finish();
    }

    /** A JSON-RPC error object as an HTTP answer's body. */
    static byte[] errorBody(int code, String message) {
        ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").putNull("id");
        body.putObject("error").put("code", code).put("message", shorten(message));
        return JSON.writeValueAsBytes(body);
    }

    /**
     * The JSON-RPC error an error answer of {@code status} stands for: its own when it already is one, else the
     * code and message its body (an SDK {@code McpError}, or plain text) carries.
     */
    static byte[] rewrite(int status, byte[] body) {
        int fallback = status >= 500 ? -32603 : -32600;
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return errorBody(fallback, reason(status));
        }
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (JacksonException notJson) {
            return errorBody(fallback, text.length() <= MAX_MESSAGE && !text.contains("<") ? text : reason(status));
        }
        if (json != null && json.isObject() && json.has("jsonrpc") && !json.has("stackTrace")) {
            return body;
        }
        JsonNode inner = json == null ? null : json.path("jsonRpcError");
        int code =
                inner != null && inner.path("code").isInt() ? inner.path("code").asInt() : fallback;
        String message = inner != null && inner.path("message").isString()
                ? inner.path("message").asString()
                : json != null && json.path("message").isString()
                        ? json.path("message").asString()
                        : reason(status);
        return errorBody(code, message);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 406 -> "not acceptable";
            case 415 -> "unsupported media type";
            default -> status >= 500 ? "internal error" : "request refused";
        };
    }

    private static String shorten(String message) {
        String oneLine = message.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
        return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE) + "…";
    }

    /** Holds the body of an answer whose status is an error; everything else goes straight through. */
    private static final class ErrorAnswer extends HttpServletResponseWrapper {
        private final HttpServletResponse http;
        private ByteArrayOutputStream held;
        private PrintWriter heldWriter;
        private ServletOutputStream heldStream;
        private boolean answered;

        ErrorAnswer(HttpServletResponse http) {
            super(http);
            this.http = http;
        }

        private boolean holding() {
            return !answered && http.getStatus() >= 400;
        }

        @Override
        public void sendError(int status) throws IOException {
            answer(status, status >= 500 ? -32603 : -32600, reason(status));
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            answer(status, status >= 500 ? -32603 : -32600, message == null ? reason(status) : message);
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (!holding()) {
                return super.getWriter();
            }
            if (heldWriter == null) {
                heldWriter = new PrintWriter(new OutputStreamWriter(buffer(), StandardCharsets.UTF_8)) {
                    @Override
                    public void flush() {
                        super.flush();
                        emit();
                    }

                    @Override
                    public void close() {
                        super.flush();
                        emit();
                    }
                };
            }
            return heldWriter;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (!holding()) {
                return super.getOutputStream();
            }
            if (heldStream == null) {
                ByteArrayOutputStream buffer = buffer();
                heldStream = new ServletOutputStream() {
                    @Override
                    public void write(int b) {
                        buffer.write(b);
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) {
                        buffer.write(bytes, offset, length);
                    }

                    @Override
                    public void close() {
                        emit();
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        throw new IllegalStateException("error answers are written at once");
                    }
                };
            }
            return heldStream;
        }

        private ByteArrayOutputStream buffer() {
            if (held == null) {
                held = new ByteArrayOutputStream();
            }
            return held;
        }

        /** Sends what was held, rewritten; once. */
        private void emit() {
            if (answered || held == null) {
                return;
            }
            try {
                write(http.getStatus(), rewrite(http.getStatus(), held.toByteArray()));
            } catch (IOException e) {
                // The client went away; nothing to tell it.
            }
        }

        void answer(int status, int code, String message) throws IOException {
            if (answered || http.isCommitted()) {
                return;
            }
            http.setStatus(status);
            write(status, errorBody(code, message));
        }

        private void write(int status, byte[] body) throws IOException {
            answered = true;
            http.setStatus(status);
            http.setContentType("application/json");
            http.setContentLength(body.length);
            http.getOutputStream().write(body);
            http.getOutputStream().flush();
        }

        /** After the servlet returned: sends a held answer it did not flush. */
        void finish() throws IOException {
            if (heldWriter != null) {
                heldWriter.flush();
            }
            emit();
        }
    }
}
