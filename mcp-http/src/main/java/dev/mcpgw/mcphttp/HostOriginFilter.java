package dev.mcpgw.mcphttp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * DNS-rebinding protection for an MCP server on this machine, whatever answers the request (the SDK, or
 * {@link StatelessMcpFilter} for 2026 clients): a request must name one of the server's own hosts, and a
 * browser's request must come from one of its own origins; otherwise 403 and a JSON-RPC error.
 */
public final class HostOriginFilter implements Filter {

    private final Set<String> hosts;
    private final Set<String> origins;

    /**
     * @param hosts   Host header values served, for example {@code 127.0.0.1:8001}
     * @param origins Origin values allowed, for example {@code http://127.0.0.1:8001}
     */
    public HostOriginFilter(Set<String> hosts, Set<String> origins) {
        this.hosts = lower(hosts);
        this.origins = lower(origins);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String host = http.getHeader("Host");
        String origin = http.getHeader("Origin");
        if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
            refuse((HttpServletResponse) response, "this server does not answer for host " + printable(host));
            return;
        }
        if (origin != null && !origins.contains(origin.toLowerCase(Locale.ROOT))) {
            refuse((HttpServletResponse) response, "requests from pages of " + printable(origin) + " are refused");
            return;
        }
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, String message) throws IOException {
        response.setStatus(403);
        response.setContentType("application/json");
        byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":"
                        + tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(message) + "}}")
                .getBytes(StandardCharsets.UTF_8);
        response.getOutputStream().write(body);
    }

    private static String printable(String value) {
        if (value == null) {
            return "(none)";
        }
        String cut = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static Set<String> lower(Set<String> values) {
        return values.stream().map(value -> value.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
