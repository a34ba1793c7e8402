package dev.mcpgw.core.model;

import java.util.Set;

/**
 * Contract 2, in one place: where clients reach a server through the gateway. {@code <gateway>/<id>/mcp} for
 * Streamable HTTP, {@code <gateway>/<id>/sse} for SSE; the gateway URL is taken without trailing slashes.
 */
public final class GatewayUrls {

    private GatewayUrls() {}

    /** The gateway's base URL as the other URLs are built on: without trailing slashes. */
    public static String base(String gatewayUrl) {
        return gatewayUrl.replaceAll("/+$", "");
    }

    /** Where an MCP client connects to {@code entry} through the gateway. */
    public static String endpoint(ServerEntry entry, String gatewayUrl) {
        return base(gatewayUrl) + entry.path() + (entry.transport() == Transport.SSE ? "/sse" : "/mcp");
    }

    /** Every URL of server {@code id} a token for it may name as its audience: the prefix and both endpoints. */
    public static Set<String> audiences(String gatewayUrl, String id) {
        String prefix = base(gatewayUrl) + "/" + id;
        return Set.of(prefix, prefix + "/mcp", prefix + "/sse");
    }
}
