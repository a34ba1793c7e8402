package dev.mcpgw.cli;

import dev.mcpgw.compiler.GatewaySettings;
import dev.mcpgw.compiler.NginxQuote;
import dev.mcpgw.core.model.FieldException;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.UpstreamUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How the gateway is set up: the options {@code compile} and {@code deploy} share. */
final class GatewayOptions {

    private static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:8080",
            description = "Where the gateway listens (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(
            names = "--runtime-url",
            paramLabel = "URL",
            description =
                    "The runtime to serve at / and its paths (/api, /ws, /login, ...), e.g. http://127.0.0.1:7860.")
    String runtimeUrl;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain: serve HTTPS on --listen.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key for --tls-cert.")
    Path tlsKey;

    @Option(
            names = "--redirect-http",
            paramLabel = "HOST:PORT",
            description = "With TLS, also listen for plain HTTP here and redirect it to HTTPS.")
    String redirectHttp;

    @Option(
            names = "--resolver",
            paramLabel = "IP",
            description = "DNS server for upstreams named by host name; repeatable (default: the nameservers of "
                    + "/etc/resolv.conf).")
    List<String> resolvers;

    @Option(
            names = "--upstream-ca",
            paramLabel = "FILE",
            defaultValue = "/etc/ssl/certs/ca-certificates.crt",
            description = "CA bundle that https upstreams are verified against (default: ${DEFAULT-VALUE}).")
    Path upstreamCa;

    @Option(
            names = "--auth",
            description = "Check every MCP request with the runtime (--runtime-url) against "
                    + "access.yaml: 401 without credentials, 403 without a grant for the server or the tool called; "
                    + "tools/list shows only the tools the caller may call. Needs nginx's Lua module "
                    + "(apt-get install libnginx-mod-http-lua).")
    private boolean auth;

    @Option(
            names = "--worker-processes",
            paramLabel = "N",
            defaultValue = "auto",
            description = "nginx worker processes: auto (one per core) or a number; use 1 when nginx shares a small "
                    + "machine with the MCP servers (default: ${DEFAULT-VALUE}).")
    String workerProcesses;

    @Option(
            names = "--gateway-url",
            paramLabel = "URL",
            description =
                    "The gateway's public URL, as browsers and MCP clients reach it, e.g. https://mcp.example.com: "
                            + "requests must name its host, and browsers may call from its origin (default: http://<--listen>, "
                            + "with localhost, 127.0.0.1 and [::1] all accepted for a loopback or every-address listener).")
    String gatewayUrl;

    @Option(
            names = "--allow-host",
            paramLabel = "HOST[:PORT]",
            description = "Another host name clients reach the gateway by (for example its in-cluster service name); "
                    + "repeatable. Requests naming other hosts are refused (DNS rebinding).")
    List<String> allowHosts = List.of();

    @Option(
            names = "--allow-origin",
            paramLabel = "ORIGIN",
            description =
                    "A web origin (scheme://host[:port]) whose pages may call MCP servers and the registry through "
                            + "the gateway; repeatable. Browsers elsewhere are refused (403) and get no CORS approval.")
    List<String> allowOrigins = List.of();

    /** What --gateway-url, --allow-host and --allow-origin say. */
    GatewaySettings.Web web() {
        return new GatewaySettings.Web(gatewayUrl, allowHosts, allowOrigins);
    }

    /** The settings, or a usage error naming the option that is wrong. */
    GatewaySettings settings(CommandSpec spec) {
        HostPort listenAt = parse(spec, "--listen", () -> HostPort.parse(listen));
        UpstreamUrl runtime =
                runtimeUrl == null ? null : parse(spec, "--runtime-url", () -> UpstreamUrl.parse(runtimeUrl));
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(
                    spec.commandLine(), "--tls-cert and --tls-key go together; give both or neither");
        }
        GatewaySettings.Tls tls = tlsCert == null
                ? null
                : new GatewaySettings.Tls(nginxPath(spec, "--tls-cert", tlsCert), nginxPath(spec, "--tls-key", tlsKey));
        HostPort redirect =
                redirectHttp == null ? null : parse(spec, "--redirect-http", () -> HostPort.parse(redirectHttp));
        List<String> dns = resolvers != null ? resolvers : systemResolvers();
        Path ca = nginxPath(spec, "--upstream-ca", upstreamCa);
        try {
            return new GatewaySettings(listenAt, runtime, tls, redirect, ca, dns, workerProcesses, auth, web());
        } catch (FieldException e) {
            throw new ParameterException(
                    spec.commandLine(), OPTIONS.getOrDefault(e.field(), e.field()) + ": " + e.getMessage());
        }
    }

    /** The option that sets each component of {@link GatewaySettings}, to name it in a refusal. */
    private static final java.util.Map<String, String> OPTIONS = java.util.Map.of(
            "listen",
            "--listen",
            "runtime",
            "--runtime-url",
            "tls",
            "--tls-cert",
            "redirectHttp",
            "--redirect-http",
            "upstreamCa",
            "--upstream-ca",
            "resolvers",
            "--resolver",
            "workerProcesses",
            "--worker-processes",
            "auth",
            "--auth",
            "web",
            "--gateway-url, --allow-host or --allow-origin");

    private static <T> T parse(CommandSpec spec, String option, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    /** An absolute path nginx can be given (nginx resolves relative ones against its prefix, not here). */
    private static Path nginxPath(CommandSpec spec, String option, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        parse(spec, option, () -> NginxQuote.quote(absolute.toString()));
        return absolute;
    }

    /** The IP nameservers of /etc/resolv.conf, or the default when there are none. */
    private static List<String> systemResolvers() {
        try {
            List<String> found = Files.readAllLines(RESOLV_CONF).stream()
                    .map(String::strip)
                    .filter(line -> line.startsWith("nameserver "))
                    .map(line -> line.substring("nameserver ".length()).strip())
                    .filter(GatewaySettings::isIpLiteral)
                    .toList();
            return found.isEmpty() ? GatewaySettings.DEFAULT_RESOLVERS : found;
        } catch (IOException e) {
            return GatewaySettings.DEFAULT_RESOLVERS;
        }
    }
}
