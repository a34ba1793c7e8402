package dev.mcpgw.runtime.http;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Facts about the client that the gateway in front of the runtime passes on. The forwarded headers
 * (X-Real-IP, X-Forwarded-Proto, X-Forwarded-Host) are believed only from a configured trusted proxy
 * ({@link TrustedProxies}, as {@link WebGuard} found the peer to be); from anyone else they could be forged.
 */
public final class Clients {

    /** The request attribute {@link WebGuard} sets: whether the peer is a trusted proxy. */
    static final String TRUSTED_PROXY = "mcpgw.trusted-proxy";

    private Clients() {}

    public static boolean fromTrustedProxy(Context ctx) {
        return fromTrustedProxy(ctx.req());
    }

    public static boolean fromTrustedProxy(HttpServletRequest request) {
        return Boolean.TRUE.equals(request.getAttribute(TRUSTED_PROXY));
    }

    /** The client's address: the one the gateway saw, behind it. */
    public static String address(HttpServletRequest request) {
        String real = realIp(request.getHeader("X-Real-IP"), fromTrustedProxy(request));
        return real != null ? real : request.getRemoteAddr();
    }

    /** The address a trusted gateway says the client has, or null when there is none to believe. */
    private static String realIp(String header, boolean trusted) {
        return header != null && trusted && header.matches("[0-9A-Fa-f.:]{1,45}") ? header : null;
    }

    /** The client's address: the one the gateway saw, behind it. */
    public static String address(Context ctx) {
        return address(ctx.req());
    }

    /** The address of a WebSocket's client, as {@link #address(HttpServletRequest)} for its upgrade request. */
    public static String address(io.javalin.websocket.WsContext ctx) {
        String real = realIp(ctx.header("X-Real-IP"), Boolean.TRUE.equals(ctx.attribute(TRUSTED_PROXY)));
        if (real != null) {
            return real;
        }
        return ctx.session.getRemoteSocketAddress() instanceof java.net.InetSocketAddress socket
                        && socket.getAddress() != null
                ? socket.getAddress().getHostAddress()
                : "unknown";
    }

    /** Whether the client reached us over TLS (directly, or at the gateway). */
    public static boolean secure(Context ctx) {
        return ctx.req().isSecure()
                || (fromTrustedProxy(ctx) && "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")));
    }

    /** {@code scheme://host[:port]} as the client addressed us, for comparing with an Origin header. */
    public static String origin(Context ctx) {
        return (secure(ctx) ? "https://" : "http://") + host(ctx.req());
    }

    /** The Host the client addressed (checked by {@link WebGuard} against the hosts served). */
    public static String host(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-Host");
        return forwarded != null && fromTrustedProxy(request) ? forwarded : request.getHeader("Host");
    }
}
