package dev.mcpgw.cli;

import dev.mcpgw.compiler.GatewayCompiler;
import dev.mcpgw.compiler.GatewaySettings;
import dev.mcpgw.compiler.Nginx;
import dev.mcpgw.compiler.NginxDeployer;
import dev.mcpgw.compiler.UpstreamCredentials;
import dev.mcpgw.core.contract.RegistryV01;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.logging.LogOutput;
import dev.mcpgw.core.model.EgressPolicy;
import dev.mcpgw.core.model.GatewayUrls;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.SecretPolicy;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.registry.RegistryReader;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.core.validation.ValidationReport;
import dev.mcpgw.examples.CurrentTime;
import dev.mcpgw.examples.FinInfo;
import dev.mcpgw.examples.McpHttpServer;
import dev.mcpgw.runtime.RegistryRuntime;
import dev.mcpgw.runtime.RuntimeSettings;
import dev.mcpgw.runtime.auth.AuthRoutes;
import dev.mcpgw.runtime.auth.PasswordHash;
import dev.mcpgw.runtime.auth.SecretKey;
import dev.mcpgw.runtime.http.TrustedProxies;
import dev.mcpgw.site.SiteGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mcpgw up}: the whole stack on this machine - the example MCP servers the entries point at, the runtime
 * (website, API, live status, in-process probe, the mcpgw MCP server) and nginx as the gateway in front of them -
 * until Ctrl-C. Its state lives in one folder: a Git registry seeded from servers/, the website, nginx's prefix
 * and the logs.
 */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header =
                "Run the whole local stack: example MCP servers, the registry runtime and website, nginx as the gateway.",
        description = {
            "Validates servers/ and copies it into a local Git registry (STATE/registry.git: changes made in the "
                    + "website are commits there, kept across runs until servers/ itself changes), starts the "
                    + "example MCP servers the entries point at on this machine, the runtime and nginx, and prints "
                    + "the URLs and how to sign in. Ctrl-C stops everything.",
            "Sign-in: ADMIN_USER (default admin) and ADMIN_PASSWORD; without ADMIN_PASSWORD a password is generated "
                    + "for the run. SECRET_KEY signs sessions; without it a random key is used."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped with Ctrl-C", "1:could not start (the reason is printed)", "2:usage error"})
final class UpCommand implements Callable<Integer> {

    private static final String BRANCH = "main";

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServersOption servers;

    @Mixin
    private SecretOptions secretOptions;

    @Mixin
    private EgressOptions egressOptions;

    @Option(
            names = "--state",
            paramLabel = "DIR",
            defaultValue = ".mcpgw/up",
            description =
                    "Where the stack keeps its registry, website, nginx prefix and logs (default: ${DEFAULT-VALUE}).")
    private Path state;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "The gateway's port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--runtime-port",
            paramLabel = "PORT",
            defaultValue = "7860",
            description = "The runtime's port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    private int runtimePort;

    @Option(
            names = "--nginx",
            paramLabel = "PATH",
            defaultValue = "/usr/sbin/nginx",
            description = "The nginx binary (default: ${DEFAULT-VALUE}).")
    private Path nginx;

    @Option(names = "--no-search", description = "No tool search: the embedding model stays out (~200 MiB less).")
    private boolean noSearch;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path entries = servers.requireDirectory(spec);
        if (port < 1 || port > 65535 || runtimePort < 1 || runtimePort > 65535 || port == runtimePort) {
            throw new ParameterException(spec.commandLine(), "--port and --runtime-port: two different ports, 1-65535");
        }
        Nginx gatewayNginx = new Nginx(nginx, state.resolve("gateway").toAbsolutePath());
        if (!gatewayNginx.installed()) {
            err.println("up: nginx is not installed (looked for " + nginx + "). Install Debian's package: "
                    + "sudo apt-get install nginx   (or pass --nginx PATH)");
            return ExitCodes.CHECK_FAILED;
        }
        Files.createDirectories(state.resolve("logs"));
        try (FileChannel lockFile = FileChannel.open(
                        state.resolve("up.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                err.println("up: another mcpgw up is already running from " + state.toAbsolutePath() + " (pid "
                        + readPid() + "); stop it with Ctrl-C there, or pass --state DIR to run a second stack");
                return ExitCodes.CHECK_FAILED;
            }
            Files.writeString(state.resolve("up.pid"), ProcessHandle.current().pid() + "\n");
            return run(entries, gatewayNginx, started, out, err);
        }
    }

    private int run(Path entries, Nginx gatewayNginx, long started, PrintWriter out, PrintWriter err) throws Exception {
        SecretPolicy secrets = secretOptions.policy(spec, true);
        // The example servers run on this machine: loopback is allowed here, and said so; the gateway's and the
        // runtime's own ports never are (but for the runtime's /mcpgw server).
        EgressPolicy egress = egressOptions.policy(
                spec,
                List.of("127.0.0.1/32"),
                List.of(new HostPort("127.0.0.1", port), new HostPort("127.0.0.1", runtimePort)));
        out.println("up: upstreams on this machine (127.0.0.1) are allowed for the example servers; a real "
                + "deployment refuses them unless --allow-upstream says so");
        RegistryValidator validator = RegistryValidator.create(secrets, egress);
        ValidationReport report = validator.validateDirectory(entries, servers.shownAs());
        if (!report.valid()) {
            report.problems().forEach(problem -> err.println(problem));
            err.println("up: fix servers/ first (mcpgw validate shows the same problems)");
            return ExitCodes.CHECK_FAILED;
        }
        String gatewayUrl = "http://127.0.0.1:" + port;
        List<ServerEntry> examples =
                report.entries().stream().filter(UpCommand::isLocalExample).toList();
        List<Integer> wanted = new ArrayList<>(List.of(port, runtimePort));
        examples.forEach(entry -> wanted.add(entry.proxyPassUrl().port()));
        NginxDeployer deployer = new NginxDeployer(gatewayNginx);
        for (int needed : wanted) {
            if (!free(needed) && !(needed == port && deployer.runningMaster().isPresent())) {
                err.println("up: port " + needed + " on 127.0.0.1 is taken by another program; stop it, or pass "
                        + (needed == port
                                ? "--port"
                                : needed == runtimePort ? "--runtime-port" : "--servers with entries on other ports")
                        + " to use another");
                return ExitCodes.CHECK_FAILED;
            }
        }
        Path repo = state.resolve("registry.git").toAbsolutePath();
        out.println(syncRegistry(entries, repo));

        List<AutoCloseable> running = new ArrayList<>();
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    stopAll(running, deployer, err);
                    stop.countDown();
                },
                "up-stop");
        java.lang.Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (ServerEntry example : examples) {
                running.add(startExample(example));
            }
            Path site = state.resolve("site").toAbsolutePath();
            new SiteGenerator()
                    .generate(
                            report.entries(),
                            Map.of(),
                            new SiteGenerator.Settings(
                                    gatewayUrl, Instant.now(), RegistryV01.defaultNamespace(gatewayUrl), gatewayUrl),
                            site);

            GatewaySettings gateway = GatewaySettings.defaults()
                    .withListen(new HostPort("127.0.0.1", port))
                    .withRuntime(UpstreamUrl.parse("http://127.0.0.1:" + runtimePort))
                    .withWorkerProcesses("1");
            GatewayCompiler.Result compiled;
            try (GitStore store = GitStore.open(repo)) {
                compiled = new GatewayCompiler(validator)
                        .compile(
                                new RegistryReader(store, validator)
                                        .readBranch(BRANCH)
                                        .report(),
                                gateway);
            }
            if (!compiled.ok()) {
                compiled.problems().forEach(err::println);
                err.println("up: the registry in " + repo + " has problems; delete " + state
                        + " to start over from servers/");
                return ExitCodes.CHECK_FAILED;
            }

            // The gateway first: the runtime's --apply redeploys it with the options written here.
            NginxDeployer.Outcome deployed =
                    deployer.deploy(compiled, UpstreamCredentials.fromEnvironment(System.getenv(), secrets), true);
            if (!deployed.ok()) {
                err.println("up: " + deployed.message());
                return ExitCodes.CHECK_FAILED;
            }

            Credentials credentials = Credentials.fromEnvironment(System.getenv());
            // The runtime's and the libraries' log records go to a file; the console keeps the URLs.
            LogOutput.toFile(state.resolve("logs/runtime.log"));
            RegistryRuntime runtime = RegistryRuntime.start(RuntimeSettings.builder(repo, credentials.auth())
                    .listen("127.0.0.1", runtimePort)
                    .site(site)
                    .gatewayUrl(gatewayUrl)
                    .probing(new RuntimeSettings.Probing(true, Duration.ofSeconds(30), Duration.ofSeconds(10)))
                    .apply(new RuntimeSettings.Apply(gatewayNginx))
                    .secrets(secrets)
                    .egress(egress)
                    .search(!noSearch)
                    // The gateway runs here, on loopback: its forwarded headers are believed; browsers only locally.
                    .web(new RuntimeSettings.Web(List.of(), List.of(), TrustedProxies.LOOPBACK)));
            running.add(runtime);

            out.println();
            out.printf("The MCP Gateway & Registry is up (%.1f s):%n", (System.nanoTime() - started) / 1e9);
            out.println("  Registry website   " + gatewayUrl + "/");
            for (ServerEntry entry : report.entries()) {
                out.println("  " + String.format("%-18s ", entry.id().value()) + GatewayUrls.endpoint(entry, gatewayUrl)
                        + (entry.enabled() ? "" : "   (disabled)"));
            }
            out.println("  Registry API       " + gatewayUrl + "/api/server_details/all   /v0.1/servers");
            out.println("  Sign in as         " + credentials.user() + " / " + credentials.password()
                    + (credentials.generated() ? "   (generated for this run; set ADMIN_PASSWORD to choose)" : ""));
            out.println("  Logs               " + state.resolve("logs").toAbsolutePath() + " and "
                    + gatewayNginx.prefix().resolve("logs"));
            out.println("Ctrl-C stops everything.");
            out.flush();
            stop.await();
            return ExitCodes.OK;
        } catch (Exception e) {
            err.println("up: could not start: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ExitCodes.CHECK_FAILED;
        } finally {
            if (stop.getCount() > 0) {
                java.lang.Runtime.getRuntime().removeShutdownHook(hook);
                stopAll(running, deployer, err);
            }
        }
    }

    /** An entry the example servers serve: currenttime or fininfo, on this machine. */
    private static boolean isLocalExample(ServerEntry entry) {
        String host = entry.proxyPassUrl().host();
        return entry.enabled()
                && (host.equals("127.0.0.1") || host.equals("localhost"))
                && (entry.id().value().equals("currenttime")
                        || entry.id().value().equals("fininfo"));
    }

    private static AutoCloseable startExample(ServerEntry entry) throws Exception {
        return entry.id().value().equals("currenttime")
                ? McpHttpServer.start(
                        CurrentTime.definition(Clock.systemUTC(), null),
                        McpHttpServer.Transport.STREAMABLE_HTTP,
                        "127.0.0.1",
                        entry.proxyPassUrl().port())
                : McpHttpServer.start(
                        FinInfo.definition(System.getenv(FinInfo.API_KEY_VARIABLE)),
                        McpHttpServer.Transport.SSE,
                        "127.0.0.1",
                        entry.proxyPassUrl().port());
    }

    private static void stopAll(List<AutoCloseable> running, NginxDeployer deployer, PrintWriter err) {
        try {
            deployer.stop(Duration.ofSeconds(10));
        } catch (Exception e) {
            err.println("up: stopping nginx: " + e.getMessage());
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                err.println("up: stopping: " + e.getMessage());
            }
        }
        running.clear();
        err.println("up: stopped");
        err.flush();
    }

    private static final java.util.regex.Pattern RUNTIME_ENTRY = java.util.regex.Pattern.compile(
            "(proxy_pass_url:\\s*[\"']?http://(?:127\\.0\\.0\\.1|localhost)):([0-9]+)(/mcpgw[\"']?\\s*$)",
            java.util.regex.Pattern.MULTILINE);

    /**
     * The runtime's own MCP server ({@code mcpgw.yaml}, on this machine) follows {@code --runtime-port}: what up
     * moves, the entries it serves follow.
     */
    private byte[] followRuntime(Path file, byte[] content) {
        if (!file.getFileName().toString().equals("mcpgw.yaml")) {
            return content;
        }
        String text = new String(content, StandardCharsets.UTF_8);
        java.util.regex.Matcher url = RUNTIME_ENTRY.matcher(text);
        if (!url.find() || url.group(2).equals(Integer.toString(runtimePort))) {
            return content;
        }
        return (text.substring(0, url.start()) + url.group(1) + ":" + runtimePort + url.group(3)
                        + text.substring(url.end()))
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The local registry: created from servers/ (and access.yaml beside it) the first time, and made equal to
     * them again whenever they changed since the last run; otherwise the changes made in the website are kept.
     */
    private String syncRegistry(Path entries, Path repo) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (var paths = Files.list(entries)) {
            for (Path file : paths.filter(Files::isRegularFile).sorted().toList()) {
                if (SourceFile.isEntryFileName(file.getFileName().toString())) {
                    files.put("servers/" + file.getFileName(), followRuntime(file, Files.readAllBytes(file)));
                }
            }
        }
        Path access = entries.toAbsolutePath().getParent().resolve("access.yaml");
        if (Files.isRegularFile(access)) {
            files.put("access.yaml", Files.readAllBytes(access));
        }
        String digest = digest(files);
        Path synced = state.resolve("synced");
        boolean fresh = !Files.isDirectory(repo);
        if (fresh) {
            Git.init()
                    .setBare(true)
                    .setInitialBranch(BRANCH)
                    .setDirectory(repo.toFile())
                    .call()
                    .close();
        } else if (Files.isRegularFile(synced)
                && Files.readString(synced).strip().equals(digest)) {
            return "registry: " + repo + " (kept: servers/ has not changed since the last run; changes made in "
                    + "the website are still there)";
        }
        try (GitStore store = GitStore.open(repo)) {
            store.commit(
                    BRANCH,
                    snapshot -> {
                        Map<String, byte[]> edits = new HashMap<>(files);
                        try {
                            snapshot.files("servers").keySet().stream()
                                    .filter(path -> !files.containsKey(path))
                                    .forEach(path -> edits.put(path, null));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        return new GitStore.Change(
                                edits,
                                fresh ? "up: the registry from servers/" : "up: servers/ changed in the working tree");
                    },
                    new PersonIdent("mcpgw up", "up@mcpgw.invalid"));
        }
        Files.writeString(synced, digest + "\n");
        return "registry: " + repo
                + (fresh
                        ? " (created from servers/)"
                        : " (servers/ changed since the last run: " + "the registry now matches it)");
    }

    private static String digest(Map<String, byte[]> files) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        files.forEach((path, bytes) -> {
            sha.update(path.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(bytes);
            sha.update((byte) 0);
        });
        return HexFormat.of().formatHex(sha.digest());
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private String readPid() {
        try {
            return Files.readString(state.resolve("up.pid")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Who may sign in: from the environment, or generated for this run. */
    record Credentials(String user, String password, boolean generated, SecretKey key) {

        static Credentials fromEnvironment(Map<String, String> env) {
            String user = env.getOrDefault("ADMIN_USER", "admin");
            String password = env.get("ADMIN_PASSWORD");
            boolean generated = password == null || password.isEmpty();
            if (generated) {
                password = PasswordHash.randomPassword();
            }
            String secret = env.get("SECRET_KEY");
            return new Credentials(
                    user, password, generated, secret == null ? SecretKey.random() : SecretKey.of(secret));
        }

        RuntimeSettings.Auth auth() {
            return new RuntimeSettings.Auth(
                    new AuthRoutes.AdminAccount(user, PasswordHash.of(password.toCharArray())), key, null);
        }
    }
}
