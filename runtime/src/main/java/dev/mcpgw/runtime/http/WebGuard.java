package dev.mcpgw.runtime.http;

import dev.mcpgw.core.model.WebOrigins;
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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every request to the runtime passes before any handler sees it - the website, the API, WebSockets, the
 * access check and the {@code mcpgw} MCP server alike:
 *
 * <ul>
 *   <li>the peer is a trusted proxy or not ({@link TrustedProxies}; recorded for {@link Clients});
 *   <li>the host the client addressed is one served here (the gateway's, or this listener's own; behind a trusted
 *       gateway, the one its client named too), so a page on a rebound domain gets nothing (421);
 *   <li>a browser's {@code Origin}, when sent, is an allowed one (403): no other site's page calls the API, reads
 *       the WebSocket feeds with a visitor's cookie, or calls {@code mcpgw}'s tools;
 *   <li>a body names a charset this JVM has (415), and one sent without Content-Length stops at its route's
 *       limit while being read (413; announced lengths were checked by {@link BodyGate} before reading);
 *   <li>(before this filter, {@link BodyGate} read the body without a thread, within a deadline).
 * </ul>
 *
 * {@code /health}, {@code /metrics} and {@code /auth/check} skip the host and origin checks (see {@link #EXEMPT}).
 * Refusals are short JSON; nothing is logged for a client's mistake.
 */
public final class WebGuard implements Filter {

    /** The documented limit for API bodies (registrations, edits, sign-in). */
    public static final long API_BODY_LIMIT = 256 * 1024;
    /** MCP request bodies (the access check reads the gateway's, which allows 4 MiB; mcpgw's own). */
    public static final long MCP_BODY_LIMIT = 4 * 1024 * 1024;

    private static final JsonMapper JSON = JsonMapper.shared();
    /**
     * Not for browsers: probes and scrapers address the runtime by its machine's address, and the gateway's
     * access check (which carries the client's own headers) comes after the gateway checked them itself.
     */
    private static final java.util.Set<String> EXEMPT = java.util.Set.of("/health", "/metrics", "/auth/check");

    private final WebOrigins gateway;
    private final TrustedProxies proxies;
    private final String listenHost;
    /** Requests being answered now (an asynchronous one, such as an MCP stream, only until it is handed off). */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    private volatile WebOrigins own;

    /**
     * @param gateway    the hosts and origins of the gateway in front (and those configured besides)
     * @param listenHost the address this runtime listens on: its own origin is that (loopback names for a
     *                   loopback or every-address listener) at the port it listens on
     */
    public WebGuard(WebOrigins gateway, TrustedProxies proxies, String listenHost) {
        this.gateway = gateway;
        this.proxies = proxies;
        this.listenHost = listenHost;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (request.getAttribute(BodyGate.DEADLINE) instanceof java.util.concurrent.Future<?> deadline) {
            deadline.cancel(false); // the body is here (read before any filter runs)
        }
        boolean viaProxy = proxies.trusts(request.getRemoteAddr());
        request.setAttribute(Clients.TRUSTED_PROXY, viaProxy);
        String path = request.getRequestURI();
        if (!EXEMPT.contains(path)) {
            WebOrigins mine = own(request);
            // The Host names this listener or the gateway; behind a trusted gateway, the host its client named
            // (X-Forwarded-Host) must be served too - a page on a rebound name reaching the runtime directly
            // from this machine cannot pass by sending that header itself, since its Host stays its own.
            String host = request.getHeader("Host");
            boolean served = gateway.servesHost(host) || mine.servesHost(host);
            String forwarded = request.getHeader("X-Forwarded-Host");
            if (served && viaProxy && forwarded != null) {
                served = gateway.servesHost(forwarded) || mine.servesHost(forwarded);
            }
            if (!served) {
                refuse(
                        response,
                        421,
                        "unknown_host",
                        "this runtime does not serve the host name in the Host "
                                + "header; reach it through its gateway, or name the host with --allow-host");
                return;
            }
            String origin = request.getHeader("Origin");
            if (!gateway.allowsOrigin(origin) && !mine.allowsOrigin(origin)) {
                refuse(
                        response,
                        403,
                        "forbidden_origin",
                        "browsers may call the registry only from the origins "
                                + "it allows (the gateway's own, and --allow-origin)");
                return;
            }
        }
        // The header as sent: Jetty's getContentType() throws on a charset it does not know.
        String type = request.getHeader("Content-Type");
        if (type != null && !knownCharset(type)) {
            refuse(
                    response,
                    415,
                    "unsupported_charset",
                    "the Content-Type names a charset this server does not " + "know; send UTF-8");
            return;
        }
        // Bodies announced too large never get here (BodyGate refused them unread); one sent without a length
        // stops at the route's limit while being read.
        long limit = limitFor(path);
        HttpServletRequest bounded = request.getContentLengthLong() >= 0 ? request : new Limited(request, limit);
        inFlight.incrementAndGet();
        try {
            chain.doFilter(bounded, response);
        } finally {
            if (inFlight.decrementAndGet() == 0) {
                synchronized (inFlight) {
                    inFlight.notifyAll();
                }
            }
        }
    }

    /** Waits until no request is being answered, at most {@code patience}; false when some still are. */
    public boolean awaitIdle(java.time.Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        synchronized (inFlight) {
            while (inFlight.get() > 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                try {
                    inFlight.wait(Math.min(left, 50));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** The largest body a route accepts: MCP bodies (the access check's, mcpgw's), or the API's. */
    static long limitFor(String path) {
        return path.equals("/auth/check") || path.startsWith("/mcpgw/") ? MCP_BODY_LIMIT : API_BODY_LIMIT;
    }

    private WebOrigins own(HttpServletRequest request) {
        WebOrigins known = own;
        int port = request.getLocalPort();
        if (known == null || !known.servesHost(ownHost(port))) {
            known = WebOrigins.of("http://" + ownHost(port), List.of(), List.of());
            own = known;
        }
        return known;
    }

    private String ownHost(int port) {
        boolean anywhere = listenHost.equals("0.0.0.0") || listenHost.equals("::") || listenHost.equals("[::]");
        String host = anywhere
                ? "127.0.0.1"
                : listenHost.contains(":") && !listenHost.startsWith("[") ? "[" + listenHost + "]" : listenHost;
        return host + ":" + port;
    }

    private static boolean knownCharset(String contentType) {
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.strip().split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
                String name = pair[1].strip().replace("\"", "");
                try {
                    return Charset.isSupported(name);
                } catch (IllegalCharsetNameException e) {
                    return false;
                }
            }
        }
        return true;
    }

    static void refuse(HttpServletResponse response, int status, String code, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.getOutputStream()
                .write(JSON.writeValueAsBytes(
                        JSON.createObjectNode().put("error", code).put("message", message)));
    }

    /** A request whose body (sent without Content-Length) stops with an error past the limit. */
    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    private int count(int n) throws IOException {
                        if (n > 0 && (read += n) > limit) {
                            throw new BodyTooLargeException(limit);
                        }
                        return n;
                    }

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        count(b < 0 ? -1 : 1);
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        return count(in.read(buffer, offset, length));
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset =
                    encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding.toLowerCase(Locale.ROOT));
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    /** A body sent without Content-Length grew past the route's limit. */
    public static final class BodyTooLargeException extends IOException {
        public BodyTooLargeException(long limit) {
            super("the request body is larger than the " + limit + " bytes accepted here");
        }
    }
}
