package dev.mcpgw.runtime.registry;

import dev.mcpgw.core.access.AccessPolicy.Operation;
import dev.mcpgw.core.contract.ToolDoc;
import dev.mcpgw.runtime.auth.Authenticator;
import dev.mcpgw.runtime.auth.Principal;
import dev.mcpgw.runtime.http.Clients;
import dev.mcpgw.runtime.http.RequestBody;
import dev.mcpgw.runtime.service.Caller;
import dev.mcpgw.runtime.service.RegistryService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reference's management API (contract 5), an HTTP door over {@link RegistryService}: it parses the form
 * or JSON body, checks what only a browser request needs (a signed-in caller, CSRF for cookie sessions), calls
 * the service and answers its results as JSON. A server is named by its path with or without the leading slash
 * ({@code /toggle/currenttime} or {@code /toggle//currenttime}), as the reference accepts both.
 */
public final class ManagementRoutes {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final Authenticator auth;
    private final RegistryService registry;
    private final RegistryJson json;

    public ManagementRoutes(Authenticator auth, RegistryService registry, RegistryJson json) {
        this.auth = auth;
        this.registry = registry;
        this.json = json;
    }

    public void addTo(RoutesConfig routes) {
        routes.post("/register", this::register);
        routes.post("/toggle/<path>", this::toggle);
        routes.post("/edit/<path>", this::edit);
        routes.post("/delete/<path>", this::delete);
        routes.get("/api/server_details/<path>", this::serverDetails);
        routes.get("/api/tools/<path>", this::tools);
        routes.post("/api/refresh/<path>", this::refresh);
    }

    private void register(Context ctx) throws IOException {
        Caller caller = changing(ctx, Operation.REGISTER);
        ctx.status(201).json(json.registered(registry.register(caller, RequestBody.fields(ctx))));
    }

    private void toggle(Context ctx) throws IOException {
        Caller caller = changing(ctx, Operation.TOGGLE);
        JsonNode enabledField = RequestBody.fields(ctx).path("enabled");
        boolean enabled = enabledField.isBoolean()
                ? enabledField.asBoolean()
                : EntryFields.parseBoolean("enabled", enabledField.isMissingNode() ? "" : enabledField.asString());
        ctx.json(json.toggled(registry.toggle(caller, path(ctx), enabled), enabled));
    }

    private void edit(Context ctx) throws IOException {
        Caller caller = changing(ctx, Operation.EDIT);
        ctx.json(json.edited(registry.edit(caller, path(ctx), RequestBody.fields(ctx))));
    }

    private void delete(Context ctx) throws IOException {
        Caller caller = changing(ctx, Operation.DELETE);
        ctx.json(json.deleted(registry.delete(caller, path(ctx))));
    }

    private void serverDetails(Context ctx) {
        Caller caller = signedIn(ctx);
        if (isAll(ctx)) {
            ObjectNode all = JSON.createObjectNode();
            registry.servers(caller).forEach(server -> all.set("/" + server.id(), json.details(server)));
            ctx.json(all);
            return;
        }
        ctx.json(json.details(registry.server(caller, path(ctx))));
    }

    private void tools(Context ctx) {
        Caller caller = signedIn(ctx);
        if (!isAll(ctx)) {
            ctx.json(json.tools(registry.tools(caller, path(ctx))));
            return;
        }
        ObjectNode answer = JSON.createObjectNode().put("service_path", "all");
        ArrayNode everything = answer.putArray("tools");
        ObjectNode byServer = answer.putObject("servers");
        for (RegistryService.Server server : registry.servers(caller)) {
            ArrayNode tools = byServer.putArray("/" + server.id());
            String name =
                    server.registered().valid() ? server.registered().entry().name() : server.id();
            registry.callableTools(caller, server).forEach(tool -> {
                ObjectNode described = ((ObjectNode) JSON.valueToTree(ToolDoc.of(tool)))
                        .put("server_path", "/" + server.id())
                        .put("server_name", name);
                tools.add(described);
                everything.add(described);
            });
        }
        ctx.json(answer);
    }

    private void refresh(Context ctx) throws IOException {
        Caller caller = changing(ctx, Operation.REFRESH);
        String id = RegistryService.id(path(ctx));
        ctx.json(json.refreshed(id, registry.refresh(caller, id)));
    }

    /** The API answers signed-in callers only, as the reference does (401 otherwise). */
    private Caller signedIn(Context ctx) {
        return caller(ctx, auth.require(ctx));
    }

    /**
     * A caller for a change: signed in, allowed the operation (asked before the body is read, so a caller
     * without the right learns nothing from its validation), and not a cookie-carrying request another site made.
     */
    private Caller changing(Context ctx, Operation operation) {
        Caller caller = caller(ctx, auth.identify(ctx).orElse(null));
        registry.authorize(caller, operation);
        auth.checkCsrf(ctx);
        return caller;
    }

    private static Caller caller(Context ctx, Principal who) {
        return new Caller(
                who, who == null ? "anonymous" : who.via().name().toLowerCase(Locale.ROOT), Clients.address(ctx));
    }

    private static String path(Context ctx) {
        return ctx.pathParam("path");
    }

    private static boolean isAll(Context ctx) {
        return ctx.pathParam("path").replaceFirst("^/+", "").equals("all");
    }
}
