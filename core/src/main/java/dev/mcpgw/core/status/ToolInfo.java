package dev.mcpgw.core.status;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/** One tool as a server lists it; {@code inputSchema} is the JSON Schema of its arguments. */
public record ToolInfo(String name, String description, JsonNode inputSchema) {

    public ToolInfo {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        // No schema is null however it was read (JSON null, or left out), so equal tools compare equal.
        inputSchema = inputSchema == null || inputSchema.isNull() || inputSchema.isMissingNode() ? null : inputSchema;
    }
}
