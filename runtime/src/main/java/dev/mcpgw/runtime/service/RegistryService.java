package dev.mcpgw.runtime.service;

import dev.mcpgw.core.access.AccessPolicy.Operation;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.discovery.SearchHit;
import dev.mcpgw.discovery.SearchQuery;
import dev.mcpgw.runtime.auth.Principal;
import dev.mcpgw.runtime.registry.EntryFields;
import dev.mcpgw.runtime.registry.RegistryEditor;
import dev.mcpgw.runtime.registry.RegistryView;
import dev.mcpgw.runtime.search.ToolSearch;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The registry's rules, once, for every door: who may see which server and call which tool (access.yaml), who
 * may change the registry, validation and the Git commit of every change, probing, search and the audit line.
 * The HTTP API and website, the {@code mcpgw} MCP tools and the CLI only parse their input, call this service
 * and map its answers and {@link RegistryException}s to their wire.
 *
 * <p>Reading is open to anonymous callers where access.yaml allows it (without access.yaml, everything is
 * visible); a door may ask for more (the HTTP API wants a signed-in caller, as the reference does). Changing
 * needs a caller allowed the operation: administrators, and the groups access.yaml grants it to.
 */
public final class RegistryService {

    private final RegistryView view;
    private final RegistryEditor editor;
    private final Observations observations;
    private final ToolSearch search;
    private final AuditLog audit;
    private final GatewayToolCalls calls;
    private final java.util.function.BiFunction<Principal, String, String> gatewayAuthorization;
    private final dev.mcpgw.runtime.http.Metrics metrics;
    private final java.util.List<Consumer<String>> committed = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** A refresh probes on the request's thread (up to the probe's timeout): 4 at once, 2 per caller. */
    private final InProgress refreshes = new InProgress("refreshes", 4, 2);

    /** What a change did: the editor's outcome, and the server's latest status (null before any). */
    public record Change(String action, RegistryEditor.Outcome outcome, ServerStatus status) {
        public String id() {
            return outcome.id();
        }
    }

    /** A server the caller may see, with its latest status (null before its first check) holding only the tools it may call. */
    public record Server(RegistryView.Registered registered, ServerStatus status) {
        public String id() {
            return registered.id();
        }

        public boolean enabled() {
            return registered.valid() && registered.entry().enabled();
        }
    }

    /** The tools of one server a caller may call, as last observed. */
    public record Tools(Server server, List<ToolInfo> tools) {}

    /** Search hits, the mode search ran in (semantic, or lexical with its reason) and the snapshot they refer to. */
    public record SearchResults(SearchQuery query, String mode, List<SearchHit> hits, RegistryView.Snapshot snapshot) {}

    /**
     * @param calls                how tools are called through the gateway ({@link #callTool})
     * @param gatewayAuthorization the {@code Authorization} to call server (id) through the gateway as a caller
     */
    public RegistryService(
            RegistryView view,
            RegistryEditor editor,
            Observations observations,
            ToolSearch search,
            AuditLog audit,
            GatewayToolCalls calls,
            java.util.function.BiFunction<Principal, String, String> gatewayAuthorization,
            dev.mcpgw.runtime.http.Metrics metrics) {
        this.view = view;
        this.editor = editor;
        this.observations = observations;
        this.search = search;
        this.audit = audit;
        this.calls = calls;
        this.gatewayAuthorization = gatewayAuthorization;
        this.metrics = metrics;
    }

    /** What a tool call through the gateway answered: the tool's result as the server sent it. */
    public record ToolCall(Server server, String tool, String endpoint, JsonNode result) {}

    /** Tells {@code listener} the action's name after each commit (counting, reloading, deploying). */
    public void onCommit(Consumer<String> listener) {
        committed.add(listener);
    }

    // ---- reading

    /** Every server the caller may see, in id order. */
    public List<Server> servers(Caller caller) {
        RegistryView.Snapshot snapshot = view.current();
        return snapshot.servers().values().stream()
                .filter(server -> snapshot.maySee(caller.who(), server.id()))
                .map(server -> withStatus(caller, snapshot, server))
                .toList();
    }

    /** One server named by its path ({@code /fininfo} or {@code fininfo}); not found when the caller may not see it. */
    public Server server(Caller caller, String path) {
        String id = id(path);
        RegistryView.Snapshot snapshot = view.current();
        return snapshot.server(id)
                .filter(server -> snapshot.maySee(caller.who(), id))
                .map(server -> withStatus(caller, snapshot, server))
                .orElseThrow(() -> RegistryException.notFound("/" + id));
    }

    /** The tools of one enabled server the caller may call; a disabled server is refused. */
    public Tools tools(Caller caller, String path) {
        Server server = server(caller, path);
        if (!server.enabled()) {
            throw RegistryException.invalid(
                    "Cannot fetch tools from disabled service /" + server.id() + "; enable it first");
        }
        return new Tools(server, callableTools(caller, server));
    }

    /** The tools of {@code server} the caller may call, as last observed (its status holds no others). */
    public List<ToolInfo> callableTools(Caller caller, Server server) {
        return server.status() == null ? List.of() : server.status().tools();
    }

    /** The tools that answer a need, among those the caller may call. */
    public SearchResults search(Caller caller, SearchQuery query) {
        RegistryView.Snapshot snapshot = view.current();
        return new SearchResults(query, search.status(), search.searchAs(query, caller.who(), snapshot), snapshot);
    }

    // ---- calling

    /**
     * Calls tool {@code tool} of the server at {@code path} with {@code arguments}, through the gateway, as the
     * caller: the gateway's access check decides as if the caller had connected itself (a token good only at that
     * server and only for minutes stands for it), and the same rules are applied here first, in the same words,
     * so a refusal names nothing the caller may not see. A server the caller may not see is not found; a disabled
     * one, or one whose last check found it unhealthy or unreachable, is not called. The upstream's result comes
     * back whole (a tool error is a result with {@code isError}); its JSON-RPC error, no answer in time and an
     * answer too large are refusals. Audited and counted like every other action.
     */
    public ToolCall callTool(Caller caller, String path, String tool, JsonNode arguments) {
        if (tool == null || tool.isBlank() || tool.length() > 256) {
            throw RegistryException.invalid("tool_name: required, the name of one of the server's tools");
        }
        if (tool.chars().anyMatch(Character::isISOControl)) {
            throw RegistryException.invalid("tool_name: a tool's name has no control characters (line breaks, tabs)");
        }
        if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
            throw RegistryException.invalid("arguments: a JSON object of the tool's arguments");
        }
        Server server = server(caller, path);
        String where = "/" + server.id();
        if (server.id().equals("mcpgw")) {
            // A call of call_tool through call_tool would hold a thread per level, as deep as an argument nests.
            throw RegistryException.invalid("call_tool does not call mcpgw's own tools; call " + tool + " directly");
        }
        String outcome = "refused";
        try {
            if (!server.enabled()) {
                throw new RegistryException(
                        RegistryException.Reason.SERVER_UNAVAILABLE,
                        where + " is disabled; it cannot be called until it is enabled (toggle_service)");
            }
            ServerStatus status = observations.statuses().get(server.id());
            if (status != null
                    && (status.health() == dev.mcpgw.core.status.Health.UNHEALTHY
                            || status.health() == dev.mcpgw.core.status.Health.UNREACHABLE)) {
                throw new RegistryException(
                        RegistryException.Reason.SERVER_UNAVAILABLE,
                        where + " is " + status.health().jsonName() + " (last checked " + status.checkedAt()
                                + (status.error() == null ? "" : ": " + status.error())
                                + "); try again later, or check it now with refresh_service");
            }
            Principal who = caller.who();
            if (who != null && !view.current().mayCall(who, server.id(), tool)) {
                throw new RegistryException(
                        RegistryException.Reason.FORBIDDEN,
                        "access.yaml grants none of your groups (" + who.groupsInWords() + ") tool " + tool + " of "
                                + where);
            }
            JsonNode result;
            InProgress.Permit permit;
            try {
                permit = calls.permit(
                        who == null
                                ? "anonymous@" + dev.mcpgw.runtime.auth.LoginThrottle.source(caller.address())
                                : who.user());
            } catch (RegistryException full) {
                outcome = "too_many_calls";
                throw full;
            }
            try (permit) {
                result = calls.call(
                        server.registered().entry(),
                        tool,
                        arguments,
                        who == null ? null : gatewayAuthorization.apply(who, server.id()));
            } catch (dev.mcpgw.probe.client.ProbeFailure failure) {
                // by class of HTTP status: the label's values are ours to bound, not the upstream's to choose
                outcome = failure.kind() == dev.mcpgw.probe.client.ProbeFailure.Kind.HTTP_STATUS
                        ? "http_" + failure.httpStatus() / 100 + "xx"
                        : failure.word();
                throw refusal(failure, where, tool);
            }
            if ("input_required".equals(result.path("resultType").asString(""))) {
                outcome = "input_required";
                throw new RegistryException(
                        RegistryException.Reason.UPSTREAM_FAILED,
                        "tool " + tool + " of " + where + " asks the client for input (a 2026-07-28 multi-round "
                                + "trip), which call_tool cannot answer; connect to "
                                + calls.endpoint(server.registered().entry()) + " and call it there");
            }
            outcome = result.path("isError").asBoolean(false) ? "tool_error" : "ok";
            return new ToolCall(server, tool, calls.endpoint(server.registered().entry()), result);
        } finally {
            metrics.increment("mcpgw_tool_calls_total", "outcome", outcome, "server", server.id());
            audit.record(caller, "call_tool", where, "tool=" + quoted(tool) + " outcome=" + outcome);
        }
    }

    /** A failed call through the gateway in the caller's terms. */
    private RegistryException refusal(dev.mcpgw.probe.client.ProbeFailure failure, String where, String tool) {
        int seconds = (int) calls.settings().timeout().toSeconds();
        return switch (failure.kind()) {
            case TIMEOUT ->
                new RegistryException(
                        RegistryException.Reason.UPSTREAM_FAILED,
                        "tool " + tool + " of " + where + " did not answer within " + seconds
                                + " s; nothing more is known" + " of the call (the tool may have run)");
            case TOO_LARGE ->
                new RegistryException(
                        RegistryException.Reason.UPSTREAM_FAILED,
                        "the answer of tool " + tool + " of " + where + " is larger than "
                                + calls.settings().maxResultBytes() / (1024 * 1024)
                                + " MiB, more than call_tool passes back; call it at the server's gateway URL directly");
            // 401 and 403 come as one kind: the gateway's access check refused the caller.
            case UNAUTHORIZED ->
                failure.httpStatus() == 403
                        ? new RegistryException(
                                RegistryException.Reason.FORBIDDEN,
                                "the gateway refused the call of tool " + tool + " of " + where + " for you (403)")
                        : new RegistryException(
                                RegistryException.Reason.UNAUTHENTICATED,
                                "the gateway asks for a bearer token to call " + where
                                        + ": call mcpgw with Authorization: Bearer <token>");
            case HTTP_STATUS ->
                failure.httpStatus() == 404
                        ? RegistryException.notFound(where)
                        : new RegistryException(
                                RegistryException.Reason.UPSTREAM_FAILED,
                                "calling tool " + tool + " of " + where + " through the gateway failed: HTTP "
                                        + failure.httpStatus());
            case RPC_ERROR ->
                new RegistryException(
                        RegistryException.Reason.UPSTREAM_FAILED,
                        where + " refused the call of tool " + tool + ": " + failure.getMessage());
            default ->
                new RegistryException(
                        RegistryException.Reason.UPSTREAM_FAILED,
                        "calling tool " + tool + " of " + where + " through the gateway at "
                                + calls.settings().gatewayUrl() + " failed (" + failure.word() + "): "
                                + failure.getMessage());
        };
    }

    private static String quoted(String text) {
        return tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(text);
    }

    // ---- changing

    /**
     * Registers a new server (disabled unless the fields say {@code enabled}). Registering it enabled needs the
     * toggle right too, and with credential fields the credentials right: registering never grants more.
     */
    public Change register(Caller caller, JsonNode fields) throws IOException {
        Principal who = authorize(caller, Operation.REGISTER);
        Map<String, JsonNode> asked = EntryFields.changes(fields, false);
        if (asked.keySet().stream().anyMatch(ServerEntry.CREDENTIAL_FIELDS::contains)) {
            authorize(caller, Operation.CREDENTIALS);
        }
        JsonNode enabled = asked.get("enabled");
        if (enabled != null && !(enabled.isBoolean() && !enabled.asBoolean())) {
            authorize(caller, Operation.TOGGLE);
        }
        return probedWhenEnabled(done(caller, "register", editor.register(fields, who.asAuthor())));
    }

    /** An enabled server that was registered or edited is probed at once, as one that was enabled is. */
    private Change probedWhenEnabled(Change change) {
        if (change.outcome().changed()
                && change.outcome().entry() != null
                && change.outcome().entry().path("enabled").asBoolean(false)) {
            observations.probeSoon(change.id());
        }
        return change;
    }

    /** Enables or disables a server the caller may see; enabling one probes it at once. */
    public Change toggle(Caller caller, String path, boolean enabled) throws IOException {
        Principal who = authorize(caller, Operation.TOGGLE);
        String id = visibleId(caller, path);
        Change change = done(caller, enabled ? "enable" : "disable", editor.toggle(id, enabled, who.asAuthor()));
        if (enabled && change.outcome().changed()) {
            observations.probeSoon(id);
        }
        return change;
    }

    /**
     * Changes the fields given of the entry of a server the caller may see, keeping the others. Touching the
     * credential fields, or the upstream of an entry that has them, needs the credentials right as well: an edit
     * right cannot send the gateway's secrets or the callers' tokens anywhere new. Changing {@code enabled} needs
     * the toggle right.
     */
    public Change edit(Caller caller, String path, JsonNode fields) throws IOException {
        Principal who = authorize(caller, Operation.EDIT);
        String id = visibleId(caller, path);
        Change change = done(caller, "edit", editor.edit(id, fields, who.asAuthor(), (current, changed) -> {
            boolean credentials = changed.stream().anyMatch(ServerEntry.CREDENTIAL_FIELDS::contains)
                    || carriesCredentials(current) && changed.stream().anyMatch(ServerEntry.UPSTREAM_FIELDS::contains);
            if (credentials) {
                authorize(caller, Operation.CREDENTIALS);
            }
            if (changed.contains("enabled")) {
                authorize(caller, Operation.TOGGLE); // an edit is not a way around the toggle right
            }
        }));
        return probedWhenEnabled(change);
    }

    /** Deletes the entry of a server the caller may see. */
    public Change delete(Caller caller, String path) throws IOException {
        Principal who = authorize(caller, Operation.DELETE);
        return done(caller, "delete", editor.delete(visibleId(caller, path), who.asAuthor()));
    }

    /** An entry document that makes the gateway add secrets or forward the caller's token. */
    private static boolean carriesCredentials(JsonNode entry) {
        return entry.path("upstream_headers").size() > 0
                || entry.path("forward_caller_token").asBoolean(false);
    }

    /** The id a path names, when the caller may see that server; 404 otherwise, as reading answers. */
    private String visibleId(Caller caller, String path) {
        String id = id(path);
        if (!view.current().maySee(caller.who(), id)) {
            throw RegistryException.notFound("/" + id);
        }
        return id;
    }

    /** Probes one enabled server now and records what it saw. */
    public ServerStatus refresh(Caller caller, String path) throws IOException {
        authorize(caller, Operation.REFRESH);
        Server server = server(caller, path);
        if (!server.enabled()) {
            throw RegistryException.invalid("Cannot refresh disabled service /" + server.id() + "; enable it first");
        }
        ServerStatus status;
        try (InProgress.Permit permit = refreshes.enter(caller.user())) {
            status = observations.probeNow(server.registered().entry());
        }
        audit.record(
                caller,
                "refresh",
                "/" + server.id(),
                "health=" + status.health().jsonName());
        return status;
    }

    /** The caller, when it may use {@code operation}: 401 without one, 403 when access.yaml does not grant it. */
    public Principal authorize(Caller caller, Operation operation) {
        Principal who = caller.principal()
                .orElseThrow(
                        () -> new RegistryException(
                                RegistryException.Reason.UNAUTHENTICATED,
                                "to " + operation.yamlName() + " servers, sign in "
                                        + "(POST /login) or send Authorization: Bearer <token> (create one with mcpgw token create)"));
        if (!view.current().mayUse(who, operation)) {
            throw forbidden(who, operation);
        }
        return who;
    }

    static RegistryException forbidden(Principal who, Operation operation) {
        String what = operation == Operation.CREDENTIALS
                ? "change upstream_headers, forward_caller_token or the " + "upstream of a server that has them"
                : operation.yamlName() + " servers";
        return new RegistryException(
                RegistryException.Reason.FORBIDDEN,
                who.user() + " may not " + what
                        + "; administrators may, and the groups access.yaml grants '"
                        + operation.yamlName() + "' (" + who.user() + "'s groups: " + who.groupsInWords() + ")");
    }

    /** The id a path names ({@code /fininfo}, {@code //fininfo} or {@code fininfo}); anything else is not found. */
    public static String id(String path) {
        String id = path == null ? "" : path.replaceFirst("^/+", "");
        if (!ServerId.isWellFormed(id)) {
            throw RegistryException.notFound("/" + (id.length() > 64 ? id.substring(0, 64) + "…" : id));
        }
        return id;
    }

    /** A server with its latest status as the caller may see it: only the tools it may call. */
    private Server withStatus(Caller caller, RegistryView.Snapshot snapshot, RegistryView.Registered server) {
        return new Server(
                server, snapshot.callable(caller.who(), observations.statuses().get(server.id())));
    }

    private Change done(Caller caller, String action, RegistryEditor.Outcome outcome) {
        if (outcome.changed()) {
            committed.forEach(listener -> listener.accept(action));
        }
        audit.record(
                caller,
                action,
                "/" + outcome.id(),
                "commit=" + (outcome.changed() ? outcome.commit().name() : "none (no change)"));
        return new Change(
                action,
                outcome,
                view.current().callable(caller.who(), observations.statuses().get(outcome.id())));
    }
}
