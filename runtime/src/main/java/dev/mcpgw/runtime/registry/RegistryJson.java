package dev.mcpgw.runtime.registry;

import dev.mcpgw.core.model.GatewayUrls;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.discovery.SearchHit;
import dev.mcpgw.runtime.service.RegistryService;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON answers of the registry service's results, in one place: the HTTP API and the mcpgw MCP tools
 * answer the same operation with the same document (the reference's keys where it has them).
 */
public final class RegistryJson {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final String gatewayUrl;

    public RegistryJson(String gatewayUrl) {
        this.gatewayUrl = gatewayUrl;
    }

    /** A server as in Git plus the reference's keys ({@code server_name}, {@code num_tools}, {@code tool_list}) and its status. */
    public ObjectNode details(RegistryService.Server server) {
        RegistryView.Registered registered = server.registered();
        ObjectNode details = registered.document() != null && registered.document().isObject()
                ? ((ObjectNode) registered.document()).deepCopy() : JSON.createObjectNode();
        ServerStatus status = server.status();
        details.put("server_name", registered.valid() ? registered.entry().name() : server.id());
        details.put("path", "/" + server.id());
        details.put("is_enabled", server.enabled());
        details.put("file", registered.file());
        details.put("valid", registered.valid());
        details.put("health", Health.effective(server.enabled(), status).jsonName());
        details.put("last_checked_iso", status == null ? null : status.checkedAt().toString());
        if (registered.valid()) {
            details.put("gateway_url", GatewayUrls.endpoint(registered.entry(), gatewayUrl));
        }
        List<ToolInfo> tools = status == null ? List.of() : status.tools();
        details.put("num_tools", tools.size());
        ArrayNode list = details.putArray("tool_list");
        tools.forEach(tool -> list.add(tool(tool)));
        return details;
    }

    /** One line per server, for listing: path, name, description, enabled, health, tool count, gateway URL. */
    public ObjectNode summary(RegistryService.Server server) {
        RegistryView.Registered registered = server.registered();
        ObjectNode item = JSON.createObjectNode().put("path", "/" + server.id())
                .put("name", registered.valid() ? registered.entry().name() : server.id())
                .put("description", registered.valid() ? registered.entry().description() : "")
                .put("enabled", server.enabled())
                .put("health", Health.effective(server.enabled(), server.status()).jsonName())
                .put("num_tools", server.status() == null ? 0 : server.status().tools().size());
        if (registered.valid()) {
            item.put("gateway_url", GatewayUrls.endpoint(registered.entry(), gatewayUrl));
        }
        return item;
    }

    /** Health of each server, keyed by path. */
    public ObjectNode health(List<RegistryService.Server> servers) {
        ObjectNode health = JSON.createObjectNode();
        for (RegistryService.Server server : servers) {
            ServerStatus status = server.status();
            health.putObject("/" + server.id())
                    .put("status", Health.effective(server.enabled(), status).jsonName())
                    .put("last_checked_iso", status == null ? null : status.checkedAt().toString())
                    .put("num_tools", status == null ? 0 : status.tools().size());
        }
        return health;
    }

    /** The tools of one server the caller may call. */
    public ObjectNode tools(RegistryService.Tools tools) {
        ServerStatus status = tools.server().status();
        ObjectNode answer = JSON.createObjectNode().put("service_path", "/" + tools.server().id())
                .put("checked_at", status == null ? null : status.checkedAt().toString());
        ArrayNode list = answer.putArray("tools");
        tools.tools().forEach(tool -> list.add(tool(tool)));
        return answer;
    }

    public static ObjectNode tool(ToolInfo tool) {
        ObjectNode json = JSON.createObjectNode().put("name", tool.name()).put("description", tool.description());
        json.set("input_schema", tool.inputSchema());
        return json;
    }

    public ObjectNode registered(RegistryService.Change change) {
        ObjectNode answer = JSON.createObjectNode()
                .put("message", "Service registered successfully")
                .put("path", "/" + change.id())
                .put("commit", change.outcome().commit().name());
        answer.set("service", change.outcome().entry());
        return answer;
    }

    public ObjectNode toggled(RegistryService.Change change, boolean enabled) {
        ServerStatus status = change.status();
        return JSON.createObjectNode()
                .put("message", "Toggle request for /" + change.id() + " processed.")
                .put("service_path", "/" + change.id())
                .put("new_enabled_state", enabled)
                .put("status", Health.effective(enabled, status).jsonName())
                .put("last_checked_iso", status == null ? null : status.checkedAt().toString())
                .put("num_tools", status == null ? 0 : status.tools().size())
                .put("changed", change.outcome().changed())
                .put("commit", change.outcome().commit().name());
    }

    public ObjectNode edited(RegistryService.Change change) {
        ObjectNode answer = JSON.createObjectNode()
                .put("message", "Server /" + change.id() + " updated")
                .put("service_path", "/" + change.id())
                .put("changed", change.outcome().changed())
                .put("commit", change.outcome().commit().name());
        answer.set("service", change.outcome().entry());
        return answer;
    }

    public ObjectNode deleted(RegistryService.Change change) {
        return JSON.createObjectNode()
                .put("message", "Server /" + change.id() + " deleted")
                .put("service_path", "/" + change.id())
                .put("commit", change.outcome().commit().name());
    }

    public ObjectNode refreshed(String id, ServerStatus status) {
        return JSON.createObjectNode()
                .put("service_path", "/" + id)
                .put("status", status.health().jsonName())
                .put("error", status.error())
                .put("last_checked_iso", status.checkedAt().toString())
                .put("num_tools", status.tools().size());
    }

    /** Search results: what to call, where, and how well it matched. */
    public ObjectNode searchResults(RegistryService.SearchResults found) {
        ObjectNode answer = JSON.createObjectNode().put("query", found.query().text()).put("mode", found.mode());
        ArrayNode results = answer.putArray("results");
        for (SearchHit hit : found.hits()) {
            ObjectNode result = results.addObject()
                    .put("server_id", hit.tool().serverId())
                    .put("server_path", "/" + hit.tool().serverId())
                    .put("server_name", hit.tool().serverName())
                    .put("tool_name", hit.tool().toolName())
                    .put("description", hit.tool().toolDescription())
                    .put("score", Math.round(hit.score() * 1000) / 1000.0);
            result.set("input_schema", hit.tool().inputSchema());
            found.snapshot().server(hit.tool().serverId()).filter(RegistryView.Registered::valid).ifPresent(server ->
                    result.put("gateway_url", GatewayUrls.endpoint(server.entry(), gatewayUrl)));
        }
        return answer;
    }
}
