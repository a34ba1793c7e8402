package dev.mcpgw.core.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code servers/<id>.json} of the status branch (contract 3), as a typed document: stable key order and
 * formatting, so diffs read well. The file's name is the server's identity; the {@code id} inside is written
 * for people and ignored when reading, so a status branch written by anything else (a script, an older probe)
 * reads the same.
 */
public final class StatusJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    private static final ObjectWriter WRITER = MAPPER.writerWithDefaultPrettyPrinter();

    private StatusJson() {}

    /** The file of server {@code id} on the status branch. */
    public static String path(String id) {
        return "servers/" + id + ".json";
    }

    /** The status file as it is written, key for key. */
    @JsonPropertyOrder({
        "id",
        "health",
        "error",
        "error_kind",
        "checked_at",
        "health_since",
        "latency_ms",
        "server_info",
        "protocol_version",
        "protocol_versions",
        "observed_revision",
        "tool_count",
        "tools_truncated",
        "tools",
        "last_tool_change"
    })
    record Document(
            String id,
            String health,
            String error,
            @JsonProperty("error_kind") String errorKind,
            @JsonProperty("checked_at") String checkedAt,
            @JsonProperty("health_since") String healthSince,
            @JsonProperty("latency_ms") Long latencyMs,
            @JsonProperty("server_info") ServerInfo serverInfo,
            @JsonProperty("protocol_version") String protocolVersion,

            @JsonProperty("protocol_versions") @JsonInclude(JsonInclude.Include.NON_EMPTY)
            List<String> protocolVersions,

            @JsonProperty("observed_revision") String observedRevision,
            @JsonProperty("tool_count") int toolCount,
            @JsonProperty("tools_truncated") boolean toolsTruncated,
            List<Tool> tools,
            @JsonProperty("last_tool_change") Change lastToolChange) {}

    record ServerInfo(String name, String version) {}

    @JsonPropertyOrder({"name", "description", "input_schema"})
    record Tool(
            String name,
            String description,
            @JsonProperty("input_schema") JsonNode inputSchema) {}

    @JsonPropertyOrder({"at", "added", "removed", "changed"})
    record Change(String at, List<String> added, List<String> removed, List<String> changed) {}

    public static byte[] write(ServerStatus status) {
        ToolChange change = status.lastToolChange();
        Document document = new Document(
                status.id(),
                status.health().jsonName(),
                status.error(),
                status.errorKind(),
                status.checkedAt().toString(),
                status.healthSince().toString(),
                status.latencyMs(),
                status.serverName() == null ? null : new ServerInfo(status.serverName(), status.serverVersion()),
                status.protocolVersion(),
                status.protocolVersions(),
                status.observedRevision(),
                status.tools().size(),
                status.toolsTruncated(),
                status.tools().stream()
                        .map(tool -> new Tool(
                                tool.name(),
                                tool.description(),
                                tool.inputSchema() == null
                                        ? JsonNodeFactory.instance.objectNode()
                                        : tool.inputSchema()))
                        .toList(),
                change == null
                        ? null
                        : new Change(change.at().toString(), change.added(), change.removed(), change.changed()));
        return (WRITER.writeValueAsString(document) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the status of server {@code id} (named by the file) from its file's bytes.
     *
     * @throws UnreadableStatusException naming the field that is missing or wrong
     */
    public static ServerStatus read(String id, byte[] json) {
        Document document;
        try {
            document = MAPPER.readValue(json, Document.class);
        } catch (JacksonException e) {
            throw new UnreadableStatusException("not a status document: " + e.getOriginalMessage());
        }
        if (document == null) {
            throw new UnreadableStatusException("empty; expected a JSON object with health and checked_at");
        }
        Health health = Health.ofJsonName(document.health())
                .orElseThrow(() -> new UnreadableStatusException("health: '" + document.health()
                        + "' is not one of healthy, unhealthy, unreachable, disabled, unknown"));
        Change change = document.lastToolChange();
        return ServerStatus.builder(id, health, instant("checked_at", document.checkedAt(), true))
                .error(document.errorKind(), document.error())
                .latencyMs(document.latencyMs())
                .serverInfo(
                        document.serverInfo() == null
                                ? null
                                : document.serverInfo().name(),
                        document.serverInfo() == null
                                ? null
                                : document.serverInfo().version())
                .protocolVersion(document.protocolVersion())
                .protocolVersions(
                        document.protocolVersions() == null
                                ? List.of()
                                : document.protocolVersions().stream()
                                        .filter(java.util.Objects::nonNull)
                                        .toList())
                .observedRevision(document.observedRevision())
                .tools(
                        document.tools() == null
                                ? List.of()
                                : document.tools().stream()
                                        .filter(tool -> tool != null && tool.name() != null)
                                        .map(tool -> new ToolInfo(
                                                tool.name(),
                                                tool.description(),
                                                tool.inputSchema() == null
                                                        ? JsonNodeFactory.instance.missingNode()
                                                        : tool.inputSchema()))
                                        .toList(),
                        document.toolsTruncated())
                .lastToolChange(
                        change == null
                                ? null
                                : new ToolChange(
                                        instant("last_tool_change.at", change.at(), true),
                                        strings(change.added()),
                                        strings(change.removed()),
                                        strings(change.changed())))
                .healthSince(instant("health_since", document.healthSince(), false))
                .build();
    }

    private static Instant instant(String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                throw new UnreadableStatusException(
                        field + ": required, an ISO-8601 UTC time such as 2026-12-02T10:00:00Z");
            }
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new UnreadableStatusException(
                    field + ": '" + value + "' is not an ISO-8601 UTC time such as " + "2026-12-02T10:00:00Z");
        }
    }

    private static List<String> strings(List<String> values) {
        return values == null
                ? List.of()
                : values.stream().filter(java.util.Objects::nonNull).toList();
    }
}
