package dev.mcpgw.mcphttp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tools of an MCP Java SDK server, for {@link StatelessMcpFilter}: the same specifications (definition and
 * handler) the SDK serves to 2025-era clients, so the two eras cannot drift apart. A 2026 request has no session:
 * a handler gets an exchange carrying only the request's transport context (what the SDK's context extractor
 * makes of the HTTP request - for mcpgw, the caller's credentials and address); asking the client for anything
 * (sampling, elicitation, roots) is not possible in this era's sessionless exchange.
 */
public final class SdkTools implements StatelessMcpFilter.Tools {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final McpSchema.Implementation info;
    private final Supplier<Collection<SyncToolSpecification>> specifications;
    private final Function<HttpServletRequest, McpTransportContext> context;

    /**
     * @param specifications the tools as they are now (read at every request: tools added or removed while the
     *                       server runs are seen at once)
     * @param context        what the SDK transport's context extractor makes of a request
     */
    public SdkTools(
            McpSchema.Implementation info,
            Supplier<Collection<SyncToolSpecification>> specifications,
            Function<HttpServletRequest, McpTransportContext> context) {
        this.info = info;
        this.specifications = specifications;
        this.context = context;
    }

    @Override
    public Map<String, String> serverInfo() {
        Map<String, String> serverInfo = new LinkedHashMap<>();
        serverInfo.put("name", info.name());
        serverInfo.put("version", info.version());
        return serverInfo;
    }

    @Override
    public List<JsonNode> list(HttpServletRequest request) {
        return specifications.get().stream()
                .map(spec -> (JsonNode) JSON.valueToTree(spec.tool()))
                .toList();
    }

    @Override
    public JsonNode call(String name, JsonNode arguments, HttpServletRequest request) {
        SyncToolSpecification spec = specifications.get().stream()
                .filter(candidate -> candidate.tool().name().equals(name))
                .findFirst()
                .orElse(null);
        if (spec == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> args =
                arguments != null && arguments.isObject() ? JSON.convertValue(arguments, Map.class) : Map.of();
        McpSyncServerExchange exchange =
                new McpSyncServerExchange(new McpAsyncServerExchange(null, null, null, null, context.apply(request)));
        McpSchema.CallToolResult result = spec.callHandler().apply(exchange, new McpSchema.CallToolRequest(name, args));
        return JSON.valueToTree(result);
    }
}
