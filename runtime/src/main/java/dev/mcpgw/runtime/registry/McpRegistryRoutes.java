package dev.mcpgw.runtime.registry;

import dev.mcpgw.core.contract.RegistryV01;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.runtime.auth.Authenticator;
import dev.mcpgw.runtime.auth.Principal;
import dev.mcpgw.runtime.http.ApiException;
import dev.mcpgw.runtime.http.Clients;
import dev.mcpgw.runtime.service.Caller;
import dev.mcpgw.runtime.service.RegistryService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The official MCP Registry's read-only API, version v0.1, answered live from the registry: what VS Code and
 * GitHub Copilot read. {@code GET /v0.1/servers} takes {@code search} (a case-insensitive substring of the
 * name, title or description), {@code limit} (1-100, default 30) and {@code cursor} (opaque and URL-safe,
 * from {@code metadata.nextCursor}). Open to any origin, as Copilot needs; with access.yaml it lists only the
 * servers the caller's token (Copilot sends one) may reach.
 */
public final class McpRegistryRoutes {

    static final int DEFAULT_LIMIT = 30;
    static final int MAX_LIMIT = 100;

    private final RegistryService registry;
    private final String gatewayUrl;

    private final String namespace;
    private final Supplier<Instant> updatedAt;

    private final Authenticator auth;

    public McpRegistryRoutes(
            Authenticator auth, RegistryService registry, String gatewayUrl, Supplier<Instant> updatedAt) {
        this.auth = auth;
        this.registry = registry;
        this.gatewayUrl = gatewayUrl;
        this.namespace = RegistryV01.defaultNamespace(gatewayUrl);
        this.updatedAt = updatedAt;
    }

    /**
     * CORS for the v0.1 API, with Javalin's own plugin: pages of the gateway's origins and of those allowed with
     * {@code --allow-origin} may read it (the web guard refused every other origin before this).
     */
    public static void enableCors(io.javalin.config.JavalinConfig config, dev.mcpgw.core.model.WebOrigins origins) {
        if (origins.origins().isEmpty()) {
            return;
        }
        config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
            rule.path = "/v0.1/*";
            rule.maxAge = 86400;
            origins.origins().forEach(rule::allowHost);
        }));
    }

    public void addTo(RoutesConfig routes) {
        routes.get("/v0.1/servers", this::list);
        routes.get("/v0.1/servers/<name>/versions/<version>", this::version);
        routes.get("/v0.1/servers/<name>/versions", this::versions);
    }

    private void list(Context ctx) {
        int limit = limit(ctx.queryParam("limit"));
        String after = cursor(ctx.queryParam("cursor"));
        String search =
                ctx.queryParam("search") == null ? "" : ctx.queryParam("search").toLowerCase(Locale.ROOT);
        List<RegistryService.Server> matching = visible(ctx).stream()
                .filter(server ->
                        search.isEmpty() || matches(server.registered().entry(), search))
                .filter(server -> after == null || name(server).compareTo(after) > 0)
                .sorted(java.util.Comparator.comparing(this::name))
                .limit(limit + 1L)
                .toList();
        List<RegistryV01.ServerResponse> page =
                matching.stream().limit(limit).map(this::response).toList();
        String next = matching.size() <= limit
                ? null
                : Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(name(matching.get(limit - 1)).getBytes(StandardCharsets.UTF_8));
        ctx.json(new RegistryV01.ServerList(page, new RegistryV01.Metadata(page.size(), next)));
    }

    private void version(Context ctx) {
        RegistryService.Server server = find(ctx, ctx.pathParam("name"));
        ServerEntry entry = server.registered().entry();
        String version = ctx.pathParam("version");
        if (!version.equals("latest") && !version.equals(RegistryV01.version(entry))) {
            throw new ApiException(
                    404,
                    "not_found",
                    "server " + RegistryV01.name(namespace, entry)
                            + " has no version " + version.substring(0, Math.min(version.length(), 64))
                            + "; its version is " + RegistryV01.version(entry));
        }
        ctx.json(response(server));
    }

    private void versions(Context ctx) {
        RegistryService.Server server = find(ctx, ctx.pathParam("name"));
        ctx.json(new RegistryV01.ServerList(List.of(response(server)), new RegistryV01.Metadata(1, null)));
    }

    private RegistryV01.ServerResponse response(RegistryService.Server server) {
        return RegistryV01.response(
                server.registered().entry(), server.status(), gatewayUrl, namespace, updatedAt.get());
    }

    private String name(RegistryService.Server server) {
        return RegistryV01.name(namespace, server.registered().entry());
    }

    /** The valid entries the caller may see: all without access.yaml; with it, those its groups reach (none anonymously). */
    private List<RegistryService.Server> visible(Context ctx) {
        Principal who = auth.identify(ctx).orElse(null);
        return registry
                .servers(new Caller(
                        who,
                        who == null ? "anonymous" : who.via().name().toLowerCase(Locale.ROOT),
                        Clients.address(ctx)))
                .stream()
                .filter(server -> server.registered().valid())
                .toList();
    }

    private RegistryService.Server find(Context ctx, String name) {
        return visible(ctx).stream()
                .filter(server -> name(server).equals(name))
                .findFirst()
                .orElseThrow(() -> new ApiException(
                        404,
                        "not_found",
                        "no server is named " + name.substring(0, Math.min(name.length(), 128)) + "; names look like "
                                + namespace + "/<id>"));
    }

    private static boolean matches(ServerEntry entry, String search) {
        return entry.id().value().contains(search)
                || entry.name().toLowerCase(Locale.ROOT).contains(search)
                || entry.description().toLowerCase(Locale.ROOT).contains(search);
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ApiException.badRequest("limit: must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static String cursor(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor: not a cursor from metadata.nextCursor; start without one");
        }
    }
}
