package dev.mcpgw.cli;

import dev.mcpgw.compiler.GatewaySettings;
import dev.mcpgw.compiler.GatewaySettingsFile;
import dev.mcpgw.compiler.Nginx;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.runtime.RegistryRuntime;
import dev.mcpgw.runtime.RuntimeSettings;
import dev.mcpgw.runtime.auth.ApiTokens;
import dev.mcpgw.runtime.auth.AuthRoutes;
import dev.mcpgw.runtime.auth.OidcTokens;
import dev.mcpgw.runtime.auth.PasswordHash;
import dev.mcpgw.runtime.auth.SecretKey;
import dev.mcpgw.runtime.http.TrustedProxies;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcpgw serve}: the runtime. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header = "Run the runtime: sign-in, the registry API, live status, the website.",
        description = {
            "Serves the registry API (register, toggle, edit, delete, server_details, tools, refresh), which "
                    + "commits every change to the config branch of --repo; live status over WS /ws/health_status; "
                    + "the MCP Registry v0.1 API; /health and /metrics; and with --site the live website: pages rendered "
                    + "from the registry as it is, which follow every change over WS /ws/registry.",
            "",
            "Environment: ADMIN_USER (default admin) and ADMIN_PASSWORD for sign-in; SECRET_KEY (32+ characters, "
                    + "for example from openssl rand -hex 32) signs session cookies. Without them serve refuses to "
                    + "start unless --dev is given."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped",
            "1:the repository could not be used or the port is taken",
            "2:usage error (including missing ADMIN_PASSWORD or SECRET_KEY)"
        })
final class ServeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ProbeOptions probe;

    @Option(
            names = "--repo",
            paramLabel = "PATH",
            required = true,
            description = "The registry's Git repository (a bare clone is best: the runtime moves its branches).")
    private Path repo;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:7860",
            description = "Where the runtime listens (default: ${DEFAULT-VALUE}).")
    private String listen;

    @Option(
            names = "--site",
            paramLabel = "DIR",
            description =
                    "Serve the live website at /. Its own assets/site.css "
                            + "and assets/site.js in DIR, if any, replace the built-in ones (a site made by mcpgw site will do).")
    private Path site;

    @Option(
            names = "--gateway-url",
            paramLabel = "URL",
            defaultValue = "http://127.0.0.1:8080",
            description = "The gateway's public URL, for the v0.1 API's remotes (default: ${DEFAULT-VALUE}).")
    private String gatewayUrl;

    @Option(
            names = "--allow-host",
            paramLabel = "HOST[:PORT]",
            description = "Another host name browsers reach the registry by, besides --gateway-url's; repeatable. "
                    + "Requests naming other hosts are refused (DNS rebinding); /health and /metrics excepted.")
    private List<String> allowHosts = List.of();

    @Option(
            names = "--allow-origin",
            paramLabel = "ORIGIN",
            description = "A web origin (scheme://host[:port]) whose pages may call the API, the WebSockets and "
                    + "mcpgw, besides the gateway's own; repeatable.")
    private List<String> allowOrigins = List.of();

    @Option(
            names = "--trusted-proxy",
            paramLabel = "IP[/BITS]",
            description = "A gateway in front of the runtime, by address or CIDR block, whose X-Real-IP and "
                    + "X-Forwarded-* headers are believed; repeatable (default: none; --apply trusts loopback, "
                    + "where it runs the gateway).")
    private List<String> trustedProxies = List.of();

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Time between probe rounds (default: ${DEFAULT-VALUE}).")
    private Duration interval;

    @Option(
            names = "--external-probe",
            description = "Do not probe in-process: follow the status branch an mcpgw probe writes.")
    private boolean externalProbe;

    @Option(
            names = "--max-clients",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Most browsers connected to the live status at once (default: ${DEFAULT-VALUE}).")
    private int maxClients;

    @Option(
            names = "--push",
            description = "Push every commit to the remote 'origin' (retrying on top of others' "
                    + "pushes) and fetch its branches every --fetch-interval.")
    private boolean push;

    @Option(
            names = "--fetch-interval",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description = "With --push, how often to fetch others' changes (default: ${DEFAULT-VALUE}).")
    private Duration fetchInterval;

    @Option(
            names = "--apply",
            description = "Deploy every change of the config branch to the nginx running from "
                    + "--prefix, with the gateway options mcpgw deploy last used there.")
    private boolean apply;

    @Option(
            names = "--prefix",
            paramLabel = "DIR",
            defaultValue = "gateway",
            description = "With --apply: the nginx prefix (default: ${DEFAULT-VALUE}).")
    private Path prefix;

    @Option(
            names = "--nginx",
            paramLabel = "PATH",
            defaultValue = "/usr/sbin/nginx",
            description = "With --apply: the nginx binary (default: ${DEFAULT-VALUE}).")
    private Path nginx;

    @Option(
            names = "--no-search",
            negatable = false,
            description =
                    "No tool search (/api/search, intelligent_tool_finder): saves the embedding model's ~200 MiB.")
    private boolean noSearch;

    @Option(
            names = "--oidc-issuer",
            paramLabel = "URL",
            description = "Also accept access tokens (JWTs) of this OIDC / OAuth 2.1 issuer.")
    private String oidcIssuer;

    @Option(names = "--oidc-jwks", paramLabel = "URL", description = "The issuer's JWKS URL (its signing keys).")
    private String oidcJwks;

    @Option(
            names = "--oidc-groups-claim",
            paramLabel = "NAME",
            defaultValue = "groups",
            description = "The claim that lists a user's groups (default: ${DEFAULT-VALUE}).")
    private String oidcGroupsClaim;

    @Mixin
    private SecretOptions secrets;

    @Mixin
    private EgressOptions egress;

    @Option(
            names = "--dev",
            description = "Insecure, for one machine: a random SECRET_KEY and, without "
                    + "ADMIN_PASSWORD, a generated password printed once.")
    private boolean devMode;

    @Override
    public Integer call() throws Exception {
        HostPort at = parse("--listen", () -> HostPort.parse(listen));
        if (site != null && !Files.isDirectory(site)) {
            throw usage("--site: '" + site + "' is not a directory");
        }
        if (!Files.isDirectory(repo)) {
            throw usage("--repo: '" + repo + "' is not a directory");
        }
        if (interval.isZero() || probe.timeout.isZero() || fetchInterval.isZero() || maxClients < 1) {
            throw usage("--interval, --timeout, --fetch-interval and --max-clients must be positive");
        }
        URI gateway = parse("--gateway-url", () -> URI.create(gatewayUrl));
        if (gateway.getHost() == null || !gateway.getScheme().matches("https?")) {
            throw usage("--gateway-url: give an http or https URL, for example https://gateway.example.com");
        }
        if (apply && !Files.isRegularFile(prefix.resolve(GatewaySettingsFile.NAME))) {
            throw usage("--apply: " + prefix + " was never deployed; run mcpgw deploy --prefix " + prefix
                    + " first (serve --apply reuses its gateway options)");
        }
        List<String> hosts = new java.util.ArrayList<>(allowHosts);
        List<String> origins = new java.util.ArrayList<>(allowOrigins);
        List<String> proxies = new java.util.ArrayList<>(trustedProxies);
        if (apply) {
            // The gateway deployed there is this runtime's front door: its hosts and origins are ours too.
            GatewaySettings deployed = GatewaySettingsFile.read(prefix);
            hosts.addAll(deployed.webOrigins().sortedHosts());
            origins.addAll(deployed.webOrigins().sortedOrigins());
            proxies.addAll(TrustedProxies.LOOPBACK);
        }
        RuntimeSettings.Web web = new RuntimeSettings.Web(hosts, origins, proxies);
        try {
            dev.mcpgw.core.model.WebOrigins.of(gatewayUrl, hosts, origins);
        } catch (IllegalArgumentException e) {
            throw usage("--allow-host or --allow-origin: " + e.getMessage());
        }
        try {
            TrustedProxies.of(proxies);
        } catch (IllegalArgumentException e) {
            throw usage("--trusted-proxy: " + e.getMessage());
        }
        var err = spec.commandLine().getErr();
        RuntimeSettings.Auth auth = auth(System.getenv(), err);
        RuntimeSettings.Builder settings = RuntimeSettings.builder(repo, auth)
                .listen(at.host(), at.port())
                .site(site)
                .gatewayUrl(gatewayUrl)
                .probing(new RuntimeSettings.Probing(!externalProbe, interval, probe.timeout))
                .maxClients(maxClients)
                .remote(push ? "origin" : null, fetchInterval)
                .apply(apply ? new RuntimeSettings.Apply(new Nginx(nginx, prefix.toAbsolutePath())) : null)
                .search(!noSearch)
                .secrets(secrets.policy(spec, true))
                .egress(egress.policy(spec))
                .web(web)
                .branches(new RuntimeSettings.Branches(
                        probe.branches.branch, probe.branches.statusBranch, RuntimeSettings.Branches.DEFAULT.tokens()));
        var out = spec.commandLine().getOut();
        RegistryRuntime runtime;
        try {
            runtime = RegistryRuntime.start(settings); // logs on standard error (logback.xml)
        } catch (Exception e) {
            err.println("serve: could not start on " + at + ": " + e.getMessage());
            return ExitCodes.CHECK_FAILED;
        }
        out.println("runtime listening on http://" + at.host() + ":" + runtime.port() + " (live status: ws://"
                + at.host() + ":" + runtime.port() + "/ws/health_status)");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        java.lang.Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            runtime.close();
                            stopped.countDown();
                        },
                        "runtime-stop"));
        stopped.await();
        return ExitCodes.OK;
    }

    /** Sign-in settings from the environment; --dev fills the gaps, loudly. */
    private RuntimeSettings.Auth auth(Map<String, String> env, java.io.PrintWriter err) {
        String user = env.getOrDefault("ADMIN_USER", "admin");
        if (!ApiTokens.USER.matcher(user).matches()) {
            throw usage("ADMIN_USER '" + user + "' must be 1-64 letters, digits, '.', '_', '@' or '-'");
        }
        String password = env.get("ADMIN_PASSWORD");
        String secret = env.get("SECRET_KEY");
        if (!devMode && (secret == null || password == null || password.isEmpty())) {
            throw usage((secret == null ? "SECRET_KEY" : "ADMIN_PASSWORD") + " is not set. Set SECRET_KEY (for example "
                    + "export SECRET_KEY=$(openssl rand -hex 32)) and ADMIN_PASSWORD, or pass --dev to run "
                    + "insecurely on this machine");
        }
        if (devMode) {
            err.println("WARNING: --dev is INSECURE: "
                    + (secret == null ? "sessions are signed with a random key " + "(they end when serve stops); " : "")
                    + "do not use it where others can reach the runtime.");
        }
        if (password == null || password.isEmpty()) {
            password = PasswordHash.randomPassword();
            err.println("--dev: sign in as " + user + " with the password " + password + " (generated for this run)");
        }
        SecretKey key;
        try {
            key = secret == null ? SecretKey.random() : SecretKey.of(secret);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        err.flush();
        OidcTokens.Settings oidc = null;
        if (oidcIssuer != null || oidcJwks != null) {
            if (oidcIssuer == null || oidcJwks == null) {
                throw usage("--oidc-issuer and --oidc-jwks go together; give both or neither");
            }
            try {
                URI jwks = URI.create(oidcJwks);
                if (!"https".equals(jwks.getScheme()) && !"http".equals(jwks.getScheme())) {
                    throw new IllegalArgumentException("give an https URL");
                }
                oidc = new OidcTokens.Settings(oidcIssuer, jwks.toURL(), oidcGroupsClaim);
            } catch (IllegalArgumentException | java.net.MalformedURLException e) {
                throw usage("--oidc-jwks: '" + oidcJwks + "' is not a URL (" + e.getMessage() + ")");
            }
        }
        return new RuntimeSettings.Auth(
                new AuthRoutes.AdminAccount(user, PasswordHash.of(password.toCharArray())), key, oidc);
    }

    private <T> T parse(String option, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
