package dev.mcpgw.runtime.auth;

import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.runtime.http.ApiException;
import dev.mcpgw.runtime.http.Metrics;
import dev.mcpgw.runtime.registry.RegistryView;
import dev.mcpgw.runtime.service.RegistryException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's access check ({@code compile --auth}): before every MCP request nginx posts the request's body to
 * {@code POST /auth/check}, naming the server in {@code X-Mcpgw-Server}, and the answer comes from memory - the
 * tokens and access.yaml as last loaded, no I/O. 200 carries the caller in {@code X-Mcpgw-User} and
 * {@code X-Mcpgw-Groups} for the upstream and, when access.yaml grants the caller only some of the server's
 * tools and the answer may carry a {@code tools/list} result (a stream, or a POST asking for one),
 * {@code X-Mcpgw-Tool-Filter} with those tool names in the body (one per line) so the gateway can filter it. 401 and 403 carry a {@code WWW-Authenticate} challenge pointing at the server's
 * RFC 9728 protected resource metadata ({@code /.well-known/oauth-protected-resource/<id>/mcp}). Without
 * access.yaml every caller with valid credentials passes; with it, default deny.
 *
 * <p>The body is read only when it matters: the caller is limited to named tools (each {@code tools/call} must
 * name one of them), or the request carries the 2026 {@code Mcp-Method}/{@code Mcp-Name} headers, which must say
 * what the body says.
 */
public final class GatewayAuthRoutes {

    private static final JsonMapper JSON = JsonMapper.shared();
    /** Headers that decide how a request is routed or checked, allowed once per request. */
    private static final List<String> SINGLE_HEADERS =
            List.of("Mcp-Method", "Mcp-Name", "Mcp-Session-Id", "MCP-Protocol-Version", "Authorization");

    private final Authenticator auth;
    private final RegistryView view;
    private final Metrics metrics;
    /** The gateway's public URL: every absolute URL here is built on it, never on a request's Host header. */
    private final String gatewayUrl;

    private final SessionBinding sessions;

    public GatewayAuthRoutes(
            Authenticator auth, RegistryView view, Metrics metrics, String gatewayUrl, SessionBinding sessions) {
        this.sessions = sessions;
        this.auth = auth;
        this.view = view;
        this.metrics = metrics;
        this.gatewayUrl = dev.mcpgw.core.model.GatewayUrls.base(gatewayUrl);
    }

    public void addTo(RoutesConfig routes) {
        routes.post("/auth/check", ctx -> {
            long begin = System.nanoTime();
            int status = 500;
            try {
                check(ctx);
                status = ctx.statusCode();
            } catch (ApiException refused) {
                status = refused.status();
                throw refused;
            } finally {
                metrics.accessDecision(status, System.nanoTime() - begin);
            }
        });
        routes.get("/.well-known/oauth-protected-resource/{id}/{transport}", this::metadata);
    }

    private void check(Context ctx) {
        // The gateway's own question: its answer carries the key that tags a caller's sessions, which no caller
        // may learn (it could tag someone else's session for itself). Reached by anyone else, it is refused.
        if (!dev.mcpgw.runtime.http.Clients.fromTrustedProxy(ctx)) {
            throw new ApiException(
                    403,
                    "forbidden",
                    "the access check answers the gateway only; list the " + "gateway's address with --trusted-proxy");
        }
        String id = ctx.header("X-Mcpgw-Server");
        if (!ServerId.isWellFormed(id)) {
            throw ApiException.badRequest("X-Mcpgw-Server: the gateway names the server it asks about");
        }
        Optional<Principal> who;
        try {
            // Bearer credentials only: a browser's session cookie never opens an MCP server (nor reaches one).
            who = auth.identifyBearer(ctx.header("Authorization"), auth.audiencesOf(id));
        } catch (RegistryException invalid) {
            refuse(
                    ctx,
                    401,
                    challenge(id, "invalid_token"),
                    error("invalid_token", id, "The token is invalid, expired or revoked; get a new one."));
            return;
        }
        if (who.isEmpty()) {
            refuse(
                    ctx,
                    401,
                    challenge(id, null),
                    error("unauthorized", id, "Send Authorization: Bearer <token>; see WWW-Authenticate."));
            return;
        }
        Principal caller = who.get();
        RegistryView.Snapshot snapshot = view.current();
        if (!snapshot.maySee(caller, id)) {
            refuse(
                    ctx,
                    403,
                    challenge(id, "insufficient_scope"),
                    error(
                            "forbidden",
                            id,
                            "access.yaml grants none of your groups (" + groups(caller) + ") this server."));
            return;
        }
        Optional<Set<String>> tools = snapshot.toolLimit(caller, id);
        List<JsonRpcRequests.Call> calls;
        try {
            calls = inspectedCalls(ctx, tools.isPresent());
        } catch (Refusal refused) {
            refused.answer(ctx);
            return;
        }
        for (JsonRpcRequests.Call call : calls) {
            if (call.isToolCall() && tools.isPresent() && call.name() == null) {
                // The one name the check decides on: without it there is nothing to allow.
                new Refusal(-32602, "tools/call needs params.name as a string", call.id()).answer(ctx);
                return;
            }
            if (call.isToolCall() && tools.isPresent() && !tools.get().contains(call.name())) {
                refuse(
                        ctx,
                        403,
                        challenge(id, "insufficient_scope"),
                        error(
                                        "forbidden",
                                        id,
                                        "access.yaml grants none of your groups (" + groups(caller)
                                                + ") this tool of the server.")
                                .put("tool", call.name()));
                return;
            }
        }
        ctx.header("X-Mcpgw-User", caller.user());
        ctx.header("X-Mcpgw-Groups", groups(caller));
        // Sessions this caller opens are tagged with it; sessions tagged for anyone else are not found.
        ctx.header("X-Mcpgw-Session-Key", sessions.key(id, caller.user()));
        if (snapshot.server(id)
                .filter(RegistryView.Registered::valid)
                .map(server -> server.entry().forwardCallerToken())
                .orElse(false)) {
            // What the gateway sends such a server instead of the caller's own token: nothing it could replay.
            ctx.header(
                    "X-Mcpgw-Forward-Authorization",
                    auth.forwardedAuthorization(caller, ctx.header("Authorization"), id));
        }
        // A POST's answer holds only the answers to its own requests; a stream (GET) may carry any.
        boolean mayCarryToolList = !"POST".equals(ctx.header("X-Original-Method"))
                || calls.stream().anyMatch(call -> call.method().equals("tools/list"));
        if (tools.isPresent() && mayCarryToolList) {
            ctx.header("X-Mcpgw-Tool-Filter", "on");
            ctx.result(String.join("\n", tools.get()));
        }
        ctx.status(200);
    }

    /**
     * A request the check refuses for what it is, not for who sends it: HTTP 400 with, for a client of the 2026
     * revision (its {@code MCP-Protocol-Version}), a JSON-RPC error carrying the revision's code ({@code -32020}
     * when a header and the body disagree) and the request's id; for earlier clients the gateway's own error
     * document, as before.
     */
    private static final class Refusal extends RuntimeException {
        /** The 2026 revision's code for a header that disagrees with the body, or is missing or repeated. */
        static final int HEADER_MISMATCH = -32020;

        private final int code;
        private final transient JsonNode id;

        Refusal(int code, String message, JsonNode id) {
            super(message, null, false, false);
            this.code = code;
            this.id = id;
        }

        void answer(Context ctx) {
            ctx.status(400);
            String version = ctx.header("MCP-Protocol-Version");
            if (version != null && version.compareTo("2026") >= 0) {
                ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0");
                body.set("id", id == null ? JSON.nullNode() : id);
                body.putObject("error").put("code", code).put("message", getMessage());
                ctx.json(body);
            } else {
                ctx.json(JSON.createObjectNode().put("error", "bad_request").put("message", getMessage()));
            }
        }
    }

    /** The JSON-RPC requests of the body when the decision depends on them; checks the 2026 headers against it. */
    private static List<JsonRpcRequests.Call> inspectedCalls(Context ctx, boolean toolLimited) {
        // One value each: with two, the gateway would check one and the upstream might act on the other.
        for (String header : SINGLE_HEADERS) {
            java.util.Enumeration<String> values = ctx.req().getHeaders(header);
            if (values != null && values.hasMoreElements()) {
                values.nextElement();
                if (values.hasMoreElements()) {
                    throw new Refusal(
                            Refusal.HEADER_MISMATCH,
                            "the " + header + " header is sent more than once; send it once",
                            null);
                }
            }
        }
        String method = ctx.header("Mcp-Method");
        String name = ctx.header("Mcp-Name");
        if (!toolLimited && method == null && name == null) {
            return List.of();
        }
        String body = ctx.body();
        if (body.isBlank()) {
            if (method != null || name != null) {
                // Nothing to compare them with: headers are never trusted alone.
                throw new Refusal(
                        Refusal.HEADER_MISMATCH,
                        "Mcp-Method and Mcp-Name describe a request's body; this request has none",
                        null);
            }
            return List.of();
        }
        String encoding = ctx.header("Content-Encoding");
        if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            throw new ApiException(
                    415,
                    "unsupported_encoding",
                    "the gateway checks MCP request bodies against access.yaml; send them without Content-Encoding");
        }
        List<JsonRpcRequests.Call> calls;
        try {
            calls = JsonRpcRequests.parse(body);
        } catch (ApiException malformed) {
            throw new Refusal(
                    malformed.getMessage().contains("not one JSON-RPC message") ? -32700 : -32600,
                    malformed.getMessage(),
                    null);
        }
        JsonNode requestId = calls.size() == 1 ? calls.get(0).id() : null;
        if (method != null && (calls.size() != 1 || !calls.get(0).method().equals(method))) {
            throw new Refusal(
                    Refusal.HEADER_MISMATCH,
                    "the Mcp-Method header does not match the body's JSON-RPC method",
                    requestId);
        }
        // Mcp-Name is compared where the check knows which field it names; on any other method it is the
        // upstream's to check, as the revision asks every server to.
        if (name != null
                && calls.size() == 1
                && calls.get(0).named()
                && !name.equals(calls.get(0).name())) {
            throw new Refusal(
                    Refusal.HEADER_MISMATCH,
                    "the Mcp-Name header does not match the "
                            + JsonRpcRequests.nameField(calls.get(0).method())
                            + " in the body",
                    requestId);
        }
        if (name != null && calls.size() != 1) {
            throw new Refusal(
                    Refusal.HEADER_MISMATCH, "Mcp-Name names one request; this body has " + calls.size(), null);
        }
        return calls;
    }

    private static String groups(Principal caller) {
        return String.join(",", new TreeSet<>(caller.groups()));
    }

    /** A Bearer challenge pointing at the server's RFC 9728 metadata; {@code error} may be null. */
    private String challenge(String id, String error) {
        return "Bearer realm=\"mcpgw\"" + (error == null ? "" : ", error=\"" + error + "\"")
                + ", resource_metadata=\"" + gatewayUrl + "/.well-known/oauth-protected-resource/" + id
                + "/mcp\"";
    }

    private static ObjectNode error(String code, String server, String message) {
        return JSON.createObjectNode().put("error", code).put("server", server).put("message", message);
    }

    private static void refuse(Context ctx, int status, String challenge, ObjectNode body) {
        ctx.header("WWW-Authenticate", challenge);
        ctx.status(status).json(body);
    }

    /** RFC 9728: what the server is and how to present a token to it. */
    private void metadata(Context ctx) {
        String id = ctx.pathParam("id");
        String transport = ctx.pathParam("transport");
        if (!ServerId.isWellFormed(id)
                || !transport.matches("mcp|sse")
                || view.current().server(id).isEmpty()) {
            throw ApiException.notFound("/" + (id.length() > 64 ? id.substring(0, 64) : id));
        }
        ctx.json(JSON.createObjectNode()
                .put("resource", gatewayUrl + "/" + id + "/" + transport)
                // the id, which the URL holds anyway: this answer is for anyone, the server's name is not
                .put("resource_name", id)
                .set("bearer_methods_supported", JSON.createArrayNode().add("header")));
    }
}
