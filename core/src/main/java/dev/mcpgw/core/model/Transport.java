package dev.mcpgw.core.model;

/** The MCP transport an upstream server speaks, named as in server entries. */
public enum Transport {
    STREAMABLE_HTTP("streamable-http"),
    SSE("sse");

    private final String entryName;

    Transport(String entryName) {
        this.entryName = entryName;
    }

    /** The name used in {@code transport:} of a server entry. */
    public String entryName() {
        return entryName;
    }

    public static Transport fromEntryName(String name) {
        for (Transport transport : values()) {
            if (transport.entryName.equals(name)) {
                return transport;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + name + "'; use streamable-http or sse");
    }
}
