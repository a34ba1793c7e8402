package dev.mcpgw.core.model;

import java.util.Locale;
import java.util.Set;

/** A header the gateway adds to upstream requests; its value is {@code prefix} + the referenced secret. */
public record UpstreamHeader(String name, SecretReference valueFrom, String prefix) {

    /**
     * Headers the gateway or the MCP protocol own - every header the gateway sets or strips itself, since a second
     * setting of one would pass the client's own value to every other server; an entry may not set them.
     */
    static final Set<String> RESERVED = Set.of(
            "accept-encoding",
            "connection",
            "content-length",
            "content-type",
            "cookie",
            "forwarded",
            "host",
            "keep-alive",
            "last-event-id",
            "mcp-method",
            "mcp-name",
            "mcp-protocol-version",
            "mcp-session-id",
            "origin",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "x-forwarded-for",
            "x-forwarded-host",
            "x-forwarded-prefix",
            "x-forwarded-proto",
            "x-real-ip");

    public UpstreamHeader {
        Syntax.require(Syntax.HEADER_NAME, name, "header name");
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED.contains(lower)
                || lower.startsWith("proxy-")
                || lower.startsWith("mcp-param-")
                || lower.startsWith("x-mcpgw-")) {
            throw new IllegalArgumentException(
                    "header " + name + " is set by the gateway or the MCP protocol " + "and cannot be configured here");
        }
        if (valueFrom == null) {
            throw new IllegalArgumentException("a header needs value_from (env or file)");
        }
        prefix = prefix == null ? "" : prefix;
        if (!prefix.isEmpty()) {
            Syntax.require(Syntax.HEADER_PREFIX, prefix, "header value prefix");
        }
    }
}
