package dev.mcpgw.core.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mcpgw.core.model.GatewayUrls;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code servers.json} of the static site: every entry with its effective health and tools, for programs. */
@JsonPropertyOrder({"generated_at", "gateway_url", "servers"})
public record ServersJson(
        @JsonProperty("generated_at") String generatedAt,
        @JsonProperty("gateway_url") String gatewayUrl,
        List<Server> servers) {

    @JsonPropertyOrder({
        "id",
        "name",
        "description",
        "path",
        "url",
        "transport",
        "enabled",
        "tags",
        "license",
        "version",
        "homepage",
        "repository",
        "status",
        "tools"
    })
    public record Server(
            String id,
            String name,
            String description,
            String path,
            String url,
            String transport,
            boolean enabled,
            List<String> tags,
            String license,
            String version,
            String homepage,
            String repository,
            Status status,
            List<ToolDoc> tools) {}

    @JsonPropertyOrder({"health", "error", "checked_at", "health_since"})
    public record Status(
            String health,
            String error,
            @JsonProperty("checked_at") String checkedAt,
            @JsonProperty("health_since") String healthSince) {}

    /** The document for {@code entries} (in the order given) with their latest statuses. */
    public static ServersJson of(
            List<ServerEntry> entries, Map<String, ServerStatus> statuses, String gatewayUrl, Instant generatedAt) {
        return new ServersJson(
                generatedAt.toString(),
                gatewayUrl,
                entries.stream()
                        .map(entry -> {
                            ServerStatus status = statuses.get(entry.id().value());
                            return new Server(
                                    entry.id().value(),
                                    entry.name(),
                                    entry.description(),
                                    entry.path(),
                                    GatewayUrls.endpoint(entry, gatewayUrl),
                                    entry.transport().entryName(),
                                    entry.enabled(),
                                    entry.tags(),
                                    entry.license(),
                                    entry.version(),
                                    entry.homepage(),
                                    entry.repository(),
                                    new Status(
                                            Health.effective(entry.enabled(), status)
                                                    .jsonName(),
                                            status == null ? null : status.error(),
                                            status == null
                                                    ? null
                                                    : status.checkedAt().toString(),
                                            status == null
                                                    ? null
                                                    : status.healthSince().toString()),
                                    status == null
                                            ? List.of()
                                            : status.tools().stream()
                                                    .map(ToolDoc::of)
                                                    .toList());
                        })
                        .toList());
    }
}
