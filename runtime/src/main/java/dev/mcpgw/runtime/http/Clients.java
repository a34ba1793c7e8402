package dev.mcpgw.runtime.http;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Facts about the client that the gateway in front of the runtime passes on. The forwarded headers
 * (X-Real-IP, X-Forwarded-Proto, X-Forwarded-Host) are believed only from a loopback peer, where the
 * gateway runs; from anyone else they could be forged.
 */
public final class Clients {

    private Clients() {}

    public static boolean fromTrustedProxy(Context ctx) {
        try {
            return InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The client's address: the one the gateway saw, behind it. */
    public static String address(Context ctx) {
        String real = ctx.header("X-Real-IP");
        return real != null && fromTrustedProxy(ctx) && real.matches("[0-9A-Fa-f.:]{1,45}") ? real
                : ctx.req().getRemoteAddr();
    }

    /** Whether the client reached us over TLS (directly, or at the gateway). */
    public static boolean secure(Context ctx) {
        return ctx.req().isSecure()
                || (fromTrustedProxy(ctx) && "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")));
    }

    /** {@code scheme://host[:port]} as the client addressed us, for comparing with an Origin header. */
    public static String origin(Context ctx) {
        String host = fromTrustedProxy(ctx) && ctx.header("X-Forwarded-Host") != null
                ? ctx.header("X-Forwarded-Host") : ctx.header("Host");
        return (secure(ctx) ? "https://" : "http://") + host;
    }
}
