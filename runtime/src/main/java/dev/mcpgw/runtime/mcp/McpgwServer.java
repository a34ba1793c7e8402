package dev.mcpgw.runtime.mcp;

import dev.mcpgw.core.access.AccessPolicy.Operation;
import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.discovery.SearchQuery;
import dev.mcpgw.runtime.auth.ApiTokens;
import dev.mcpgw.runtime.auth.Authenticator;
import dev.mcpgw.runtime.auth.Principal;
import dev.mcpgw.runtime.http.ApiException;
import dev.mcpgw.runtime.registry.Live;
import dev.mcpgw.runtime.registry.RegistryEditor;
import dev.mcpgw.runtime.registry.RegistryJson;
import dev.mcpgw.runtime.registry.RegistryView;
import dev.mcpgw.runtime.search.ToolSearch;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The registry's own MCP server, {@code mcpgw}: tool discovery and the registry's operations as MCP tools, for
 * agents. Served by the runtime at {@code /mcpgw/mcp} (Streamable HTTP) and {@code /mcpgw/sse} (SSE, messages at
 * {@code /mcpgw/message}), and through the gateway like any server ({@code servers/mcpgw.yaml}). Reading tools
 * are open like the website; changing ones need a bearer token ({@code mcpgw token create}) of the
 * {@code admins} group, and go through the same validation and Git commits as the HTTP API.
 */
public final class McpgwServer implements AutoCloseable {

    public static final String PATH = "/mcpgw";
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String AUTHORIZATION = "authorization";
    private static final String ADDRESS = "address";
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(25);

    private final ToolSearch search;
    private final RegistryView view;
    private final RegistryJson json;
    private final Live live;
    private final RegistryEditor editor;
    private final ApiTokens tokens;
    private final List<McpSyncServer> servers = new ArrayList<>();

    public McpgwServer(ToolSearch search, RegistryView view, RegistryJson json, Live live, RegistryEditor editor,
                       ApiTokens tokens) {
        this.search = search;
        this.view = view;
        this.json = json;
        this.live = live;
        this.editor = editor;
        this.tokens = tokens;
    }

    /** Builds one MCP server per transport and returns their servlets, by the path each must be mounted at. */
    public Map<String, HttpServlet> servlets() {
        HttpServletStreamableServerTransportProvider streamable = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(McpJsonDefaults.getMapper())
                .mcpEndpoint(PATH + "/mcp")
                .keepAliveInterval(KEEP_ALIVE)
                .contextExtractor(McpgwServer::context)
                .build();
        // Announces /mcpgw/message: the gateway rewrites an upstream's own base path to the server's prefix.
        HttpServletSseServerTransportProvider sse = HttpServletSseServerTransportProvider.builder()
                .jsonMapper(McpJsonDefaults.getMapper())
                .baseUrl(PATH)
                .sseEndpoint("/sse")
                .messageEndpoint("/message")
                .keepAliveInterval(KEEP_ALIVE)
                .contextExtractor(McpgwServer::context)
                .build();
        servers.add(build(McpServer.sync(streamable)));
        servers.add(build(McpServer.sync(sse)));
        Map<String, HttpServlet> byPath = new HashMap<>();
        byPath.put(PATH + "/mcp", streamable);
        byPath.put(PATH + "/sse", sse);
        byPath.put(PATH + "/message", sse);
        return byPath;
    }

    private static McpTransportContext context(HttpServletRequest request) {
        Map<String, Object> context = new HashMap<>();
        context.put(ADDRESS, request.getRemoteAddr());
        String header = request.getHeader("Authorization");
        if (header != null) {
            context.put(AUTHORIZATION, header);
        }
        return McpTransportContext.create(context);
    }

    private McpSyncServer build(McpServer.SyncSpecification<?> spec) {
        return spec.serverInfo(new McpSchema.Implementation("mcpgw", "MCP Gateway & Registry", "0.1.0"))
                .instructions("The registry of this organisation's MCP servers. Use intelligent_tool_finder first to "
                        + "find which server has a tool for a need; each result says the gateway URL to call it at. "
                        + "Changing the registry (toggle, register, remove, refresh) needs an administrator's token.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tools())
                .build();
    }

    private List<SyncToolSpecification> tools() {
        return List.of(
                tool("intelligent_tool_finder", "Find tools",
                        "Find the tools, across every enabled MCP server of the registry, that can do what you describe "
                                + "in plain words (for example \"get a stock quote\" or \"open a ticket about a failing "
                                + "build\"). Returns the best matches first, each with its server, description, input "
                                + "schema, a relevance score and the gateway URL of the server to call it on. Use it "
                                + "before guessing a server.",
                        """
                        {"type": "object", "properties": {
                          "query": {"type": "string", "minLength": 1, "maxLength": 1000,
                                    "description": "What you need to do, in plain words"},
                          "top_k": {"type": "integer", "minimum": 1, "maximum": 100, "default": 5,
                                    "description": "How many tools to return (default 5)"},
                          "server_ids": {"type": "array", "items": {"type": "string"},
                                         "description": "Only tools of these servers (ids such as fininfo)"},
                          "tags": {"type": "array", "items": {"type": "string"},
                                   "description": "Only tools of servers with any of these tags"}},
                         "required": ["query"], "additionalProperties": false}""",
                        this::findTools),
                tool("list_services", "List servers",
                        "List every MCP server in the registry: path, name, description, whether it is enabled, its "
                                + "health and how many tools it has.",
                        "{\"type\": \"object\", \"properties\": {}, \"additionalProperties\": false}",
                        (caller, arguments) -> listServices(caller(caller))),
                tool("get_server_details", "Server details",
                        "Everything the registry knows of one server: its entry (name, description, upstream, transport, "
                                + "tags, owner), its health and last check, and its tools.",
                        PATH_ONLY, (caller, arguments) -> json.details(server(arguments, caller(caller))).toString()),
                tool("get_service_tools", "Tools of a server",
                        "The tools one server offers, each with its description and input schema, as last observed.",
                        PATH_ONLY, (caller, arguments) -> serviceTools(arguments, caller(caller))),
                tool("healthcheck", "Health of every server",
                        "The health of every server (healthy, unhealthy, unreachable, disabled or unknown), when it "
                                + "was last checked and how many tools it has, keyed by path.",
                        "{\"type\": \"object\", \"properties\": {}, \"additionalProperties\": false}",
                        (caller, arguments) -> healthcheck(caller(caller))),
                tool("refresh_service", "Check a server now",
                        "Probe one enabled server now (connect, initialize, list its tools) and record the result. "
                                + "Needs a signed-in caller (bearer token).",
                        PATH_ONLY, this::refresh),
                tool("toggle_service", "Enable or disable a server",
                        "Enable or disable a server in the registry: set enabled to true to route traffic to it through "
                                + "the gateway, false to stop. Committed to the registry's Git repository. Needs an "
                                + "administrator's bearer token.",
                        """
                        {"type": "object", "properties": {
                          "path": {"type": "string", "description": "The server's path, for example /fininfo"},
                          "enabled": {"type": "boolean", "description": "true to enable, false to disable"}},
                         "required": ["path", "enabled"], "additionalProperties": false}""",
                        this::toggle),
                tool("register_service", "Register a server",
                        "Add an MCP server to the registry (it starts disabled unless enabled is true). The entry is "
                                + "validated like any pull request and committed to Git. Needs an administrator's "
                                + "bearer token.",
                        """
                        {"type": "object", "properties": {
                          "name": {"type": "string", "maxLength": 100, "description": "Display name, for example Financial Info"},
                          "path": {"type": "string", "description": "Gateway path: a slash and lower-case letters, digits or dashes, for example /fininfo"},
                          "proxy_pass_url": {"type": "string", "description": "Base URL of the MCP server, for example http://10.0.0.5:8000"},
                          "description": {"type": "string", "maxLength": 1000, "description": "What the server offers, in a sentence or two"},
                          "transport": {"type": "string", "enum": ["streamable-http", "sse"], "default": "streamable-http"},
                          "tags": {"type": "array", "items": {"type": "string"}, "description": "Lower-case tags, for example [finance, stocks]"},
                          "license": {"type": "string"},
                          "enabled": {"type": "boolean", "default": false}},
                         "required": ["name", "path", "proxy_pass_url", "description"], "additionalProperties": false}""",
                        this::register),
                tool("remove_service", "Remove a server",
                        "Delete a server's entry from the registry (committed to Git). Needs an administrator's bearer "
                                + "token.",
                        PATH_ONLY, this::remove));
    }

    private static final String PATH_ONLY = """
            {"type": "object", "properties": {
              "path": {"type": "string", "description": "The server's path, for example /fininfo (the slash is optional)"}},
             "required": ["path"], "additionalProperties": false}""";

    /** A tool's work: JSON text to return, or an {@link ApiException} whose message the caller sees. */
    private interface Work {
        String run(McpSyncServerExchange caller, Map<String, Object> arguments) throws IOException;
    }

    private static SyncToolSpecification tool(String name, String title, String description, String schema, Work work) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).title(title).description(description)
                .inputSchema(McpJsonDefaults.getMapper(), schema).build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            try {
                return CallToolResult.builder()
                        .addTextContent(work.run(exchange, request.arguments() == null ? Map.of() : request.arguments()))
                        .build();
            } catch (ApiException e) {
                String problems = e.problems().isEmpty() ? "" : "\n" + String.join("\n", e.problems());
                return CallToolResult.builder().isError(true).addTextContent(e.getMessage() + problems).build();
            } catch (IOException e) {
                return CallToolResult.builder().isError(true)
                        .addTextContent("the registry repository could not be used (" + e.getMessage()
                                + "); nothing was changed, try again").build();
            }
        }).build();
    }

    private String findTools(McpSyncServerExchange caller, Map<String, Object> arguments) {
        Object topK = arguments.getOrDefault("top_k", 5);
        if (!(topK instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
            throw ApiException.badRequest("top_k: give a whole number from 1 to " + SearchQuery.MAX_TOP_K);
        }
        SearchQuery query;
        try {
            query = new SearchQuery(text(arguments, "query"), (int) Math.max(Integer.MIN_VALUE,
                    Math.min(Integer.MAX_VALUE, number.longValue())), strings(arguments, "server_ids"), strings(arguments, "tags"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        RegistryView.Snapshot snapshot = view.current();
        return json.searchResults(query.text(), search.status(), search.searchAs(query, caller(caller), snapshot),
                snapshot).toString();
    }

    private String listServices(Principal who) {
        ArrayNode list = JSON.createArrayNode();
        RegistryView.Snapshot snapshot = view.current();
        for (RegistryView.Registered server : snapshot.servers().values()) {
            if (!snapshot.maySee(who, server.id())) {
                continue;
            }
            ObjectNode details = json.details(server);
            ObjectNode item = list.addObject().put("path", "/" + server.id())
                    .put("name", details.path("server_name").asString())
                    .put("description", server.valid() ? server.entry().description() : "")
                    .put("enabled", details.path("is_enabled").asBoolean())
                    .put("health", details.path("health").asString())
                    .put("num_tools", details.path("num_tools").asInt());
            if (details.has("gateway_url")) {
                item.put("gateway_url", details.path("gateway_url").asString());
            }
        }
        return list.toString();
    }

    private String serviceTools(Map<String, Object> arguments, Principal who) {
        RegistryView.Registered server = server(arguments, who);
        ObjectNode answer = JSON.createObjectNode().put("service_path", "/" + server.id());
        ArrayNode list = answer.putArray("tools");
        RegistryView.Snapshot snapshot = view.current();
        json.tools(server.id()).stream().filter(tool -> snapshot.mayCall(who, server.id(), tool.name()))
                .forEach(tool -> list.add(RegistryJson.tool(tool)));
        return answer.toString();
    }

    private String healthcheck(Principal who) {
        ObjectNode health = JSON.createObjectNode();
        RegistryView.Snapshot snapshot = view.current();
        for (RegistryView.Registered server : snapshot.servers().values()) {
            if (!snapshot.maySee(who, server.id())) {
                continue;
            }
            ObjectNode details = json.details(server);
            health.putObject("/" + server.id()).put("status", details.path("health").asString())
                    .put("last_checked_iso", details.path("last_checked_iso").isString()
                            ? details.path("last_checked_iso").asString() : null)
                    .put("num_tools", details.path("num_tools").asInt());
        }
        return health.toString();
    }

    private String refresh(McpSyncServerExchange caller, Map<String, Object> arguments) throws IOException {
        Principal who = require(caller, Operation.REFRESH);
        RegistryView.Registered server = server(arguments, who);
        if (!server.valid() || !server.entry().enabled()) {
            throw ApiException.badRequest("/" + server.id() + " is disabled; enable it first");
        }
        var status = live.probeNow(server.entry());
        live.audit(caller(caller, who), "refresh", "/" + server.id(), "health=" + status.health().jsonName());
        return JSON.createObjectNode().put("service_path", "/" + server.id()).put("status", status.health().jsonName())
                .put("error", status.error()).put("last_checked_iso", status.checkedAt().toString())
                .put("num_tools", status.tools().size()).toString();
    }

    private String toggle(McpSyncServerExchange caller, Map<String, Object> arguments) throws IOException {
        Principal who = require(caller, Operation.TOGGLE);
        if (!(arguments.get("enabled") instanceof Boolean enabled)) {
            throw ApiException.badRequest("enabled: required, true or false");
        }
        String id = id(arguments);
        RegistryEditor.Outcome outcome = editor.toggle(id, enabled, who.asAuthor());
        done(caller, who, enabled ? "enable" : "disable", outcome);
        if (enabled && outcome.changed()) {
            live.probeSoon(id);
        }
        return JSON.createObjectNode().put("service_path", "/" + id).put("new_enabled_state", enabled)
                .put("changed", outcome.changed()).put("commit", outcome.commit().name()).toString();
    }

    private String register(McpSyncServerExchange caller, Map<String, Object> arguments) throws IOException {
        Principal who = require(caller, Operation.REGISTER);
        RegistryEditor.Outcome outcome = editor.register(JSON.valueToTree(arguments), who.asAuthor());
        done(caller, who, "register", outcome);
        ObjectNode answer = JSON.createObjectNode().put("message", "registered").put("path", "/" + outcome.id())
                .put("commit", outcome.commit().name());
        answer.set("service", outcome.entry());
        return answer.toString();
    }

    private String remove(McpSyncServerExchange caller, Map<String, Object> arguments) throws IOException {
        Principal who = require(caller, Operation.DELETE);
        RegistryEditor.Outcome outcome = editor.delete(id(arguments), who.asAuthor());
        done(caller, who, "delete", outcome);
        return JSON.createObjectNode().put("message", "removed").put("service_path", "/" + outcome.id())
                .put("commit", outcome.commit().name()).toString();
    }

    private void done(McpSyncServerExchange exchange, Principal who, String action, RegistryEditor.Outcome outcome)
            throws IOException {
        live.changed(caller(exchange, who), action, outcome);
    }

    private static Live.Caller caller(McpSyncServerExchange exchange, Principal who) {
        Object address = exchange.transportContext().get(ADDRESS);
        return new Live.Caller(who, "mcp", address == null ? "unknown" : address.toString());
    }

    /** The caller, when it sent a token; a token that is not valid is refused rather than ignored. */
    private Principal caller(McpSyncServerExchange exchange) {
        Object header = exchange.transportContext().get(AUTHORIZATION);
        if (header == null) {
            return null;
        }
        if (!(header instanceof String value) || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "unauthorized", "send Authorization: Bearer <token>; other schemes are not accepted");
        }
        return tokens.verify(value.substring(7).strip()).orElseThrow(() -> new ApiException(401,
                "invalid_token", "the bearer token is unknown, expired or revoked"));
    }

    /** A caller allowed {@code operation}: administrators, and the groups access.yaml grants it to. */
    private Principal require(McpSyncServerExchange exchange, Operation operation) {
        Principal who = caller(exchange);
        if (who == null) {
            throw new ApiException(401, "unauthorized", "to " + operation.yamlName() + " servers, connect with "
                    + "Authorization: Bearer <token> (create one with mcpgw token create)");
        }
        if (!view.current().mayUse(who, operation)) {
            throw Authenticator.forbidden(who, operation);
        }
        return who;
    }

    private RegistryView.Registered server(Map<String, Object> arguments, Principal who) {
        String id = id(arguments);
        RegistryView.Snapshot snapshot = view.current();
        return snapshot.server(id).filter(server -> snapshot.maySee(who, id))
                .orElseThrow(() -> ApiException.notFound("/" + id));
    }

    private static String id(Map<String, Object> arguments) {
        String id = text(arguments, "path").replaceFirst("^/+", "");
        if (!ServerId.isWellFormed(id)) {
            throw ApiException.notFound("/" + (id.length() > 64 ? id.substring(0, 64) + "…" : id));
        }
        return id;
    }

    private static String text(Map<String, Object> arguments, String name) {
        Object value = arguments.get(name);
        if (!(value instanceof String text)) {
            throw ApiException.badRequest(name + ": required, a string");
        }
        return text;
    }

    private static Set<String> strings(Map<String, Object> arguments, String name) {
        Object value = arguments.get(name);
        if (value == null) {
            return Set.of();
        }
        if (!(value instanceof List<?> list) || list.stream().anyMatch(item -> !(item instanceof String))) {
            throw ApiException.badRequest(name + ": a list of strings");
        }
        Set<String> strings = new LinkedHashSet<>();
        list.forEach(item -> strings.add((String) item));
        return strings;
    }

    @Override
    public void close() {
        servers.forEach(McpSyncServer::closeGracefully);
    }
}
