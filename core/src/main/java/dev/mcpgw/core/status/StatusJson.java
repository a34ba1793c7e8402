package dev.mcpgw.core.status;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code servers/<id>.json} of the status branch: stable key order and formatting, so diffs read well. */
public final class StatusJson {

    private static final JsonMapper MAPPER = JsonMapper.shared();
    private static final ObjectWriter WRITER = MAPPER.writerWithDefaultPrettyPrinter();

    private StatusJson() {}

    public static String path(String id) {
        return "servers/" + id + ".json";
    }

    public static byte[] write(ServerStatus status) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("id", status.id());
        root.put("health", status.health().jsonName());
        root.put("error", status.error());
        root.put("error_kind", status.errorKind());
        root.put("checked_at", status.checkedAt().toString());
        root.put("health_since", status.healthSince().toString());
        if (status.latencyMs() == null) {
            root.putNull("latency_ms");
        } else {
            root.put("latency_ms", status.latencyMs());
        }
        if (status.serverName() == null) {
            root.putNull("server_info");
        } else {
            root.putObject("server_info").put("name", status.serverName()).put("version", status.serverVersion());
        }
        root.put("protocol_version", status.protocolVersion());
        root.put("observed_revision", status.observedRevision());
        root.put("tool_count", status.tools().size());
        root.put("tools_truncated", status.toolsTruncated());
        ArrayNode tools = root.putArray("tools");
        for (ToolInfo tool : status.tools()) {
            ObjectNode item = tools.addObject().put("name", tool.name()).put("description", tool.description());
            item.set("input_schema", tool.inputSchema() == null ? MAPPER.createObjectNode() : tool.inputSchema());
        }
        ToolChange change = status.lastToolChange();
        if (change == null) {
            root.putNull("last_tool_change");
        } else {
            ObjectNode c = root.putObject("last_tool_change").put("at", change.at().toString());
            change.added().forEach(c.putArray("added")::add);
            change.removed().forEach(c.putArray("removed")::add);
            change.changed().forEach(c.putArray("changed")::add);
            if (!c.has("added")) {
                c.putArray("added");
            }
            if (!c.has("removed")) {
                c.putArray("removed");
            }
            if (!c.has("changed")) {
                c.putArray("changed");
            }
        }
        return (WRITER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static ServerStatus read(byte[] json) {
        JsonNode root = MAPPER.readTree(json);
        List<ToolInfo> tools = new ArrayList<>();
        for (JsonNode tool : root.path("tools")) {
            tools.add(new ToolInfo(tool.path("name").asString(), tool.path("description").asString(""),
                    tool.path("input_schema")));
        }
        JsonNode info = root.path("server_info");
        JsonNode change = root.path("last_tool_change");
        return new ServerStatus(root.path("id").asString(), Health.fromJsonName(root.path("health").asString("unknown")),
                text(root, "error"), text(root, "error_kind"), Instant.parse(root.path("checked_at").asString()),
                root.path("latency_ms").isNumber() ? root.path("latency_ms").asLong() : null,
                info.isObject() ? text(info, "name") : null, info.isObject() ? text(info, "version") : null,
                text(root, "protocol_version"), text(root, "observed_revision"), tools,
                root.path("tools_truncated").asBoolean(false),
                change.isObject() ? new ToolChange(Instant.parse(change.path("at").asString()),
                        strings(change.path("added")), strings(change.path("removed")),
                        strings(change.path("changed"))) : null,
                root.path("health_since").isString() ? Instant.parse(root.path("health_since").asString()) : null);
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.path(key);
        return value.isNull() || value.isMissingNode() ? null : value.asString();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
