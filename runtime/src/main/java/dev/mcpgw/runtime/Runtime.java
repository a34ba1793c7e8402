package dev.mcpgw.runtime;

import dev.mcpgw.compiler.Nginx;
import dev.mcpgw.core.access.AccessPolicy;
import dev.mcpgw.core.concurrent.DaemonThreads;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.StatusJson;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.probe.ProbeAgent;
import dev.mcpgw.runtime.auth.ApiTokens;
import dev.mcpgw.runtime.auth.AuthRoutes;
import dev.mcpgw.runtime.auth.Authenticator;
import dev.mcpgw.runtime.auth.GatewayAuthRoutes;
import dev.mcpgw.runtime.auth.LoginThrottle;
import dev.mcpgw.runtime.auth.OidcTokens;
import dev.mcpgw.runtime.auth.Principal;
import dev.mcpgw.runtime.auth.SecretKey;
import dev.mcpgw.runtime.auth.Sessions;
import dev.mcpgw.runtime.http.ApiException;
import dev.mcpgw.runtime.http.Metrics;
import dev.mcpgw.runtime.mcp.McpgwServer;
import dev.mcpgw.runtime.registry.GatewayApplier;
import dev.mcpgw.runtime.registry.Live;
import dev.mcpgw.runtime.registry.ManagementRoutes;
import dev.mcpgw.runtime.registry.McpRegistryRoutes;
import dev.mcpgw.runtime.registry.RegistryEditor;
import dev.mcpgw.runtime.registry.RegistryJson;
import dev.mcpgw.runtime.registry.RegistryView;
import dev.mcpgw.runtime.search.SearchRoutes;
import dev.mcpgw.runtime.site.CallerSites;
import dev.mcpgw.runtime.search.ToolSearch;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson3;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jgit.lib.ObjectId;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The runtime: sign-in, the registry API committing to Git, live status over {@code WS /ws/health_status},
 * tool search ({@code /api/search} and the {@code mcpgw} MCP server at {@code /mcpgw/mcp} and {@code /mcpgw/sse}),
 * the MCP Registry v0.1 API, the website, {@code /health} and {@code /metrics}. Status comes from a probe
 * agent running in-process, or from the status branch an external {@code mcpgw probe} writes. Every second
 * the branches are checked, so a change made elsewhere (a merged pull request) is picked up without a
 * restart.
 */
public final class Runtime implements AutoCloseable, Live {

    private static final JsonMapper JSON = JsonMapper.shared();
    /** As large as the gateway lets an MCP request body be (client_max_body_size 4m): the access check reads them. */
    private static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;
    private static final int MAX_THREADS = 64;

    private final Settings settings;
    private final Javalin app;
    private final GitStore store;
    private final ProbeAgent agent;
    private final StatusHub hub;
    private final RegistryView view;
    private final ApiTokens tokens;
    private final GatewayApplier applier;
    private final ToolSearch search;
    private final McpgwServer mcpgw;
    private final CallerSites sites;
    private final Metrics metrics = new Metrics();
    private final Map<String, ServerStatus> observed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService background;
    private final java.util.concurrent.ExecutorService probes;
    private final Consumer<String> log;
    private volatile ObjectId statusRevision;
    private volatile Instant lastFetch = Instant.EPOCH;
    private volatile Instant registryUpdatedAt = Instant.now();

    /** Branch names in the registry repository. */
    public record Branches(String config, String status, String tokens) {
        public static final Branches DEFAULT = new Branches("main", "status", ApiTokens.DEFAULT_BRANCH);
    }

    /** Where status comes from: probing in-process every {@code interval}, or the status branch alone. */
    public record Probing(boolean inProcess, Duration interval, Duration timeout) {}

    /** {@code --apply}: deploy every change of the config branch to the nginx running from this prefix. */
    public record Apply(Nginx nginx) {}

    /**
     * Sign-in: the administrator (null: nobody can sign in, tokens only), the key sessions are signed with, and
     * an external identity provider whose access tokens are accepted too (null: none).
     */
    public record Auth(AuthRoutes.AdminAccount admin, SecretKey key, OidcTokens.Settings oidc) {}

    /**
     * How the runtime runs.
     *
     * @param site   a website made by mcpgw site, served at /; may be null
     * @param remote the remote to push commits to and fetch others' from ({@code --push}); null keeps Git local
     * @param apply  null unless changes are deployed to a local nginx
     * @param search whether to index tools for search (loads the embedding model)
     */
    public record Settings(Path repo, Branches branches, String host, int port, Path site, String gatewayUrl,
                           Probing probing, int maxClients, String remote, Duration fetchInterval, Apply apply,
                           Auth auth, boolean search) {

        /** Local defaults for a repository: in-process probe every minute, no site, no push, no apply. */
        public static Settings local(Path repo, Auth auth) {
            return new Settings(repo, Branches.DEFAULT, "127.0.0.1", 0, null, "http://127.0.0.1:8080",
                    new Probing(true, Duration.ofMinutes(1), Duration.ofSeconds(10)), 1000, null,
                    Duration.ofSeconds(5), null, auth, true);
        }

        public Settings withListen(String host, int port) {
            return new Settings(repo, branches, host, port, site, gatewayUrl, probing, maxClients, remote,
                    fetchInterval, apply, auth, search);
        }

        public Settings withSite(Path site) {
            return new Settings(repo, branches, host, port, site, gatewayUrl, probing, maxClients, remote,
                    fetchInterval, apply, auth, search);
        }

        public Settings withProbing(Probing probing) {
            return new Settings(repo, branches, host, port, site, gatewayUrl, probing, maxClients, remote,
                    fetchInterval, apply, auth, search);
        }

        public Settings withMaxClients(int maxClients) {
            return new Settings(repo, branches, host, port, site, gatewayUrl, probing, maxClients, remote,
                    fetchInterval, apply, auth, search);
        }

        public Settings withRemote(String remote, Duration fetchInterval) {
            return new Settings(repo, branches, host, port, site, gatewayUrl, probing, maxClients, remote,
                    fetchInterval, apply, auth, search);
        }

        public Settings withApply(Apply apply) {
            return new Settings(repo, branches, host, port, site, gatewayUrl, probing, maxClients, remote,
                    fetchInterval, apply, auth, search);
        }

        /** Without tool search: no embedding model is loaded (tests, or a runtime that needs the memory). */
        public Settings withSearch(boolean search) {
            return new Settings(repo, branches, host, port, site, gatewayUrl, probing, maxClients, remote,
                    fetchInterval, apply, auth, search);
        }

        public Settings withBranches(Branches branches) {
            return new Settings(repo, branches, host, port, site, gatewayUrl, probing, maxClients, remote,
                    fetchInterval, apply, auth, search);
        }

        public Settings withGatewayUrl(String gatewayUrl) {
            return new Settings(repo, branches, host, port, site, gatewayUrl, probing, maxClients, remote,
                    fetchInterval, apply, auth, search);
        }
    }

    private Runtime(Settings settings, Consumer<String> log) throws IOException {
        this.settings = settings;
        this.log = log;
        this.store = GitStore.open(settings.repo());
        RegistryValidator validator = RegistryValidator.create();
        Branches branches = settings.branches();
        this.agent = new ProbeAgent(store, new ProbeAgent.Settings(branches.config(), branches.status(), 32,
                settings.probing().timeout(), Duration.ZERO, settings.remote()), validator, Clock.systemUTC(), log);
        this.hub = new StatusHub(settings.maxClients(), 64, log);
        this.view = new RegistryView(store, branches.config(), validator);
        this.tokens = new ApiTokens(store, branches.tokens(), settings.remote(), Clock.systemUTC());
        this.applier = settings.apply() == null ? null : new GatewayApplier(store, branches.config(),
                settings.apply().nginx(), validator, log);
        syncFromRemote();
        view.refresh();
        tokens.refresh();
        metrics.gauge("mcpgw_websocket_clients", "Browsers connected to the live status.", hub::clientCount);
        metrics.gauge("mcpgw_registered_servers", "Servers in the registry's config branch.",
                () -> view.current().servers().size());
        Authenticator auth = new Authenticator(new Sessions(settings.auth().key(), Clock.systemUTC()), tokens,
                settings.auth().oidc() == null ? null : new OidcTokens(settings.auth().oidc()), settings.gatewayUrl());
        RegistryEditor editor = new RegistryEditor(store, branches.config(), settings.remote(), validator);
        RegistryJson json = new RegistryJson(this, settings.gatewayUrl());
        this.search = new ToolSearch(settings.search(), () -> new ToolSearch.Source(view.current().entries(), Map.copyOf(observed)), log);
        this.mcpgw = new McpgwServer(search, view, json, this, editor, tokens);
        this.sites = settings.site() == null ? null : new CallerSites(settings.site(), view, this, auth);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson3(JSON, false));
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            // WebSocket clients hold no thread; requests are short, and writers to Git take turns anyway.
            QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4, 60_000);
            threads.setName("mcpgw-http");
            config.jetty.threadPool = threads;
            if (sites != null) {
                sites.addTo(config.routes);
            }
            config.routes.ws("/ws/health_status", ws -> {
                ws.onConnect(ctx -> {
                    Principal who = auth.identify(ctx).orElse(null);
                    hub.connected(ctx, path -> view.current().maySee(who, path.substring(1)));
                });
                ws.onClose(hub::disconnected);
                ws.onError(hub::disconnected);
            });
            config.routes.get("/health", this::health);
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
            if (settings.auth().admin() != null) {
                new AuthRoutes(auth, settings.auth().admin(), new LoginThrottle(Clock.systemUTC()), metrics, log)
                        .addTo(config.routes);
            }
            new ManagementRoutes(auth, editor, view, this, json).addTo(config.routes);
            new SearchRoutes(auth, search, view, json).addTo(config.routes);
            new GatewayAuthRoutes(auth, view, metrics).addTo(config.routes);
            config.jetty.modifyServletContextHandler(handler -> mcpgw.servlets().forEach((path, servlet) -> {
                ServletHolder holder = new ServletHolder(servlet);
                holder.setAsyncSupported(true); // the MCP SDK's transports are asynchronous
                handler.addServlet(holder, path);
            }));
            new McpRegistryRoutes(auth, view, this, settings.gatewayUrl(), () -> registryUpdatedAt).addTo(config.routes);
            config.routes.exception(ApiException.class, Runtime::refuse);
            config.routes.exception(IOException.class, (e, ctx) -> {
                log.accept("registry repository error on " + ctx.method() + " " + ctx.path() + ": " + e.getMessage());
                boolean raced = e.getMessage() != null && e.getMessage().startsWith("gave up");
                refuse(new ApiException(raced ? 409 : 503, raced ? "conflict" : "repository_unavailable",
                        (raced ? "the registry kept changing under this request; " : "could not use the registry "
                                + "repository (" + e.getMessage() + "); ") + "nothing was changed, try again"), ctx);
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                java.io.StringWriter trace = new java.io.StringWriter();
                e.printStackTrace(new java.io.PrintWriter(trace));
                log.accept("internal error on " + ctx.method() + " " + ctx.path() + ": " + trace);
                refuse(new ApiException(500, "internal_error", "the runtime failed to answer; see its log"), ctx);
            });
            config.routes.error(404, ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith("application/json")) {
                    refuse(new ApiException(404, "not_found", "no such page or API route: " + ctx.method() + " "
                            + truncate(ctx.path())), ctx);
                }
            });
            config.routes.after(ctx -> metrics.increment("mcpgw_http_requests_total", "route", route(ctx),
                    "method", ctx.method().name(), "status", Integer.toString(ctx.statusCode())));
        });
        this.background = Executors.newScheduledThreadPool(2, DaemonThreads.named("mcpgw-runtime"));
        this.probes = Executors.newFixedThreadPool(4, DaemonThreads.named("mcpgw-runtime-probe"));
    }

    /** Starts serving; probe rounds (when in-process) and the watch of the branches start at once. */
    public static Runtime start(Settings settings, Consumer<String> log) throws IOException {
        Runtime runtime = new Runtime(settings, log);
        runtime.app.start(settings.host(), settings.port());
        if (settings.probing().inProcess()) {
            runtime.background.scheduleWithFixedDelay(runtime::round, 0,
                    settings.probing().interval().toMillis(), TimeUnit.MILLISECONDS);
        }
        runtime.background.scheduleWithFixedDelay(runtime::watch, 1, 1, TimeUnit.SECONDS);
        if (runtime.applier != null) {
            runtime.applier.request();
        }
        runtime.publish();
        return runtime;
    }

    public int port() {
        return app.port();
    }

    public StatusHub hub() {
        return hub;
    }

    @Override
    public Map<String, ServerStatus> statuses() {
        return observed;
    }

    @Override
    public void changed(Caller caller, String action, RegistryEditor.Outcome outcome) throws IOException {
        if (outcome.changed()) {
            metrics.increment("mcpgw_registry_commits_total", "operation", action);
            configMoved();
        }
        audit(caller, action, "/" + outcome.id(),
                "commit=" + (outcome.changed() ? outcome.commit().name() : "none (no change)"));
    }

    @Override
    public void audit(Caller caller, String action, String path, String detail) {
        log.accept("audit at=" + Instant.now() + " user=" + caller.who().user() + " via=" + caller.channel()
                + " from=" + caller.from() + " action=" + action + " server=" + path
                + (detail == null ? "" : " " + detail));
    }

    @Override
    public ServerStatus probeNow(ServerEntry entry) throws IOException {
        RegistryView.Snapshot snapshot = view.current();
        ServerStatus status = agent.probeNow(entry, snapshot.revision().name(), snapshot.servers().keySet());
        metrics.increment("mcpgw_probes_total", "health", status.health().jsonName());
        observed.put(status.id(), status);
        publish();
        return status;
    }

    @Override
    public void probeSoon(String id) {
        probes.execute(() -> {
            try {
                Optional<RegistryView.Registered> server = view.current().server(id);
                if (server.isPresent() && server.get().valid() && server.get().entry().enabled()) {
                    probeNow(server.get().entry());
                }
            } catch (Exception e) {
                log.accept("probing /" + id + " failed: " + e.getMessage());
            }
        });
    }

    private void round() {
        try {
            ProbeAgent.Round round = agent.runRound();
            Map<String, ServerStatus> latest = agent.latest();
            observed.putAll(latest);
            observed.keySet().retainAll(latest.keySet());
            round.observed().forEach(status -> metrics.increment("mcpgw_probes_total", "health",
                    status.health().jsonName()));
            publish();
        } catch (Exception e) {
            log.accept("probe round failed: " + e.getMessage());
        }
    }

    /** Every second: picks up branches moved by others (fetching them first every fetchInterval with a remote). */
    private void watch() {
        try {
            syncFromRemote();
            tokens.refresh();
            configMoved();
            if (!settings.probing().inProcess()) {
                readStatusBranch();
            }
        } catch (Exception e) {
            log.accept("watching the repository failed: " + e.getMessage());
        }
    }

    private void syncFromRemote() throws IOException {
        if (settings.remote() == null || Instant.now().isBefore(lastFetch.plus(settings.fetchInterval()))) {
            return;
        }
        lastFetch = Instant.now();
        Branches branches = settings.branches();
        store.pull(settings.remote(), branches.config());
        tokens.fetch();
        if (!settings.probing().inProcess()) {
            store.pull(settings.remote(), branches.status());
        }
    }

    private synchronized void configMoved() throws IOException {
        AccessPolicy rulesBefore = view.current().access();
        if (view.refresh()) {
            registryUpdatedAt = Instant.now();
            if (!Objects.equals(rulesBefore, view.current().access())) {
                hub.reconnectAll("access rules changed; reconnect");
            }
            publish();
            if (applier != null) {
                applier.request();
            }
        }
    }

    private void readStatusBranch() throws IOException {
        ObjectId tip = store.tip(settings.branches().status()).orElse(null);
        if (tip == null || tip.equals(statusRevision)) {
            return;
        }
        Map<String, ServerStatus> read = new java.util.HashMap<>();
        store.files(tip, "servers").forEach((path, bytes) -> {
            try {
                ServerStatus status = StatusJson.read(bytes);
                read.put(status.id(), status);
            } catch (RuntimeException unreadable) {
                log.accept("skipping unreadable status file " + path + ": " + unreadable.getMessage());
            }
        });
        observed.putAll(read);
        observed.keySet().retainAll(read.keySet());
        statusRevision = tip;
        publish();
    }

    private void publish() {
        hub.publish(view.current().enabledByPath(), observed);
        search.changed();
    }

    private void health(Context ctx) {
        RegistryView.Snapshot snapshot = view.current();
        ObjectNode health = JSON.createObjectNode().put("status", "ok")
                .put("config_revision", snapshot.revision() == null ? null : snapshot.revision().name())
                .put("servers", snapshot.servers().size())
                .put("invalid_entries", snapshot.problems().size())
                .put("websocket_clients", hub.clientCount())
                .put("probe", settings.probing().inProcess() ? "in-process" : "status branch");
        ctx.json(health);
    }

    private static void refuse(ApiException e, Context ctx) {
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"mcpgw\""
                    + (e.code().equals("invalid_token") ? ", error=\"invalid_token\"" : ""));
        }
        ObjectNode body = JSON.createObjectNode().put("error", e.code()).put("message", e.getMessage());
        if (!e.problems().isEmpty()) {
            e.problems().forEach(body.putArray("problems")::add);
        }
        ctx.status(e.status()).json(body);
    }

    private static String route(Context ctx) {
        try {
            io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
            return matched == null ? "unmatched" : matched.path;
        } catch (RuntimeException unmatched) {
            return "unmatched";
        }
    }

    private static String truncate(String path) {
        return path.length() > 100 ? path.substring(0, 100) + "…" : path;
    }

    @Override
    public void close() {
        background.shutdownNow();
        probes.shutdownNow();
        app.stop();
        agent.close();
        mcpgw.close();
        search.close();
        if (sites != null) {
            sites.close();
        }
        if (applier != null) {
            applier.close();
        }
        store.close();
    }
}
