package dev.mcpgw.runtime.registry;

import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.discovery.SearchHit;
import dev.mcpgw.site.SiteGenerator;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON shapes the API and the mcpgw MCP server answer with, in one place. */
public final class RegistryJson {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final Live live;
    private final String gatewayUrl;

    public RegistryJson(Live live, String gatewayUrl) {
        this.live = live;
        this.gatewayUrl = gatewayUrl;
    }

    /** A server as in Git plus the reference's keys ({@code server_name}, {@code num_tools}, {@code tool_list}) and its status. */
    public ObjectNode details(RegistryView.Registered server) {
        ObjectNode details = server.document() != null && server.document().isObject()
                ? ((ObjectNode) server.document()).deepCopy() : JSON.createObjectNode();
        ServerStatus status = live.statuses().get(server.id());
        boolean enabled = server.valid() && server.entry().enabled();
        details.put("server_name", server.valid() ? server.entry().name() : server.id());
        details.put("path", "/" + server.id());
        details.put("is_enabled", enabled);
        details.put("file", server.file());
        details.put("valid", server.valid());
        details.put("health", health(enabled, status));
        details.put("last_checked_iso", status == null ? null : status.checkedAt().toString());
        if (server.valid()) {
            details.put("gateway_url", SiteGenerator.endpointUrl(server.entry(), gatewayUrl));
        }
        List<ToolInfo> tools = tools(server.id());
        details.put("num_tools", tools.size());
        ArrayNode list = details.putArray("tool_list");
        tools.forEach(tool -> list.add(tool(tool)));
        return details;
    }

    public List<ToolInfo> tools(String id) {
        ServerStatus status = live.statuses().get(id);
        return status == null ? List.of() : status.tools();
    }

    public static ObjectNode tool(ToolInfo tool) {
        ObjectNode json = JSON.createObjectNode().put("name", tool.name()).put("description", tool.description());
        json.set("input_schema", tool.inputSchema());
        return json;
    }

    public static String health(boolean enabled, ServerStatus status) {
        return !enabled ? Health.DISABLED.jsonName() : status == null ? Health.UNKNOWN.jsonName() : status.health().jsonName();
    }

    /** Search results: what to call, where, and how well it matched. */
    public ObjectNode searchResults(String query, String mode, List<SearchHit> hits, RegistryView.Snapshot snapshot) {
        ObjectNode answer = JSON.createObjectNode().put("query", query).put("mode", mode);
        ArrayNode results = answer.putArray("results");
        for (SearchHit hit : hits) {
            ObjectNode result = results.addObject()
                    .put("server_id", hit.tool().serverId())
                    .put("server_path", "/" + hit.tool().serverId())
                    .put("server_name", hit.tool().serverName())
                    .put("tool_name", hit.tool().toolName())
                    .put("description", hit.tool().toolDescription())
                    .put("score", Math.round(hit.score() * 1000) / 1000.0);
            result.set("input_schema", hit.tool().inputSchema());
            snapshot.server(hit.tool().serverId()).filter(RegistryView.Registered::valid).ifPresent(server ->
                    result.put("gateway_url", SiteGenerator.endpointUrl(server.entry(), gatewayUrl)));
        }
        return answer;
    }
}
