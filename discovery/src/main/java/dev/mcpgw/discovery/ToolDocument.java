package dev.mcpgw.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One tool as discovery sees it, with the server it belongs to. {@link #key()} names it uniquely:
 * {@code <server id>/<tool name>}.
 */
public record ToolDocument(
        String serverId,
        String serverName,
        String serverDescription,
        List<String> tags,
        String toolName,
        String toolDescription,
        JsonNode inputSchema) {

    public ToolDocument {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(toolName, "toolName");
        serverName = serverName == null ? serverId : serverName;
        serverDescription = serverDescription == null ? "" : serverDescription;
        tags = List.copyOf(tags);
        toolDescription = toolDescription == null ? "" : toolDescription;
    }

    public String key() {
        return serverId + "/" + toolName;
    }

    /** The tool's name as words: {@code getStockQuote}, {@code get_stock_quote} and {@code get-stock.quote} all read "get stock quote". */
    public String nameWords() {
        return words(toolName);
    }

    /** Parameter names (as words) and descriptions, one after another. */
    public String parameterText() {
        List<String> parts = new ArrayList<>();
        JsonNode properties = inputSchema == null ? null : inputSchema.path("properties");
        if (properties != null && properties.isObject()) {
            for (Map.Entry<String, JsonNode> property : properties.properties()) {
                parts.add(words(property.getKey()));
                JsonNode description = property.getValue().path("description");
                if (description.isString()) {
                    parts.add(description.asString());
                }
            }
        }
        return String.join(" ", parts);
    }

    static String words(String identifier) {
        return identifier
                .replaceAll("([a-z0-9])([A-Z])", "$1 $2")
                .replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2")
                .replaceAll("[_.\\-/]+", " ")
                .toLowerCase(Locale.ROOT)
                .strip();
    }
}
