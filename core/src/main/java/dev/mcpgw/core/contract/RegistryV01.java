package dev.mcpgw.core.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mcpgw.core.model.GatewayUrls;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The official MCP Registry's read API, version v0.1, as typed documents: one server's response, and lists of
 * them. Written as static files by the site generator and answered live by the runtime, from the same records.
 */
public final class RegistryV01 {

    public static final String SERVER_SCHEMA =
            "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";
    public static final String OFFICIAL_META = "io.modelcontextprotocol.registry/official";
    public static final String OUR_META = "dev.mcpgw/status";
    /** The official API allows descriptions of 100 characters. */
    public static final int MAX_DESCRIPTION = 100;

    private RegistryV01() {}

    /** {@code {"server": ..., "_meta": ...}}: one server at one version. */
    @JsonPropertyOrder({"server", "_meta"})
    public record ServerResponse(
            Server server, @JsonProperty("_meta") Meta meta) {}

    @JsonPropertyOrder({"$schema", "name", "title", "description", "version", "websiteUrl", "repository", "remotes"})
    public record Server(
            @JsonProperty("$schema") String schema,
            String name,
            String title,
            String description,
            String version,
            @JsonInclude(JsonInclude.Include.NON_NULL) String websiteUrl,
            @JsonInclude(JsonInclude.Include.NON_NULL) Repository repository,
            List<Remote> remotes) {}

    @JsonPropertyOrder({"url", "source"})
    public record Repository(String url, String source) {}

    @JsonPropertyOrder({"type", "url"})
    public record Remote(String type, String url) {}

    @JsonPropertyOrder({OFFICIAL_META, OUR_META})
    public record Meta(
            @JsonProperty(OFFICIAL_META) Official official,
            @JsonProperty(OUR_META) OurStatus status) {}

    @JsonPropertyOrder({"status", "statusMessage", "publishedAt", "updatedAt", "isLatest"})
    public record Official(
            String status,
            @JsonInclude(JsonInclude.Include.NON_NULL) String statusMessage,
            String publishedAt,
            String updatedAt,
            boolean isLatest) {}

    /** What this registry adds: the server's id, effective health, last check and tool names. */
    @JsonPropertyOrder({"id", "health", "checked_at", "error", "tool_count", "tools"})
    public record OurStatus(
            String id,
            String health,
            @JsonProperty("checked_at") String checkedAt,
            String error,
            @JsonProperty("tool_count") int toolCount,
            List<ToolName> tools) {}

    @JsonPropertyOrder({"name", "description"})
    public record ToolName(String name, String description) {}

    /** {@code {"servers": [...], "metadata": {...}}}: a page of servers. */
    @JsonPropertyOrder({"servers", "metadata"})
    public record ServerList(List<ServerResponse> servers, Metadata metadata) {}

    /** How many servers a page holds, and the cursor of the next page when there is one. */
    @JsonPropertyOrder({"count", "nextCursor"})
    public record Metadata(
            int count,
            @JsonInclude(JsonInclude.Include.NON_NULL) String nextCursor) {}

    /** The namespace of server names: the gateway's host name reversed, or {@code local.mcpgw} for an address. */
    public static String defaultNamespace(String gatewayUrl) {
        String host = URI.create(gatewayUrl).getHost();
        if (host == null || !host.contains(".") || host.matches("[0-9.]+") || host.startsWith("[")) {
            return "local.mcpgw";
        }
        List<String> labels =
                new ArrayList<>(List.of(host.toLowerCase(Locale.ROOT).split("\\.")));
        Collections.reverse(labels);
        return String.join(".", labels);
    }

    /** A server's name in the API: {@code <namespace>/<id>}. */
    public static String name(String namespace, ServerEntry entry) {
        return namespace + "/" + entry.id().value();
    }

    /** A server's version in the API: its entry's, or {@code 0.0.0} when the entry names none. */
    public static String version(ServerEntry entry) {
        return entry.version() == null ? "0.0.0" : entry.version();
    }

    /** The response for one entry and its latest status (null before any). */
    public static ServerResponse response(
            ServerEntry entry, ServerStatus status, String gatewayUrl, String namespace, Instant updatedAt) {
        Repository repository = null;
        if (entry.repository() != null) {
            String host = URI.create(entry.repository()).getHost();
            repository = new Repository(
                    entry.repository(),
                    host == null ? "git" : host.replaceFirst("^www\\.", "").replaceFirst("\\..*$", ""));
        }
        Server server = new Server(
                SERVER_SCHEMA,
                name(namespace, entry),
                entry.name(),
                shorten(entry.description()),
                version(entry),
                entry.homepage(),
                repository,
                List.of(new Remote(
                        entry.transport() == Transport.SSE ? "sse" : "streamable-http",
                        GatewayUrls.endpoint(entry, gatewayUrl))));
        Official official = new Official(
                entry.enabled() ? "active" : "deprecated",
                entry.enabled() ? null : "Disabled in this registry: the gateway answers 503.",
                updatedAt.toString(),
                updatedAt.toString(),
                true);
        OurStatus ours = new OurStatus(
                entry.id().value(),
                Health.effective(entry.enabled(), status).jsonName(),
                status == null ? null : status.checkedAt().toString(),
                status == null ? null : status.error(),
                status == null ? 0 : status.tools().size(),
                status == null
                        ? List.of()
                        : status.tools().stream()
                                .map(tool -> new ToolName(tool.name(), tool.description()))
                                .toList());
        return new ServerResponse(server, new Meta(official, ours));
    }

    /** Longer descriptions are cut at a word with an ellipsis, to the official limit. */
    public static String shorten(String description) {
        if (description.length() <= MAX_DESCRIPTION) {
            return description;
        }
        String cut = description.substring(0, MAX_DESCRIPTION - 1);
        int space = cut.lastIndexOf(' ');
        return (space > MAX_DESCRIPTION / 2 ? cut.substring(0, space) : cut) + "…";
    }
}
