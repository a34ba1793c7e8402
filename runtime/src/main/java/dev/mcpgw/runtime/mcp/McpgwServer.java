package dev.mcpgw.runtime.mcp;

import dev.mcpgw.core.access.AccessPolicy.Operation;
import dev.mcpgw.core.model.FieldException;
import dev.mcpgw.discovery.SearchQuery;
import dev.mcpgw.runtime.auth.Authenticator;
import dev.mcpgw.runtime.auth.Principal;
import dev.mcpgw.runtime.registry.RegistryJson;
import dev.mcpgw.runtime.service.Caller;
import dev.mcpgw.runtime.service.RegistryException;
import dev.mcpgw.runtime.service.RegistryService;
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

/**
 * The registry's own MCP server, {@code mcpgw}: tool discovery and the registry's operations as MCP tools, for
 * agents. Served by the runtime at {@code /mcpgw/mcp} (Streamable HTTP) and {@code /mcpgw/sse} (SSE, messages at
 * {@code /mcpgw/message}), and through the gateway like any server ({@code servers/mcpgw.yaml}). An MCP door over
 * {@link RegistryService}: the same rules, answers and audit as the HTTP API. Reading tools are open like the
 * website (limited to what access.yaml lets the caller see); changing ones need a bearer token (an mcpgw token,
 * or the identity provider's access token) of an administrator or of a group access.yaml grants the operation.
 */
public final class McpgwServer implements AutoCloseable {

    public static final String PATH = "/mcpgw";
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String AUTHORIZATION = "authorization";
    private static final String ADDRESS = "address";
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(25);

    private final RegistryService registry;
    private final RegistryJson json;
    private final Authenticator auth;
    private final List<McpSyncServer> servers = new ArrayList<>();

    public McpgwServer(RegistryService registry, RegistryJson json, Authenticator auth) {
        this.registry = registry;
        this.json = json;
        this.auth = auth;
    }

    private static final McpSchema.Implementation INFO =
            new McpSchema.Implementation("mcpgw", "MCP Gateway & Registry", "0.1.0");

    /**
     * What answers clients of MCP 2026-07-28 at {@code /mcpgw/mcp}, in front of the SDK's Streamable HTTP servlet:
     * the same tools, the caller taken from each request as the SDK's transport does.
     */
    public jakarta.servlet.Filter statelessFilter() {
        List<SyncToolSpecification> specifications = tools();
        return new dev.mcpgw.mcphttp.StatelessMcpFilter(
                new dev.mcpgw.mcphttp.SdkTools(INFO, () -> specifications, McpgwServer::context));
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
        context.put(ADDRESS, dev.mcpgw.runtime.http.Clients.address(request));
        String header = request.getHeader("Authorization");
        if (header != null) {
            context.put(AUTHORIZATION, header);
        }
        return McpTransportContext.create(context);
    }

    private McpSyncServer build(McpServer.SyncSpecification<?> spec) {
        return spec.serverInfo(INFO)
                .instructions("The registry of this organisation's MCP servers. Use intelligent_tool_finder first to "
                        + "find which server has a tool for a need; each result says the gateway URL to call it at. "
                        + "Changing the registry (toggle, register, remove, refresh) needs a bearer token allowed the "
                        + "operation: an administrator's, or one of a group access.yaml grants it to.")
                .capabilities(
                        McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tools())
                .build();
    }

    private List<SyncToolSpecification> tools() {
        return List.of(
                tool(
                        "intelligent_tool_finder",
                        "Find tools",
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
                                   "description": "Only tools of servers with any of these tags"},
                          "natural_language_query": {"type": "string", "minLength": 1, "maxLength": 1000,
                                    "description": "The same as query (the name the reference's agents use)"},
                          "top_n_tools": {"type": "integer", "minimum": 1, "maximum": 100,
                                    "description": "The same as top_k (the name the reference's agents use)"},
                          "top_k_services": {"type": "integer", "minimum": 1, "maximum": 100,
                                    "description": "Only tools of this many best-matching servers"}},
                         "additionalProperties": false}""",
                        this::findTools),
                tool(
                        "list_services",
                        "List servers",
                        "List every MCP server in the registry: path, name, description, whether it is enabled, its "
                                + "health and how many tools it has.",
                        "{\"type\": \"object\", \"properties\": {}, \"additionalProperties\": false}",
                        (caller, arguments) -> listServices(caller)),
                tool(
                        "get_server_details",
                        "Server details",
                        "Everything the registry knows of one server: its entry (name, description, upstream, transport, "
                                + "tags, owner), its health and last check, and its tools.",
                        PATH_ONLY,
                        (caller, arguments) -> json.details(registry.server(caller(caller), path(arguments)))
                                .toString()),
                tool(
                        "get_service_tools",
                        "Tools of a server",
                        "The tools one server offers, each with its description and input schema, as last observed.",
                        PATH_ONLY,
                        this::serviceTools),
                tool(
                        "healthcheck",
                        "Health of every server",
                        "The health of every server (healthy, unhealthy, unreachable, disabled or unknown), when it "
                                + "was last checked and how many tools it has, keyed by path.",
                        "{\"type\": \"object\", \"properties\": {}, \"additionalProperties\": false}",
                        (caller, arguments) -> RegistryJson.text(json.health(registry.servers(caller(caller))))),
                tool(
                        "refresh_service",
                        "Check a server now",
                        "Probe one enabled server now (connect, initialize, list its tools) and record the result. "
                                + "Needs a signed-in caller (bearer token).",
                        PATH_ONLY,
                        (caller, arguments) -> {
                            String id = RegistryService.id(path(arguments));
                            return RegistryJson.text(json.refreshed(id, registry.refresh(caller(caller), id)));
                        }),
                tool(
                        "toggle_service",
                        "Enable or disable a server",
                        "Enable or disable a server in the registry: set enabled to true to route traffic to it through "
                                + "the gateway, false to stop (without enabled, its state is flipped, as the reference's "
                                + "toggle_service does). Committed to the registry's Git repository. Needs a bearer "
                                + "token of an administrator or of a group access.yaml grants 'toggle'.",
                        """
                        {"type": "object", "properties": {
                          "path": {"type": "string", "description": "The server's path, for example /fininfo"},
                          "service_path": {"type": "string", "description": "The same as path"},
                          "enabled": {"type": "boolean", "description": "true to enable, false to disable; absent: flip"}},
                         "additionalProperties": false}""",
                        this::toggle),
                tool(
                        "register_service",
                        "Register a server",
                        "Add an MCP server to the registry (it starts disabled unless enabled is true). The entry is "
                                + "validated like any pull request and committed to Git. Needs a bearer token of an "
                                + "administrator or of a group access.yaml grants 'register'.",
                        """
                        {"type": "object", "properties": {
                          "name": {"type": "string", "maxLength": 100, "description": "Display name, for example Financial Info"},
                          "path": {"type": "string", "description": "Gateway path: a slash and lower-case letters, digits or dashes, for example /fininfo"},
                          "proxy_pass_url": {"type": "string", "description": "Base URL of the MCP server, for example http://10.0.0.5:8000"},
                          "description": {"type": "string", "maxLength": 1000, "description": "What the server offers, in a sentence or two"},
                          "transport": {"type": "string", "enum": ["streamable-http", "sse"], "default": "streamable-http"},
                          "tags": {"type": "array", "items": {"type": "string"}, "description": "Lower-case tags, for example [finance, stocks]"},
                          "license": {"type": "string"},
                          "enabled": {"type": "boolean", "default": false},
                          "server_name": {"type": "string", "maxLength": 100, "description": "The same as name"},
                          "num_tools": {"type": "integer", "description": "Accepted for the reference's agents; the probe counts tools"},
                          "num_stars": {"type": "integer", "description": "Accepted for the reference's agents; not recorded"},
                          "is_python": {"type": "boolean", "description": "Accepted for the reference's agents; not recorded"}},
                         "required": ["path", "proxy_pass_url"], "additionalProperties": false}""",
                        this::register),
                tool(
                        "remove_service",
                        "Remove a server",
                        "Delete a server's entry from the registry (committed to Git). Needs a bearer token of an "
                                + "administrator or of a group access.yaml grants 'delete'.",
                        PATH_ONLY,
                        (caller, arguments) ->
                                RegistryJson.text(json.deleted(registry.delete(caller(caller), path(arguments))))),
                resultTool(
                        "call_tool",
                        "Call a tool",
                        "Call a tool of a server in the registry, through the gateway, as yourself: the same access "
                                + "rules apply as if you had connected to that server (a tool you may not call is "
                                + "refused). Use intelligent_tool_finder first to find the server and tool for a need, "
                                + "then pass its path, the tool's name and its arguments (matching the tool's input "
                                + "schema). Returns the tool's own result.",
                        """
                        {"type": "object", "properties": {
                          "path": {"type": "string", "description": "The server's path, for example /fininfo"},
                          "service_path": {"type": "string", "description": "The same as path"},
                          "tool_name": {"type": "string", "minLength": 1, "maxLength": 256,
                                        "description": "The tool's name, as intelligent_tool_finder returned it"},
                          "arguments": {"type": "object", "description": "The tool's arguments (its input schema)"}},
                         "required": ["tool_name"], "additionalProperties": false}""",
                        this::callTool));
    }

    private static final String PATH_ONLY = """
            {"type": "object", "properties": {
              "path": {"type": "string", "description": "The server's path, for example /fininfo (the slash is optional)"},
              "service_path": {"type": "string", "description": "The same as path (the name the reference's agents use)"}},
             "additionalProperties": false}""";

    /** A tool's work: JSON text to return, or a {@link RegistryException} whose message the caller sees. */
    private interface Work {
        String run(McpSyncServerExchange caller, Map<String, Object> arguments) throws IOException;
    }

    /** A tool's work that answers with a whole result of its own (call_tool: the called tool's). */
    private interface ResultWork {
        CallToolResult run(McpSyncServerExchange caller, Map<String, Object> arguments) throws IOException;
    }

    private static SyncToolSpecification tool(String name, String title, String description, String schema, Work work) {
        return resultTool(
                name,
                title,
                description,
                schema,
                (caller, arguments) -> CallToolResult.builder()
                        .addTextContent(work.run(caller, arguments))
                        .build());
    }

    private static SyncToolSpecification resultTool(
            String name, String title, String description, String schema, ResultWork work) {
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(name)
                .title(title)
                .description(description)
                .inputSchema(McpJsonDefaults.getMapper(), schema)
                .build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> {
                    try {
                        return work.run(exchange, request.arguments() == null ? Map.of() : request.arguments());
                    } catch (RegistryException e) {
                        String problems = e.problems().isEmpty() ? "" : "\n" + String.join("\n", e.problems());
                        return CallToolResult.builder()
                                .isError(true)
                                .addTextContent(e.getMessage() + problems)
                                .build();
                    } catch (IOException e) {
                        return CallToolResult.builder()
                                .isError(true)
                                .addTextContent(
                                        "the registry repository could not be used; nothing was changed, try again")
                                .build();
                    } catch (RuntimeException e) {
                        // As the HTTP door answers 500: what went wrong stays in the log, never in the answer.
                        org.slf4j.LoggerFactory.getLogger(McpgwServer.class).error("mcpgw tool {} failed", name, e);
                        return CallToolResult.builder()
                                .isError(true)
                                .addTextContent("the registry failed to answer; nothing was changed, see its log")
                                .build();
                    }
                })
                .build();
    }

    private String findTools(McpSyncServerExchange exchange, Map<String, Object> arguments) {
        String text = aliased(arguments, "query", "natural_language_query");
        if (text == null) {
            throw RegistryException.invalid(
                    "query: required, what you need in plain words (natural_language_query " + "is accepted too)");
        }
        int topK = whole(arguments, "top_k", "top_n_tools", 5);
        Integer services = arguments.containsKey("top_k_services") ? whole(arguments, "top_k_services", null, 3) : null;
        SearchQuery query;
        try {
            // With top_k_services, the best tools of the best servers: more are asked for, then cut by server.
            query = new SearchQuery(
                    text,
                    services == null ? topK : SearchQuery.MAX_TOP_K,
                    strings(arguments, "server_ids"),
                    strings(arguments, "tags"));
        } catch (FieldException e) {
            throw RegistryException.invalid(e.field() + ": " + e.getMessage());
        }
        RegistryService.SearchResults results = registry.search(caller(exchange), query);
        if (services != null) {
            Set<String> kept = new LinkedHashSet<>();
            List<dev.mcpgw.discovery.SearchHit> hits = new ArrayList<>();
            for (dev.mcpgw.discovery.SearchHit hit : results.hits()) {
                if (kept.contains(hit.tool().serverId()) || kept.size() < services) {
                    kept.add(hit.tool().serverId());
                    if (hits.size() < topK) {
                        hits.add(hit);
                    }
                }
            }
            results = new RegistryService.SearchResults(
                    new SearchQuery(text, topK, query.servers(), query.tags()),
                    results.mode(),
                    hits,
                    results.snapshot());
        }
        return RegistryJson.text(json.searchResults(results));
    }

    /** A whole number argument (or its alias) from 1 to the search's maximum, or {@code fallback} when absent. */
    private static int whole(Map<String, Object> arguments, String name, String alias, int fallback) {
        Object value = arguments.get(name);
        String given = name;
        if (value == null && alias != null) {
            value = arguments.get(alias);
            given = alias;
        }
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number)
                || number.doubleValue() != Math.rint(number.doubleValue())
                || number.doubleValue() < 1
                || number.doubleValue() > SearchQuery.MAX_TOP_K) {
            throw RegistryException.invalid(given + ": give a whole number from 1 to " + SearchQuery.MAX_TOP_K);
        }
        return number.intValue();
    }

    /**
     * The string argument {@code name}, or its alias (a name the reference's agents use); null when neither is
     * given. Both, naming different things, is refused.
     */
    private static String aliased(Map<String, Object> arguments, String name, String alias) {
        Object value = arguments.get(name);
        Object other = arguments.get(alias);
        if (value != null && other != null && !value.equals(other)) {
            throw RegistryException.invalid(name + " and " + alias + " name the same thing; give one of them");
        }
        Object given = value != null ? value : other;
        if (given == null) {
            return null;
        }
        if (!(given instanceof String text)) {
            throw RegistryException.invalid((value != null ? name : alias) + ": a string");
        }
        return text;
    }

    /** The server's path: {@code path}, or the reference's {@code service_path}. */
    private static String path(Map<String, Object> arguments) {
        String path = aliased(arguments, "path", "service_path");
        if (path == null) {
            throw RegistryException.invalid(
                    "path: required, the server's path such as /fininfo (service_path is " + "accepted too)");
        }
        return path;
    }

    /** The tools of one server, or with the path {@code /all} (as the reference answers it) of every one. */
    private String serviceTools(McpSyncServerExchange exchange, Map<String, Object> arguments) {
        Caller caller = caller(exchange);
        String path = path(arguments);
        if (path.equals("/all") || path.equals("all")) {
            java.util.Map<String, Object> all = new java.util.TreeMap<>();
            for (RegistryService.Server server : registry.servers(caller)) {
                if (server.enabled()) {
                    all.put(
                            "/" + server.id(),
                            json.tools(new RegistryService.Tools(server, registry.callableTools(caller, server))));
                }
            }
            return RegistryJson.text(all);
        }
        return RegistryJson.text(json.tools(registry.tools(caller, path)));
    }

    /** call_tool: the called tool's result, passed back whole. */
    private CallToolResult callTool(McpSyncServerExchange exchange, Map<String, Object> arguments) {
        Object tool = arguments.get("tool_name");
        if (!(tool instanceof String name)) {
            throw RegistryException.invalid("tool_name: required, a string (the tool's name)");
        }
        Object given = arguments.get("arguments");
        if (given != null && !(given instanceof Map<?, ?>)) {
            throw RegistryException.invalid("arguments: a JSON object of the tool's arguments");
        }
        RegistryService.ToolCall call = registry.callTool(
                caller(exchange), path(arguments), name, given == null ? null : JSON.valueToTree(given));
        try {
            // from the tree as read, not through its text: an answer of megabytes is not copied once more
            return McpJsonDefaults.getMapper().convertValue(call.result(), CallToolResult.class);
        } catch (RuntimeException unreadable) {
            // A result the SDK cannot type (a content kind newer than it): passed on as its JSON text, not lost.
            return CallToolResult.builder()
                    .addTextContent(call.result().toString())
                    .isError(call.result().path("isError").asBoolean(false))
                    .build();
        }
    }

    private String listServices(McpSyncServerExchange exchange) {
        return RegistryJson.text(
                registry.servers(caller(exchange)).stream().map(json::summary).toList());
    }

    private String toggle(McpSyncServerExchange exchange, Map<String, Object> arguments) throws IOException {
        Caller caller = caller(exchange);
        registry.authorize(caller, Operation.TOGGLE);
        String path = path(arguments);
        Object given = arguments.get("enabled");
        if (given != null && !(given instanceof Boolean)) {
            throw RegistryException.invalid("enabled: true or false (absent: the state is flipped)");
        }
        // Without enabled, the reference's toggle: the opposite of what the registry holds now.
        boolean enabled =
                given != null ? (Boolean) given : !registry.server(caller, path).enabled();
        return RegistryJson.text(json.toggled(registry.toggle(caller, path, enabled), enabled));
    }

    private String register(McpSyncServerExchange exchange, Map<String, Object> arguments) throws IOException {
        Map<String, Object> fields = new java.util.LinkedHashMap<>(arguments);
        String name = aliased(arguments, "name", "server_name");
        fields.remove("server_name");
        // Fields the reference's agents send that the registry does not keep (the probe counts tools).
        fields.remove("num_tools");
        fields.remove("num_stars");
        fields.remove("is_python");
        if (name != null) {
            fields.put("name", name);
        }
        return RegistryJson.text(json.registered(registry.register(caller(exchange), JSON.valueToTree(fields))));
    }

    /** The caller: anonymous without a token; a token that is not valid is refused rather than ignored. */
    private Caller caller(McpSyncServerExchange exchange) {
        Object header = exchange.transportContext().get(AUTHORIZATION);
        Object address = exchange.transportContext().get(ADDRESS);
        Principal who = auth.identifyBearer(header instanceof String value ? value : null, auth.registryAudiences())
                .orElse(null);
        return new Caller(who, "mcp", address == null ? "unknown" : address.toString());
    }

    private static String text(Map<String, Object> arguments, String name) {
        Object value = arguments.get(name);
        if (!(value instanceof String text)) {
            throw RegistryException.invalid(name + ": required, a string");
        }
        return text;
    }

    private static Set<String> strings(Map<String, Object> arguments, String name) {
        Object value = arguments.get(name);
        if (value == null) {
            return Set.of();
        }
        if (!(value instanceof List<?> list) || list.stream().anyMatch(item -> !(item instanceof String))) {
            throw RegistryException.invalid(name + ": a list of strings");
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
