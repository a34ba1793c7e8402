package dev.mcpgw.runtime.registry;

import dev.mcpgw.core.contract.RegistryAnswers;
import dev.mcpgw.core.contract.ToolDoc;
import dev.mcpgw.core.model.GatewayUrls;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.discovery.SearchHit;
import dev.mcpgw.runtime.service.RegistryService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The registry service's results as the wire contracts of {@link RegistryAnswers}, in one place: the HTTP API
 * and the mcpgw MCP tools answer the same operation with the same document.
 */
public final class RegistryJson {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final String gatewayUrl;
    private final java.util.function.Supplier<Map<String, String>> notDeployed;

    /** @param notDeployed the servers the live gateway answers 503 for, with why (empty without --apply) */
    public RegistryJson(String gatewayUrl, java.util.function.Supplier<Map<String, String>> notDeployed) {
        this.gatewayUrl = gatewayUrl;
        this.notDeployed = notDeployed;
    }

    /** An answer as the text an MCP tool returns: the same JSON the HTTP API sends. */
    public static String text(Object answer) {
        return JSON.writeValueAsString(answer);
    }

    /**
     * A server as in Git plus the reference's keys ({@code server_name}, {@code num_tools}, {@code tool_list}) and
     * its status. The entry's own keys come first, in its file's order: this document is the entry, extended.
     */
    public ObjectNode details(RegistryService.Server server) {
        RegistryView.Registered registered = server.registered();
        ObjectNode details =
                registered.document() != null && registered.document().isObject()
                        ? ((ObjectNode) registered.document()).deepCopy()
                        : JSON.createObjectNode();
        ServerStatus status = server.status();
        details.put("server_name", registered.valid() ? registered.entry().name() : server.id());
        details.put("path", "/" + server.id());
        details.put("is_enabled", server.enabled());
        details.put("file", registered.file());
        details.put("valid", registered.valid());
        details.put("health", Health.effective(server.enabled(), status).jsonName());
        details.put(
                "last_checked_iso", status == null ? null : status.checkedAt().toString());
        if (registered.valid()) {
            details.put("gateway_url", GatewayUrls.endpoint(registered.entry(), gatewayUrl));
        }
        String notLive = notDeployed.get().get(server.id());
        if (notLive != null) {
            details.put("deployment_error", notLive);
        }
        List<ToolInfo> tools = status == null ? List.of() : status.tools();
        details.put("num_tools", tools.size());
        ArrayNode list = details.putArray("tool_list");
        tools.forEach(tool -> list.add(JSON.valueToTree(ToolDoc.of(tool))));
        return details;
    }

    public RegistryAnswers.ServerSummary summary(RegistryService.Server server) {
        RegistryView.Registered registered = server.registered();
        return new RegistryAnswers.ServerSummary(
                "/" + server.id(),
                registered.valid() ? registered.entry().name() : server.id(),
                registered.valid() ? registered.entry().description() : "",
                server.enabled(),
                Health.effective(server.enabled(), server.status()).jsonName(),
                server.status() == null ? 0 : server.status().tools().size(),
                registered.valid() ? GatewayUrls.endpoint(registered.entry(), gatewayUrl) : null);
    }

    /** Health of each server, keyed by path. */
    public Map<String, RegistryAnswers.HealthSummary> health(List<RegistryService.Server> servers) {
        Map<String, RegistryAnswers.HealthSummary> health = new LinkedHashMap<>();
        for (RegistryService.Server server : servers) {
            ServerStatus status = server.status();
            health.put(
                    "/" + server.id(),
                    new RegistryAnswers.HealthSummary(
                            Health.effective(server.enabled(), status).jsonName(),
                            status == null ? null : status.checkedAt().toString(),
                            status == null ? 0 : status.tools().size()));
        }
        return health;
    }

    public RegistryAnswers.Tools tools(RegistryService.Tools tools) {
        ServerStatus status = tools.server().status();
        return new RegistryAnswers.Tools(
                "/" + tools.server().id(),
                status == null ? null : status.checkedAt().toString(),
                tools.tools().stream().map(ToolDoc::of).toList());
    }

    public RegistryAnswers.Registered registered(RegistryService.Change change) {
        return new RegistryAnswers.Registered(
                "Service registered successfully",
                "/" + change.id(),
                change.outcome().commit().name(),
                change.outcome().entry());
    }

    public RegistryAnswers.Toggled toggled(RegistryService.Change change, boolean enabled) {
        ServerStatus status = change.status();
        return new RegistryAnswers.Toggled(
                "Toggle request for /" + change.id() + " processed.",
                "/" + change.id(),
                enabled,
                Health.effective(enabled, status).jsonName(),
                status == null ? null : status.checkedAt().toString(),
                status == null ? 0 : status.tools().size(),
                change.outcome().changed(),
                change.outcome().commit().name());
    }

    public RegistryAnswers.Edited edited(RegistryService.Change change) {
        return new RegistryAnswers.Edited(
                "Server /" + change.id() + " updated",
                "/" + change.id(),
                change.outcome().changed(),
                change.outcome().commit().name(),
                change.outcome().entry());
    }

    public RegistryAnswers.Deleted deleted(RegistryService.Change change) {
        return new RegistryAnswers.Deleted(
                "Server /" + change.id() + " deleted",
                "/" + change.id(),
                change.outcome().commit().name());
    }

    public RegistryAnswers.Refreshed refreshed(String id, ServerStatus status) {
        return new RegistryAnswers.Refreshed(
                "/" + id,
                status.health().jsonName(),
                status.error(),
                status.checkedAt().toString(),
                status.tools().size());
    }

    public RegistryAnswers.SearchResults searchResults(RegistryService.SearchResults found) {
        return new RegistryAnswers.SearchResults(
                found.query().text(),
                found.mode(),
                found.hits().stream().map(hit -> match(hit, found)).toList());
    }

    private RegistryAnswers.ToolMatch match(SearchHit hit, RegistryService.SearchResults found) {
        String gateway = found.snapshot()
                .server(hit.tool().serverId())
                .filter(RegistryView.Registered::valid)
                .map(server -> GatewayUrls.endpoint(server.entry(), gatewayUrl))
                .orElse(null);
        return new RegistryAnswers.ToolMatch(
                hit.tool().serverId(),
                "/" + hit.tool().serverId(),
                hit.tool().serverName(),
                hit.tool().toolName(),
                hit.tool().toolDescription(),
                Math.round(hit.score() * 1000) / 1000.0,
                hit.tool().inputSchema(),
                gateway);
    }
}
