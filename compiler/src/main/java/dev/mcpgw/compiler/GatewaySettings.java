package dev.mcpgw.compiler;

import dev.mcpgw.core.model.FieldException;
import dev.mcpgw.core.model.GatewayUrls;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.model.WebOrigins;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the gateway itself is set up, from {@code mcpgw compile}'s options. A value it refuses is a
 * {@link FieldException} naming the component, which the CLI turns into the option's name.
 *
 * @param listen       where the gateway accepts clients (plain HTTP, or HTTPS when {@code tls} is set)
 * @param runtime      the runtime served at {@code /} and the paths it owns, or null for none
 * @param tls          certificate and key for HTTPS, or null
 * @param redirectHttp with TLS, a plain-HTTP listener that redirects to HTTPS, or null
 * @param upstreamCa   CA bundle to verify https upstreams against
 * @param resolvers    DNS servers for upstreams named by host name (resolved per request, not at load)
 * @param workerProcesses nginx worker processes: {@code auto} (one per core) or 1-256; fewer when nginx shares
 *                     a small machine with the upstreams
 * @param auth         ask the runtime whether each MCP request may pass (nginx Lua, with the body), as access.yaml says
 * @param web          the gateway's public URL and the browsers it serves ({@link Web#LOCAL}: derived from listen)
 */
public record GatewaySettings(
        HostPort listen,
        UpstreamUrl runtime,
        Tls tls,
        HostPort redirectHttp,
        Path upstreamCa,
        List<String> resolvers,
        String workerProcesses,
        boolean auth,
        Web web) {

    /**
     * Who may reach the gateway from a browser (DNS rebinding, cross-site requests): the gateway's public URL
     * (null: {@code http(s)://<listen>}, all loopback names when listening on loopback or on every address), more
     * host names it is reached by, and more web origins allowed to send requests.
     */
    public record Web(String gatewayUrl, List<String> hosts, List<String> origins) {
        public static final Web LOCAL = new Web(null, List.of(), List.of());

        public Web {
            hosts = List.copyOf(hosts);
            origins = List.copyOf(origins);
        }
    }

    public static final HostPort DEFAULT_LISTEN = new HostPort("127.0.0.1", 8080);
    public static final Path DEFAULT_UPSTREAM_CA = Path.of("/etc/ssl/certs/ca-certificates.crt");
    public static final List<String> DEFAULT_RESOLVERS = List.of("127.0.0.53");

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|\\[?[0-9A-Fa-f:.]{2,45}]?");

    public GatewaySettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(upstreamCa, "upstreamCa");
        if (!workerProcesses.matches("auto|[1-9][0-9]{0,2}")
                || !workerProcesses.equals("auto") && Integer.parseInt(workerProcesses) > 256) {
            throw new FieldException("workerProcesses", "must be auto or 1-256, not '" + workerProcesses + "'");
        }
        resolvers = List.copyOf(resolvers);
        if (resolvers.isEmpty()) {
            throw new FieldException(
                    "resolvers", "at least one DNS resolver is needed for upstreams named by host name");
        }
        for (String resolver : resolvers) {
            if (!IP_LITERAL.matcher(resolver).matches()) {
                throw new FieldException("resolvers", "'" + resolver + "' is not an IP address");
            }
        }
        if (redirectHttp != null && tls == null) {
            throw new FieldException("redirectHttp", "an HTTP-to-HTTPS redirect needs TLS (--tls-cert and --tls-key)");
        }
        if (auth && runtime == null) {
            throw new FieldException("auth", "access checks need the runtime, which answers them; give --runtime-url");
        }
        if (runtime != null && !runtime.basePath().isEmpty()) {
            throw new FieldException("runtime", "the runtime URL may not have a path; give scheme, host and port");
        }
        Objects.requireNonNull(web, "web");
        try {
            webOrigins(listen, tls, web);
        } catch (IllegalArgumentException e) {
            throw new FieldException("web", e.getMessage());
        }
    }

    /** The hosts this gateway serves and the origins it accepts browser requests from. */
    public WebOrigins webOrigins() {
        return webOrigins(listen, tls, web);
    }

    /** The gateway's public URL: as configured, or where it listens (localhost for loopback and every address). */
    public String gatewayUrl() {
        return gatewayUrl(listen, tls, web);
    }

    private static String gatewayUrl(HostPort listen, Tls tls, Web web) {
        if (web.gatewayUrl() != null) {
            return GatewayUrls.base(web.gatewayUrl());
        }
        String host = listen.host();
        boolean anywhere = host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::");
        return (tls == null ? "http://" : "https://") + (anywhere ? "localhost" : host) + ":" + listen.port();
    }

    private static WebOrigins webOrigins(HostPort listen, Tls tls, Web web) {
        return WebOrigins.of(gatewayUrl(listen, tls, web), web.hosts(), web.origins());
    }

    public static GatewaySettings defaults() {
        return new GatewaySettings(
                DEFAULT_LISTEN, null, null, null, DEFAULT_UPSTREAM_CA, DEFAULT_RESOLVERS, "auto", false, Web.LOCAL);
    }

    public GatewaySettings withListen(HostPort newListen) {
        return new GatewaySettings(
                newListen, runtime, tls, redirectHttp, upstreamCa, resolvers, workerProcesses, auth, web);
    }

    public GatewaySettings withRuntime(UpstreamUrl newRuntime) {
        return new GatewaySettings(
                listen, newRuntime, tls, redirectHttp, upstreamCa, resolvers, workerProcesses, auth, web);
    }

    public GatewaySettings withTls(Tls newTls, HostPort newRedirectHttp) {
        return new GatewaySettings(
                listen, runtime, newTls, newRedirectHttp, upstreamCa, resolvers, workerProcesses, auth, web);
    }

    public GatewaySettings withWorkerProcesses(String newWorkerProcesses) {
        return new GatewaySettings(
                listen, runtime, tls, redirectHttp, upstreamCa, resolvers, newWorkerProcesses, auth, web);
    }

    public GatewaySettings withAuth(boolean newAuth) {
        return new GatewaySettings(
                listen, runtime, tls, redirectHttp, upstreamCa, resolvers, workerProcesses, newAuth, web);
    }

    public GatewaySettings withWeb(Web newWeb) {
        return new GatewaySettings(
                listen, runtime, tls, redirectHttp, upstreamCa, resolvers, workerProcesses, auth, newWeb);
    }

    /** IP literals, as {@code resolver} and upstream blocks need them. */
    public static boolean isIpLiteral(String host) {
        return IP_LITERAL.matcher(host).matches();
    }

    /** Certificate chain and private key files in PEM form. */
    public record Tls(Path certificate, Path key) {
        public Tls {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
        }
    }
}
