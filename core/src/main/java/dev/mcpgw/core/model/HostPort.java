package dev.mcpgw.core.model;

/** A replica's address. */
public record HostPort(String host, int port) {

    public HostPort {
        Syntax.require(Syntax.HOST, host, "host");
        Syntax.requirePort(port);
    }

    public static HostPort parse(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon < hostAndPort.lastIndexOf(']')) {
            throw new IllegalArgumentException("must be host:port");
        }
        return new HostPort(hostAndPort.substring(0, colon), UpstreamUrl.parsePort(hostAndPort.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
