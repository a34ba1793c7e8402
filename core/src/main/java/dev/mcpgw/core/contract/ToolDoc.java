package dev.mcpgw.core.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mcpgw.core.status.ToolInfo;
import tools.jackson.databind.JsonNode;

/** A tool as every answer and document lists it: name, description and the JSON Schema of its arguments. */
@JsonPropertyOrder({"name", "description", "input_schema"})
public record ToolDoc(
        String name,
        String description,
        @JsonProperty("input_schema") JsonNode inputSchema) {

    public static ToolDoc of(ToolInfo tool) {
        return new ToolDoc(tool.name(), tool.description(), tool.inputSchema());
    }
}
