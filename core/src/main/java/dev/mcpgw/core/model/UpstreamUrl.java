package dev.mcpgw.core.model;

import java.net.URI;
import java.net.URISyntaxException;

/** An upstream base URL: http(s), a host, a port and a path prefix; nothing else (no user-info, query, fragment). */
public record UpstreamUrl(String scheme, String host, int port, String basePath) {

    public UpstreamUrl {
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme '" + scheme + "' is not allowed; use http or https");
        }
        Syntax.require(Syntax.HOST, host, "host");
        Syntax.requirePort(port);
        Syntax.require(Syntax.URL_PATH, basePath, "URL path");
        for (String segment : basePath.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("the path may not contain '.' or '..' segments");
            }
        }
    }

    /** Parses a URL the schema has already checked; explains what is wrong otherwise. */
    public static UpstreamUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: " + e.getReason());
        }
        if (uri.getScheme() == null || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("must be an absolute http:// or https:// URL with a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("may not contain a user name, password, query or fragment");
        }
        String scheme = uri.getScheme();
        String authority = uri.getRawAuthority();
        int portSeparator = authority.lastIndexOf(':');
        boolean hasPort = portSeparator > authority.lastIndexOf(']');
        String host = hasPort ? authority.substring(0, portSeparator) : authority;
        int port = hasPort ? parsePort(authority.substring(portSeparator + 1)) : defaultPort(scheme);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return new UpstreamUrl(scheme, host, port, path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }

    static int parsePort(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + digits + "' is not a number; use 1-65535");
        }
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    /** The URL in canonical form: explicit port, no trailing slash. */
    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port + basePath;
    }
}
