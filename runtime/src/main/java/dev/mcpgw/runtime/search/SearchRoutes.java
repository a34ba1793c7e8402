package dev.mcpgw.runtime.search;

import dev.mcpgw.core.model.FieldException;
import dev.mcpgw.discovery.SearchQuery;
import dev.mcpgw.runtime.auth.Authenticator;
import dev.mcpgw.runtime.auth.Principal;
import dev.mcpgw.runtime.http.ApiException;
import dev.mcpgw.runtime.http.Clients;
import dev.mcpgw.runtime.registry.RegistryJson;
import dev.mcpgw.runtime.service.Caller;
import dev.mcpgw.runtime.service.RegistryService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashSet;
import java.util.Locale;

/**
 * {@code GET /api/search?q=…&top_k=…[&server=ID…][&tag=T…]}: the tools that answer a need, each with its server,
 * input schema, score and the gateway URL to call.
 */
public final class SearchRoutes {

    private final Authenticator auth;
    private final RegistryService registry;
    private final RegistryJson json;

    public SearchRoutes(Authenticator auth, RegistryService registry, RegistryJson json) {
        this.auth = auth;
        this.registry = registry;
        this.json = json;
    }

    public void addTo(RoutesConfig routes) {
        routes.get("/api/search", this::search);
    }

    private void search(Context ctx) {
        Principal who = auth.require(ctx);
        String text = ctx.queryParam("q");
        SearchQuery query;
        try {
            query = new SearchQuery(
                    text == null ? "" : text,
                    topK(ctx.queryParam("top_k")),
                    new LinkedHashSet<>(ctx.queryParams("server")),
                    new LinkedHashSet<>(ctx.queryParams("tag")));
        } catch (FieldException e) {
            throw ApiException.badRequest((e.field().equals("query") ? "q" : e.field()) + ": " + e.getMessage());
        }
        ctx.json(json.searchResults(registry.search(
                new Caller(who, who.via().name().toLowerCase(Locale.ROOT), Clients.address(ctx)), query)));
    }

    static int topK(String value) {
        if (value == null) {
            return 5;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("top_k: '" + (value.length() > 20 ? value.substring(0, 20) + "…" : value)
                    + "' is not a whole number; give 1 to " + SearchQuery.MAX_TOP_K);
        }
    }
}
