package dev.mcpgw.core.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The answers of the registry's operations (contract 5), the same document whichever door asked: the HTTP API
 * answers them as its body, the {@code mcpgw} MCP tools as their text. Keys are the reference's where it has
 * them.
 */
public final class RegistryAnswers {

    private RegistryAnswers() {}

    /** {@code POST /register}, {@code register_service}. */
    @JsonPropertyOrder({"message", "path", "commit", "service"})
    public record Registered(String message, String path, String commit, JsonNode service) {}

    /** {@code POST /toggle/{path}}, {@code toggle_service}. */
    @JsonPropertyOrder({
        "message",
        "service_path",
        "new_enabled_state",
        "status",
        "last_checked_iso",
        "num_tools",
        "changed",
        "commit"
    })
    public record Toggled(
            String message,
            @JsonProperty("service_path") String servicePath,
            @JsonProperty("new_enabled_state") boolean newEnabledState,
            String status,
            @JsonProperty("last_checked_iso") String lastCheckedIso,
            @JsonProperty("num_tools") int numTools,
            boolean changed,
            String commit) {}

    /** {@code POST /edit/{path}}. */
    @JsonPropertyOrder({"message", "service_path", "changed", "commit", "service"})
    public record Edited(
            String message,
            @JsonProperty("service_path") String servicePath,
            boolean changed,
            String commit,
            JsonNode service) {}

    /** {@code POST /delete/{path}}, {@code remove_service}. */
    @JsonPropertyOrder({"message", "service_path", "commit"})
    public record Deleted(
            String message, @JsonProperty("service_path") String servicePath, String commit) {}

    /** {@code POST /api/refresh/{path}}, {@code refresh_service}. */
    @JsonPropertyOrder({"service_path", "status", "error", "last_checked_iso", "num_tools"})
    public record Refreshed(
            @JsonProperty("service_path") String servicePath,
            String status,
            String error,
            @JsonProperty("last_checked_iso") String lastCheckedIso,
            @JsonProperty("num_tools") int numTools) {}

    /** {@code GET /api/tools/{path}}, {@code get_service_tools}. */
    @JsonPropertyOrder({"service_path", "checked_at", "tools"})
    public record Tools(
            @JsonProperty("service_path") String servicePath,
            @JsonProperty("checked_at") String checkedAt,
            List<ToolDoc> tools) {}

    /** One server in {@code list_services}. */
    @JsonPropertyOrder({"path", "name", "description", "enabled", "health", "num_tools", "gateway_url"})
    public record ServerSummary(
            String path,
            String name,
            String description,
            boolean enabled,
            String health,
            @JsonProperty("num_tools") int numTools,

            @JsonProperty("gateway_url") @JsonInclude(JsonInclude.Include.NON_NULL)
            String gatewayUrl) {}

    /** One server in {@code healthcheck}, keyed by its path. */
    @JsonPropertyOrder({"status", "last_checked_iso", "num_tools"})
    public record HealthSummary(
            String status,
            @JsonProperty("last_checked_iso") String lastCheckedIso,
            @JsonProperty("num_tools") int numTools) {}

    /** {@code GET /api/search}, {@code intelligent_tool_finder}: what to call, where, and how well it matched. */
    @JsonPropertyOrder({"query", "mode", "results"})
    public record SearchResults(String query, String mode, List<ToolMatch> results) {}

    @JsonPropertyOrder({
        "server_id",
        "server_path",
        "server_name",
        "tool_name",
        "description",
        "score",
        "input_schema",
        "gateway_url"
    })
    public record ToolMatch(
            @JsonProperty("server_id") String serverId,
            @JsonProperty("server_path") String serverPath,
            @JsonProperty("server_name") String serverName,
            @JsonProperty("tool_name") String toolName,
            String description,
            double score,
            @JsonProperty("input_schema") JsonNode inputSchema,

            @JsonProperty("gateway_url") @JsonInclude(JsonInclude.Include.NON_NULL)
            String gatewayUrl) {}
}
