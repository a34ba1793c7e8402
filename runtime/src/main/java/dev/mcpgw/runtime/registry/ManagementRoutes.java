package dev.mcpgw.runtime.registry;

import dev.mcpgw.core.access.AccessPolicy.Operation;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.runtime.auth.Authenticator;
import dev.mcpgw.runtime.auth.Principal;
import dev.mcpgw.runtime.http.ApiException;
import dev.mcpgw.runtime.http.Clients;
import dev.mcpgw.runtime.http.RequestBody;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reference's management API (contract 5), answering JSON: register, toggle, edit and delete change the
 * registry through {@link RegistryEditor}; server_details, tools and refresh read and probe. A server is
 * named by its path with or without the leading slash ({@code /toggle/currenttime} or
 * {@code /toggle//currenttime}), as the reference accepts both.
 */
public final class ManagementRoutes {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final Authenticator auth;
    private final RegistryEditor editor;
    private final RegistryView view;
    private final Live live;
    private final RegistryJson json;

    public ManagementRoutes(Authenticator auth, RegistryEditor editor, RegistryView view, Live live, RegistryJson json) {
        this.auth = auth;
        this.editor = editor;
        this.view = view;
        this.live = live;
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
        Principal who = allowed(ctx, Operation.REGISTER);
        RegistryEditor.Outcome outcome = editor.register(RequestBody.fields(ctx), who.asAuthor());
        String path = "/" + outcome.id();
        done(ctx, who, "register", outcome);
        ctx.status(201).json(JSON.createObjectNode()
                .put("message", "Service registered successfully")
                .put("path", path)
                .put("commit", outcome.commit().name())
                .set("service", outcome.entry()));
    }

    private void toggle(Context ctx) throws IOException {
        Principal who = allowed(ctx, Operation.TOGGLE);
        String id = id(ctx);
        JsonNode fields = RequestBody.fields(ctx);
        JsonNode enabledField = fields.path("enabled");
        boolean enabled = enabledField.isBoolean() ? enabledField.asBoolean()
                : EntryFields.parseBoolean("enabled", enabledField.isMissingNode() ? "" : enabledField.asString());
        RegistryEditor.Outcome outcome = editor.toggle(id, enabled, who.asAuthor());
        done(ctx, who, (enabled ? "enable" : "disable"), outcome);
        ServerStatus status = live.statuses().get(id);
        if (enabled && outcome.changed()) {
            live.probeSoon(id);
        }
        ctx.json(JSON.createObjectNode()
                .put("message", "Toggle request for /" + id + " processed.")
                .put("service_path", "/" + id)
                .put("new_enabled_state", enabled)
                .put("status", RegistryJson.health(enabled, status))
                .put("last_checked_iso", status == null ? null : status.checkedAt().toString())
                .put("num_tools", status == null ? 0 : status.tools().size())
                .put("changed", outcome.changed())
                .put("commit", outcome.commit().name()));
    }

    private void edit(Context ctx) throws IOException {
        Principal who = allowed(ctx, Operation.EDIT);
        String id = id(ctx);
        RegistryEditor.Outcome outcome = editor.edit(id, RequestBody.fields(ctx), who.asAuthor());
        done(ctx, who, "edit", outcome);
        ctx.json(JSON.createObjectNode()
                .put("message", "Server /" + id + " updated")
                .put("service_path", "/" + id)
                .put("changed", outcome.changed())
                .put("commit", outcome.commit().name())
                .set("service", outcome.entry()));
    }

    private void delete(Context ctx) throws IOException {
        Principal who = allowed(ctx, Operation.DELETE);
        String id = id(ctx);
        RegistryEditor.Outcome outcome = editor.delete(id, who.asAuthor());
        done(ctx, who, "delete", outcome);
        ctx.json(JSON.createObjectNode()
                .put("message", "Server /" + id + " deleted")
                .put("service_path", "/" + id)
                .put("commit", outcome.commit().name()));
    }

    private void serverDetails(Context ctx) {
        Principal who = auth.require(ctx);
        RegistryView.Snapshot snapshot = view.current();
        if (isAll(ctx)) {
            ObjectNode all = JSON.createObjectNode();
            snapshot.servers().values().stream().filter(server -> snapshot.maySee(who, server.id()))
                    .forEach(server -> all.set("/" + server.id(), json.details(server)));
            ctx.json(all);
            return;
        }
        ctx.json(json.details(registered(ctx, snapshot, who)));
    }

    private void tools(Context ctx) {
        Principal who = auth.require(ctx);
        RegistryView.Snapshot snapshot = view.current();
        if (isAll(ctx)) {
            ObjectNode answer = JSON.createObjectNode().put("service_path", "all");
            ArrayNode everything = answer.putArray("tools");
            ObjectNode byServer = answer.putObject("servers");
            for (RegistryView.Registered server : snapshot.servers().values()) {
                if (!snapshot.maySee(who, server.id())) {
                    continue;
                }
                ArrayNode tools = byServer.putArray("/" + server.id());
                for (ToolInfo tool : json.tools(server.id())) {
                    if (!snapshot.mayCall(who, server.id(), tool.name())) {
                        continue;
                    }
                    ObjectNode described = RegistryJson.tool(tool).put("server_path", "/" + server.id())
                            .put("server_name", server.valid() ? server.entry().name() : server.id());
                    tools.add(described);
                    everything.add(described);
                }
            }
            ctx.json(answer);
            return;
        }
        RegistryView.Registered server = registered(ctx, snapshot, who);
        if (!server.valid() || !server.entry().enabled()) {
            throw ApiException.badRequest("Cannot fetch tools from disabled service /" + server.id()
                    + "; enable it first");
        }
        ServerStatus status = live.statuses().get(server.id());
        ObjectNode answer = JSON.createObjectNode().put("service_path", "/" + server.id())
                .put("checked_at", status == null ? null : status.checkedAt().toString());
        ArrayNode tools = answer.putArray("tools");
        json.tools(server.id()).stream().filter(tool -> snapshot.mayCall(who, server.id(), tool.name()))
                .forEach(tool -> tools.add(RegistryJson.tool(tool)));
        ctx.json(answer);
    }

    private void refresh(Context ctx) throws IOException {
        Principal who = allowed(ctx, Operation.REFRESH);
        RegistryView.Registered server = registered(ctx, view.current(), who);
        if (!server.valid() || !server.entry().enabled()) {
            throw ApiException.badRequest("Cannot refresh disabled service /" + server.id() + "; enable it first");
        }
        ServerStatus status = probe(server.id());
        live.audit(caller(ctx, who), "refresh", "/" + server.id(), "health=" + status.health().jsonName());
        ctx.json(JSON.createObjectNode()
                .put("service_path", "/" + server.id())
                .put("status", status.health().jsonName())
                .put("error", status.error())
                .put("last_checked_iso", status.checkedAt().toString())
                .put("num_tools", status.tools().size()));
    }

    private ServerStatus probe(String id) throws IOException {
        ServerEntry entry = view.current().server(id).map(RegistryView.Registered::entry)
                .orElseThrow(() -> ApiException.notFound("/" + id));
        return live.probeNow(entry);
    }

    private void done(Context ctx, Principal who, String action, RegistryEditor.Outcome outcome) throws IOException {
        live.changed(caller(ctx, who), action, outcome);
    }

    private static Live.Caller caller(Context ctx, Principal who) {
        return new Live.Caller(who, who.via().name().toLowerCase(Locale.ROOT), Clients.address(ctx));
    }

    private static boolean isAll(Context ctx) {
        return ctx.pathParam("path").replaceFirst("^/+", "").equals("all");
    }

    /** The id named in the path; anything that cannot be an id is simply not registered. */
    private static String id(Context ctx) {
        String id = ctx.pathParam("path").replaceFirst("^/+", "");
        if (!ServerId.isWellFormed(id)) {
            throw ApiException.notFound("/" + (id.length() > 64 ? id.substring(0, 64) + "…" : id));
        }
        return id;
    }

    /** The server named in the path, when {@code who} may see it: others are not found, as if absent. */
    private static RegistryView.Registered registered(Context ctx, RegistryView.Snapshot snapshot, Principal who) {
        String id = id(ctx);
        return snapshot.server(id).filter(server -> snapshot.maySee(who, id))
                .orElseThrow(() -> ApiException.notFound("/" + id));
    }

    private Principal allowed(Context ctx, Operation operation) {
        return auth.requireAllowed(ctx, operation, who -> view.current().mayUse(who, operation));
    }
}
