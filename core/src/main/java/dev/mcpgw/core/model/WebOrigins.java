package dev.mcpgw.core.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which browsers may talk to the gateway and the runtime, against DNS rebinding and cross-site requests: the
 * host names they serve (a request's {@code Host} must name one) and the web origins allowed to send requests
 * (a request's {@code Origin}, when it has one, must be one of them).
 *
 * <p>The gateway's public URL gives both: its host (all three loopback names when it is one of them, since a
 * browser may use any) and the origins of those hosts. More hosts (another name the gateway is reached by, say
 * its in-cluster service name) and more origins (a web application on another site that calls MCP servers) come
 * from configuration. Hosts and origins are kept in canonical form: lower case, the port only when it is not
 * the scheme's default.
 *
 * @param hosts   {@code host} or {@code host:port} values a {@code Host} header may carry, canonical
 * @param origins {@code scheme://host[:port]} values an {@code Origin} header may carry, canonical
 */
public record WebOrigins(Set<String> hosts, Set<String> origins) {

    private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

    public WebOrigins {
        hosts = Set.copyOf(hosts);
        origins = Set.copyOf(origins);
    }

    /**
     * The hosts and origins of {@code gatewayUrl}, plus {@code moreHosts} ({@code host[:port]}) and
     * {@code moreOrigins} ({@code scheme://host[:port]}).
     *
     * @throws IllegalArgumentException naming the value that is not a URL, host or origin
     */
    public static WebOrigins of(String gatewayUrl, List<String> moreHosts, List<String> moreOrigins) {
        Set<String> hosts = new LinkedHashSet<>();
        Set<String> origins = new LinkedHashSet<>();
        UpstreamUrl gateway;
        try {
            gateway = UpstreamUrl.parse(GatewayUrls.base(gatewayUrl));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gateway URL '" + gatewayUrl + "': " + e.getMessage());
        }
        for (String host : sameMachine(gateway.host())) {
            hosts.add(hostValue(gateway.scheme(), host, gateway.port()));
            origins.add(gateway.scheme() + "://" + hostValue(gateway.scheme(), host, gateway.port()));
        }
        for (String host : moreHosts) {
            hosts.add(canonicalHost(host));
        }
        for (String origin : moreOrigins) {
            origins.add(canonicalOrigin(origin));
        }
        return new WebOrigins(hosts, origins);
    }

    /** The loopback names and origins at {@code port} only: what {@code mcpgw up} serves. */
    public static WebOrigins local(int port) {
        return of("http://127.0.0.1:" + port, List.of(), List.of());
    }

    /** Whether a request's {@code Host} header names a host served here. */
    public boolean servesHost(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty() || hostHeader.length() > 300) {
            return false;
        }
        try {
            return hosts.contains(canonicalHost(hostHeader));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /** Whether a request's {@code Origin} header (null when absent: not a cross-site browser request) may pass. */
    public boolean allowsOrigin(String originHeader) {
        if (originHeader == null) {
            return true;
        }
        try {
            return origins.contains(canonicalOrigin(originHeader));
        } catch (IllegalArgumentException malformed) {
            return false; // including "null", sent by sandboxed frames and file: pages
        }
    }

    /** The host with, when it is not the scheme's default, its port; both as a Host header carries them. */
    private static String hostValue(String scheme, String host, int port) {
        boolean defaultPort = port == (scheme.equals("https") ? 443 : 80);
        return defaultPort ? host : host + ":" + port;
    }

    /** {@code host} or {@code host:port}, lower case; a port of 80 or 443 is kept (the scheme is unknown here). */
    static String canonicalHost(String value) {
        String lower = value.strip().toLowerCase(Locale.ROOT);
        int colon = lower.lastIndexOf(':');
        boolean hasPort = colon > lower.lastIndexOf(']');
        String host = hasPort ? lower.substring(0, colon) : lower;
        Syntax.require(Syntax.HOST, host, "host");
        if (hasPort) {
            int port = UpstreamUrl.parsePort(lower.substring(colon + 1));
            Syntax.requirePort(port);
            return host + ":" + port;
        }
        return host;
    }

    /** {@code scheme://host[:port]} in canonical form; anything more (a path, a user) is refused. */
    static String canonicalOrigin(String value) {
        String lower = value.strip().toLowerCase(Locale.ROOT);
        int separator = lower.indexOf("://");
        if (separator < 0) {
            throw new IllegalArgumentException("'" + value + "' is not an origin: give scheme://host[:port]");
        }
        String scheme = lower.substring(0, separator);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + value + "' is not an http or https origin");
        }
        String authority = lower.substring(separator + 3);
        if (authority.endsWith("/")) {
            authority = authority.substring(0, authority.length() - 1);
        }
        if (authority.isEmpty()
                || authority.contains("/")
                || authority.contains("@")
                || authority.contains("?")
                || authority.contains("#")) {
            throw new IllegalArgumentException(
                    "'" + value + "' is not an origin: give scheme://host[:port], " + "without a path");
        }
        String host = canonicalHost(authority);
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']')) {
            int port = Integer.parseInt(host.substring(colon + 1));
            host = hostValue(scheme, host.substring(0, colon), port);
        }
        return scheme + "://" + host;
    }

    /** A loopback host is reached by all three loopback names; any other host by its own name. */
    private static List<String> sameMachine(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return LOOPBACK.contains(lower) || lower.equals("::1") ? LOOPBACK : List.of(lower);
    }

    /** Hosts in a fixed order, for output that must be deterministic. */
    public List<String> sortedHosts() {
        List<String> sorted = new ArrayList<>(hosts);
        sorted.sort(null);
        return sorted;
    }

    /** Origins in a fixed order, for output that must be deterministic. */
    public List<String> sortedOrigins() {
        List<String> sorted = new ArrayList<>(origins);
        sorted.sort(null);
        return sorted;
    }
}
