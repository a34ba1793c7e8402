package dev.mcpgw.runtime;

import dev.mcpgw.core.access.AccessPolicy;
import dev.mcpgw.core.concurrent.DaemonThreads;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.mcphttp.JsonRpcErrorFilter;
import dev.mcpgw.probe.ProbeAgent;
import dev.mcpgw.runtime.auth.ApiTokens;
import dev.mcpgw.runtime.auth.AuthRoutes;
import dev.mcpgw.runtime.auth.Authenticator;
import dev.mcpgw.runtime.auth.ForwardTokens;
import dev.mcpgw.runtime.auth.GatewayAuthRoutes;
import dev.mcpgw.runtime.auth.LoginThrottle;
import dev.mcpgw.runtime.auth.OidcTokens;
import dev.mcpgw.runtime.auth.Principal;
import dev.mcpgw.runtime.auth.SessionBinding;
import dev.mcpgw.runtime.auth.Sessions;
import dev.mcpgw.runtime.http.BodyGate;
import dev.mcpgw.runtime.http.Clients;
import dev.mcpgw.runtime.http.HttpErrors;
import dev.mcpgw.runtime.http.Metrics;
import dev.mcpgw.runtime.http.WebGuard;
import dev.mcpgw.runtime.http.WsClients;
import dev.mcpgw.runtime.mcp.McpgwServer;
import dev.mcpgw.runtime.registry.GatewayApplier;
import dev.mcpgw.runtime.registry.ManagementRoutes;
import dev.mcpgw.runtime.registry.McpRegistryRoutes;
import dev.mcpgw.runtime.registry.RegistryEditor;
import dev.mcpgw.runtime.registry.RegistryJson;
import dev.mcpgw.runtime.registry.RegistryView;
import dev.mcpgw.runtime.search.SearchRoutes;
import dev.mcpgw.runtime.search.ToolSearch;
import dev.mcpgw.runtime.service.AuditLog;
import dev.mcpgw.runtime.service.GatewayToolCalls;
import dev.mcpgw.runtime.service.Observations;
import dev.mcpgw.runtime.service.RegistryService;
import dev.mcpgw.runtime.site.LiveSite;
import dev.mcpgw.runtime.site.SiteFeed;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson3;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry runtime, composed: sign-in, the registry API committing to Git, live status over
 * {@code WS /ws/health_status}, tool search ({@code /api/search} and the {@code mcpgw} MCP server at
 * {@code /mcpgw/mcp} and {@code /mcpgw/sse}), the MCP Registry v0.1 API, the website, {@code /health} and
 * {@code /metrics}. Every door is an adapter over one {@link RegistryService}. Status comes from a probe agent
 * running in-process, or from the status branch an external {@code mcpgw probe} writes ({@link Observations}).
 * Every second the branches are checked, so a change made elsewhere (a merged pull request) is picked up
 * without a restart.
 */
public final class RegistryRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryRuntime.class);

    private static final JsonMapper JSON = JsonMapper.shared();
    /** As large as the gateway lets an MCP request body be (client_max_body_size 4m): the access check reads them. */
    private static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

    private static final int MAX_THREADS = 64;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** How long stopping waits for requests being answered. */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);

    private final RuntimeSettings settings;
    private final GitStore store;
    private final RegistryView view;
    private final ApiTokens tokens;
    private final GatewayApplier applier;
    private final StatusHub hub;
    private final Authenticator authenticator;
    private final Metrics metrics = new Metrics();
    private final GatewayToolCalls toolCalls;
    private final Observations observations;
    private final ToolSearch search;
    private final RegistryService registry;
    private final McpgwServer mcpgw;
    private final SiteFeed feed;
    private final LiveSite site;
    private final Javalin app;
    private final WebGuard webGuard;
    private final ScheduledExecutorService background;
    private volatile Instant lastFetch = Instant.EPOCH;
    private volatile Instant registryUpdatedAt = Instant.now();

    private RegistryRuntime(RuntimeSettings settings) throws IOException {
        this.settings = settings;
        this.store = GitStore.open(settings.repo());
        RegistryValidator validator = RegistryValidator.create();
        RuntimeSettings.Branches branches = settings.branches();
        this.view = new RegistryView(store, branches.config(), validator);
        this.tokens = new ApiTokens(store, branches.tokens(), settings.remote(), Clock.systemUTC());
        this.applier = settings.apply() == null
                ? null
                : new GatewayApplier(
                        store,
                        branches.config(),
                        settings.apply().nginx(),
                        RegistryValidator.create(settings.secrets(), settings.egressWithOwnListener()),
                        settings.secrets(),
                        settings.egressWithOwnListener());
        this.hub = new StatusHub(settings.maxClients(), 64);
        ProbeAgent agent = new ProbeAgent(
                store,
                new ProbeAgent.Settings(
                        branches.config(),
                        branches.status(),
                        32,
                        settings.probing().timeout(),
                        Duration.ZERO,
                        settings.remote(),
                        settings.egressWithOwnListener()),
                validator,
                Clock.systemUTC());
        this.observations = new Observations(store, branches.status(), agent, view, metrics);
        this.search = new ToolSearch(
                settings.search(),
                () -> new ToolSearch.Source(view.current().entries(), Map.copyOf(observations.statuses())));
        Authenticator auth = new Authenticator(
                new Sessions(settings.auth().key(), Clock.systemUTC(), tokens::sessionEnded),
                tokens,
                settings.auth().oidc() == null
                        ? null
                        : new OidcTokens(settings.auth().oidc()),
                new ForwardTokens(settings.auth().key(), Clock.systemUTC()),
                settings.gatewayUrl());
        this.authenticator = auth;
        this.toolCalls = new GatewayToolCalls(GatewayToolCalls.Settings.defaults(settings.gatewayUrl()));
        this.registry = new RegistryService(
                view,
                new RegistryEditor(
                        store,
                        branches.config(),
                        settings.remote(),
                        RegistryValidator.create(settings.secrets(), settings.egressWithOwnListener())),
                observations,
                search,
                new AuditLog(Clock.systemUTC()),
                toolCalls,
                auth::gatewayAuthorization,
                metrics);
        RegistryJson json = new RegistryJson(settings.gatewayUrl(), applier == null ? Map::of : applier::notDeployed);
        this.mcpgw = new McpgwServer(registry, json, auth);
        this.feed = new SiteFeed(settings.maxClients(), 256);
        this.site = settings.site() == null
                ? null
                : new LiveSite(
                        settings.site(),
                        view,
                        observations,
                        auth,
                        feed,
                        applier == null ? Map::of : applier::notDeployed,
                        settings.gatewayUrl());
        this.webGuard = new WebGuard(settings.webOrigins(), settings.trustedProxies(), settings.host());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson3(JSON, false));
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            // WebSocket clients hold no thread; requests are short, and writers to Git take turns anyway.
            QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4, 60_000);
            threads.setName("mcpgw-http");
            config.jetty.threadPool = threads;
            routes(config.routes, auth, json);
            McpRegistryRoutes.enableCors(config, settings.webOrigins());
            // An idle connection is closed after 30 s. (No minimum data rate: Jetty counts it from the request's
            // start, so a small body of a request that waited for a thread under load was refused with 408; slow
            // bodies are bounded by the body gate's deadline below.)
            config.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(IDLE_TIMEOUT.toMillis()));
            // Bodies: refused by announced size, then read without a thread and within a deadline, before any
            // handler runs - a client trickling one in holds no thread.
            config.jetty.modifyServer(server -> server.setHandler(new BodyGate(server.getHandler())));
            config.jetty.modifyServletContextHandler(handler -> {
                // Before every handler: trusted proxies, served hosts, allowed origins, charsets, body limits.
                FilterHolder guard = new FilterHolder(webGuard);
                guard.setAsyncSupported(true);
                handler.addFilter(guard, "/*", EnumSet.of(DispatcherType.REQUEST));
                FilterHolder errors = new FilterHolder(new JsonRpcErrorFilter());
                errors.setAsyncSupported(true);
                handler.addFilter(errors, McpgwServer.PATH + "/*", EnumSet.of(DispatcherType.REQUEST));
                // Clients of MCP 2026-07-28 (stateless), answered in front of the SDK from the same tools.
                FilterHolder stateless = new FilterHolder(mcpgw.statelessFilter());
                stateless.setAsyncSupported(true);
                handler.addFilter(stateless, McpgwServer.PATH + "/mcp", EnumSet.of(DispatcherType.REQUEST));
                mcpgw.servlets().forEach((path, servlet) -> {
                    ServletHolder holder = new ServletHolder(servlet);
                    holder.setAsyncSupported(true); // the MCP SDK's transports are asynchronous
                    handler.addServlet(holder, path);
                });
            });
        });
        this.background = Executors.newScheduledThreadPool(2, DaemonThreads.named("mcpgw-runtime"));
    }

    private void routes(RoutesConfig routes, Authenticator auth, RegistryJson json) {
        // Every answer is what its Content-Type says: JSON, or text a registrant or an upstream wrote, never
        // sniffed into HTML.
        routes.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
        if (site != null) {
            site.addTo(routes);
            routes.ws("/ws/registry", ws -> {
                ws.onConnect(ctx -> {
                    Principal who = auth.identify(ctx).orElse(null);
                    feed.connected(ctx, id -> view.current().maySee(who, id), visitor(ctx, who));
                });
                ws.onClose(feed::disconnected);
                ws.onError(feed::disconnected);
            });
        }
        routes.ws("/ws/health_status", ws -> {
            ws.onConnect(ctx -> {
                Principal who = auth.identify(ctx).orElse(null);
                hub.connected(ctx, path -> view.current().maySee(who, path.substring(1)), visitor(ctx, who));
            });
            ws.onClose(hub::disconnected);
            ws.onError(hub::disconnected);
        });
        routes.get("/health", this::health);
        routes.get(
                "/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(metrics.scrape()));
        if (settings.auth().admin() != null) {
            new AuthRoutes(
                            auth,
                            settings.auth().admin(),
                            new LoginThrottle(Clock.systemUTC()),
                            metrics,
                            this::closeEndedSockets)
                    .addTo(routes);
        }
        new ManagementRoutes(auth, registry, json).addTo(routes);
        new SearchRoutes(auth, registry, json).addTo(routes);
        new GatewayAuthRoutes(
                        auth,
                        view,
                        metrics,
                        settings.gatewayUrl(),
                        new SessionBinding(settings.auth().key()))
                .addTo(routes);
        new McpRegistryRoutes(auth, registry, settings.gatewayUrl(), () -> registryUpdatedAt).addTo(routes);
        HttpErrors.addTo(routes);
        routes.after(ctx -> metrics.increment(
                "mcpgw_http_requests_total",
                "route",
                route(ctx),
                "method",
                ctx.method().name(),
                "status",
                Integer.toString(ctx.statusCode())));
    }

    /** Closes the live sockets of callers signed out, or whose token was revoked or has expired. */
    private void closeEndedSockets() {
        java.util.function.Predicate<io.javalin.websocket.WsContext> ended = ctx -> {
            try {
                return authenticator.identify(ctx).isEmpty();
            } catch (RuntimeException unreadable) { // a socket whose request can no longer be read: not kept
                return true;
            }
        };
        try {
            hub.closeEnded(ended, "signed out");
            if (feed != null) {
                feed.closeEnded(ended, "signed out");
            }
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again: log, and try again next time
            LOG.warn("closing the sockets of signed-out callers failed: {}", e.toString());
        }
    }

    private static WsClients.Visitor visitor(io.javalin.websocket.WsContext ctx, Principal who) {
        return new WsClients.Visitor(Clients.address(ctx), who != null);
    }

    /**
     * Starts serving; probe rounds (when in-process) and the watch of the branches start at once. What it
     * does is logged through SLF4J ({@code logback.xml}: one record per line, upstream text escaped).
     */
    public static RegistryRuntime start(RuntimeSettings settings) throws IOException {
        RegistryRuntime runtime = new RegistryRuntime(settings);
        try {
            runtime.begin();
        } catch (IOException | RuntimeException e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    /** As {@link #start(RuntimeSettings)}, with settings still being built. */
    public static RegistryRuntime start(RuntimeSettings.Builder settings) throws IOException {
        return start(settings.build());
    }

    private void begin() throws IOException {
        observations.onChange(this::publish);
        registry.onCommit(this::committed);
        metrics.gauge("mcpgw_websocket_clients", "Browsers connected to the live status.", hub::clientCount);
        metrics.gauge(
                "mcpgw_registered_servers",
                "Servers in the registry's config branch.",
                () -> view.current().servers().size());
        syncFromRemote();
        view.refresh();
        tokens.refresh();
        app.start(settings.host(), settings.port());
        metrics.bindTo(app.jettyServer().server());
        if (settings.probing().inProcess()) {
            background.scheduleWithFixedDelay(
                    observations::round, 0, settings.probing().interval().toMillis(), TimeUnit.MILLISECONDS);
        }
        background.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
        // Sign-outs on other replicas, revoked and expired tokens: their sockets close within a quarter minute.
        background.scheduleWithFixedDelay(this::closeEndedSockets, 15, 15, TimeUnit.SECONDS);
        if (applier != null) {
            applier.request().thenRun(this::publish);
            if (settings.egress().enforced()) {
                // Upstream names are pinned to the addresses checked at deployment: follow DNS as it changes.
                background.scheduleWithFixedDelay(
                        () -> applier.request().thenRun(this::publish), 60, 60, TimeUnit.SECONDS);
            }
        }
        publish();
    }

    public int port() {
        return app.port();
    }

    public StatusHub hub() {
        return hub;
    }

    /** The latest observed status of every server, by id. */
    public Map<String, ServerStatus> statuses() {
        return observations.statuses();
    }

    /** The registry service every door calls. */
    public RegistryService registry() {
        return registry;
    }

    /** After each commit of the service: count it, reload, tell browsers, deploy when applying. */
    private void committed(String action) {
        metrics.increment("mcpgw_registry_commits_total", "operation", action);
        try {
            configMoved();
        } catch (IOException e) {
            LOG.error(
                    "reloading the registry after {} failed: {}; the next check (in a second) tries again",
                    action,
                    e.getMessage());
        }
    }

    /** Every second: picks up branches moved by others (fetching them first every fetchInterval with a remote). */
    private void watch() {
        try {
            syncFromRemote();
            tokens.refresh();
            configMoved();
            if (!settings.probing().inProcess()) {
                observations.readStatusBranch();
            }
        } catch (Exception e) {
            LOG.warn("watching the repository failed: {}", e.getMessage());
        }
    }

    private void syncFromRemote() throws IOException {
        if (settings.remote() == null || Instant.now().isBefore(lastFetch.plus(settings.fetchInterval()))) {
            return;
        }
        lastFetch = Instant.now();
        RuntimeSettings.Branches branches = settings.branches();
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
                feed.reconnectAll("access rules changed; reconnect");
            }
            publish();
            if (applier != null) {
                applier.request().thenRun(this::publish); // which servers could not be deployed shows on pages
            }
        }
    }

    private void publish() {
        RegistryView.Snapshot snapshot = view.current();
        hub.publish(snapshot, observations.statuses());
        feed.publish(snapshot, observations.statuses(), applier == null ? Map.of() : applier.notDeployed());
        search.changed();
    }

    private void health(Context ctx) {
        RegistryView.Snapshot snapshot = view.current();
        ctx.json(JSON.createObjectNode()
                .put("status", "ok")
                .put(
                        "config_revision",
                        snapshot.revision() == null ? null : snapshot.revision().name())
                .put("servers", snapshot.servers().size())
                .put("invalid_entries", snapshot.problems().size())
                .put("unreadable_status_files", observations.unreadable().size())
                // Ids only: /health is public; who may see a server reads why in its details.
                .putPOJO(
                        "not_deployed",
                        applier == null
                                ? List.of()
                                : List.copyOf(applier.notDeployed().keySet()))
                .put("websocket_clients", hub.clientCount())
                .put("probe", settings.probing().inProcess() ? "in-process" : "status branch"));
    }

    private static String route(Context ctx) {
        try {
            io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
            return matched == null ? "unmatched" : matched.path;
        } catch (RuntimeException unmatched) {
            return "unmatched";
        }
    }

    @Override
    public void close() {
        DaemonThreads.stop(background, Duration.ofSeconds(10));
        mcpgw.close(); // ends MCP streams, so that stopping below waits only for requests being answered
        app.stop();
        // Requests being answered (a commit retrying, say) finish before the repository closes: nothing writes
        // into it after close() returns.
        if (!webGuard.awaitIdle(STOP_PATIENCE)) {
            LOG.warn("stopping: requests still being answered after {} s", STOP_PATIENCE.toSeconds());
        }
        observations.close();
        search.close();
        toolCalls.close();

        if (applier != null) {
            applier.close();
        }
        store.close();
        metrics.close();
    }
}
