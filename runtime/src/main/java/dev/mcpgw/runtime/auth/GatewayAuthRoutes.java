package dev.mcpgw.runtime.auth;

import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.runtime.http.ApiException;
import dev.mcpgw.runtime.http.Clients;
import dev.mcpgw.runtime.registry.RegistryView;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's access check ({@code compile --auth}): nginx asks {@code GET /auth/check} before every MCP
 * request, naming the server in {@code X-Mcpgw-Server}, and the answer comes from memory - the tokens and
 * access.yaml as last loaded, no I/O. 200 carries the caller in {@code X-Mcpgw-User} and {@code X-Mcpgw-Groups}
 * for the upstream; 401 and 403 carry a {@code WWW-Authenticate} challenge pointing at the server's RFC 9728
 * protected resource metadata, which {@code /.well-known/oauth-protected-resource/<id>/mcp} serves. Without
 * access.yaml every caller with valid credentials passes; with it, default deny.
 */
public final class GatewayAuthRoutes {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final Authenticator auth;
    private final RegistryView view;

    public GatewayAuthRoutes(Authenticator auth, RegistryView view) {
        this.auth = auth;
        this.view = view;
    }

    public void addTo(RoutesConfig routes) {
        routes.get("/auth/check", this::check);
        routes.get("/.well-known/oauth-protected-resource/{id}/{transport}", this::metadata);
    }

    private void check(Context ctx) {
        String id = ctx.header("X-Mcpgw-Server");
        if (!ServerId.isWellFormed(id)) {
            throw ApiException.badRequest("X-Mcpgw-Server: the gateway names the server it asks about");
        }
        String metadata = Clients.origin(ctx) + "/.well-known/oauth-protected-resource/" + id + "/mcp";
        Optional<Principal> who;
        try {
            who = auth.identify(ctx, auth.audiencesOf(id));
        } catch (ApiException invalid) {
            challenge(ctx, 401, "Bearer realm=\"mcpgw\", error=\"invalid_token\", resource_metadata=\"" + metadata + "\"");
            return;
        }
        if (who.isEmpty()) {
            challenge(ctx, 401, "Bearer realm=\"mcpgw\", resource_metadata=\"" + metadata + "\"");
            return;
        }
        RegistryView.Snapshot snapshot = view.current();
        if (snapshot.access() != null && !snapshot.maySee(who.get(), id)) {
            challenge(ctx, 403, "Bearer realm=\"mcpgw\", error=\"insufficient_scope\", resource_metadata=\""
                    + metadata + "\"");
            return;
        }
        ctx.header("X-Mcpgw-User", who.get().user());
        ctx.header("X-Mcpgw-Groups", String.join(",", new TreeSet<>(who.get().groups())));
        ctx.status(200);
    }

    private static void challenge(Context ctx, int status, String header) {
        ctx.header("WWW-Authenticate", header);
        ctx.status(status);
    }

    /** RFC 9728: what the server is and how to present a token to it. */
    private void metadata(Context ctx) {
        String id = ctx.pathParam("id");
        String transport = ctx.pathParam("transport");
        if (!ServerId.isWellFormed(id) || !transport.matches("mcp|sse") || view.current().server(id).isEmpty()) {
            throw ApiException.notFound("/" + (id.length() > 64 ? id.substring(0, 64) : id));
        }
        ctx.json(JSON.createObjectNode()
                .put("resource", Clients.origin(ctx) + "/" + id + "/" + transport)
                .put("resource_name", view.current().server(id).get().valid()
                        ? view.current().server(id).get().entry().name() : id)
                .set("bearer_methods_supported", JSON.createArrayNode().add("header")));
    }
}
