package dev.mcpgw.runtime.site;

import dev.mcpgw.core.contract.SearchIndexJson;
import dev.mcpgw.core.contract.ServersJson;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.runtime.auth.Authenticator;
import dev.mcpgw.runtime.auth.Principal;
import dev.mcpgw.runtime.http.ApiException;
import dev.mcpgw.runtime.registry.RegistryView;
import dev.mcpgw.runtime.service.Observations;
import dev.mcpgw.runtime.service.RegistryException;
import dev.mcpgw.site.SiteGenerator;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * The website as the runtime serves it ({@code serve --site}, {@code up}): every page rendered on request from
 * the registry as it is now and the latest observations, by the same {@link SiteGenerator} templates as the
 * static snapshot, showing each caller only what access.yaml lets it see (anonymous callers: nothing when there
 * is an access.yaml) and only the tools it may call. Pages then follow {@link SiteFeed}; a changed card
 * ({@code /site/cards/ID}) or page is fetched again. Nothing is generated ahead or kept per revision, so a change
 * costs nothing here: a request costs one rendering of what it asks for.
 */
public final class LiveSite {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Pattern PAGE = Pattern.compile("([a-z0-9-]{1,63})\\.html");
    private static final String HTML = "text/html; charset=utf-8";

    private final Path directory;
    private final RegistryView view;
    private final Observations live;
    private final Authenticator auth;
    private final SiteFeed feed;
    private final Supplier<Map<String, String>> notDeployed;
    private final String gatewayUrl;
    private final SiteGenerator generator = new SiteGenerator();

    /**
     * @param directory   where operators may put their own {@code assets/} (site.css, site.js) over the built-in
     *                    ones; may be null
     * @param notDeployed the servers the gateway does not route to, with why
     */
    public LiveSite(
            Path directory,
            RegistryView view,
            Observations live,
            Authenticator auth,
            SiteFeed feed,
            Supplier<Map<String, String>> notDeployed,
            String gatewayUrl) {
        this.directory = directory == null ? null : directory.toAbsolutePath();
        this.view = view;
        this.live = live;
        this.auth = auth;
        this.feed = feed;
        this.notDeployed = notDeployed;
        this.gatewayUrl = gatewayUrl;
    }

    public void addTo(RoutesConfig routes) {
        routes.get("/", this::index);
        routes.get("/index.html", this::index);
        routes.get("/servers/{page}", this::serverPage);
        routes.get("/site/cards/{id}", this::card);
        routes.get("/servers.json", ctx -> {
            Visitor visitor = visitor(ctx);
            json(
                    ctx,
                    JSON.writerWithDefaultPrettyPrinter()
                                    .writeValueAsString(ServersJson.of(
                                            visitor.entries(),
                                            visitor.statuses(live.statuses()),
                                            gatewayUrl,
                                            Instant.now()))
                            + "\n");
        });
        routes.get("/search-index.json", ctx -> {
            Visitor visitor = visitor(ctx);
            json(
                    ctx,
                    JSON.writeValueAsString(SearchIndexJson.of(visitor.entries(), visitor.statuses(live.statuses())))
                            + "\n");
        });
        routes.get("/assets/{file}", this::asset);
    }

    /** What one caller may see of the registry now. */
    private record Visitor(RegistryView.Snapshot snapshot, Principal who) {

        boolean sees(String id) {
            return snapshot.maySee(who, id);
        }

        List<ServerEntry> entries() {
            List<ServerEntry> mine = new ArrayList<>();
            for (RegistryView.Registered server : snapshot.servers().values()) { // in id order
                if (server.valid() && sees(server.id())) {
                    mine.add(server.entry());
                }
            }
            return mine;
        }

        Map<String, ServerStatus> statuses(Map<String, ServerStatus> all) {
            Map<String, ServerStatus> mine = new HashMap<>();
            all.forEach((id, status) -> {
                if (sees(id)) {
                    mine.put(id, snapshot.callable(who, status));
                }
            });
            return mine;
        }
    }

    private Visitor visitor(Context ctx) {
        Principal who;
        try {
            who = auth.identify(ctx).orElse(null);
        } catch (RegistryException invalidCredentials) {
            who = null; // an expired session shows the site as to anyone
        }
        return new Visitor(view.current(), who);
    }

    private SiteGenerator.Settings settings(Context ctx) {
        // Pages call their own origin with relative URLs: nothing in them comes from the Host header.
        return SiteGenerator.Settings.live(gatewayUrl, "");
    }

    private SiteGenerator.Live liveOf(String id) {
        return new SiteGenerator.Live(feed.version(id), notDeployed.get().get(id));
    }

    private void index(Context ctx) {
        Visitor visitor = visitor(ctx);
        Map<String, String> failed = notDeployed.get();
        html(
                ctx,
                200,
                generator.renderIndex(
                        visitor.entries(),
                        visitor.statuses(live.statuses()),
                        settings(ctx),
                        id -> new SiteGenerator.Live(feed.version(id), failed.get(id))));
    }

    private void serverPage(Context ctx) {
        Matcher page = PAGE.matcher(ctx.pathParam("page"));
        if (!page.matches()) {
            throw new ApiException(404, "not_found", "no such page: a server's page is /servers/<id>.html");
        }
        String id = page.group(1);
        Visitor visitor = visitor(ctx);
        RegistryView.Registered server = visitor.snapshot()
                .server(id)
                .filter(RegistryView.Registered::valid)
                .filter(found -> visitor.sees(id))
                .orElse(null);
        if (server == null) {
            html(ctx, 404, generator.renderMissing(id, settings(ctx)));
            return;
        }
        html(
                ctx,
                200,
                generator.renderServer(
                        server.entry(),
                        visitor.snapshot()
                                .callable(visitor.who(), live.statuses().get(id)),
                        settings(ctx),
                        liveOf(id)));
    }

    private void card(Context ctx) {
        String id = ctx.pathParam("id");
        Visitor visitor = visitor(ctx);
        RegistryView.Registered server = visitor.snapshot()
                .server(id)
                .filter(RegistryView.Registered::valid)
                .filter(found -> visitor.sees(id))
                .orElseThrow(() -> new ApiException(
                        404,
                        "not_found",
                        "no server /" + (id.length() > 63 ? id.substring(0, 63) : id) + " in the registry"));
        html(
                ctx,
                200,
                generator.renderCard(
                        server.entry(),
                        visitor.snapshot()
                                .callable(visitor.who(), live.statuses().get(id)),
                        settings(ctx),
                        liveOf(id)));
    }

    private void asset(Context ctx) throws IOException {
        String name = ctx.pathParam("file");
        if (!SiteGenerator.ASSETS.contains(name)) {
            throw new ApiException(
                    404, "not_found", "no such file: /assets/" + (name.length() > 80 ? name.substring(0, 80) : name));
        }
        Path own = directory == null ? null : directory.resolve("assets").resolve(name);
        byte[] bytes = own != null && Files.isRegularFile(own) ? Files.readAllBytes(own) : SiteGenerator.asset(name);
        ctx.contentType(name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8")
                .header("Cache-Control", "no-cache")
                .result(bytes);
    }

    private static void html(Context ctx, int status, String page) {
        ctx.status(status).contentType(HTML).header("Cache-Control", "no-store").result(page);
    }

    private static void json(Context ctx, String body) {
        ctx.contentType("application/json").header("Cache-Control", "no-store").result(body);
    }
}
