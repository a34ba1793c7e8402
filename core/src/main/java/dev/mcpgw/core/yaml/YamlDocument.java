package dev.mcpgw.core.yaml;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A parsed YAML file as a JSON tree, with the source position of every value and every mapping key,
 * both keyed by JSON Pointer ("" is the root, "/tags/0" the first tag).
 */
public record YamlDocument(JsonNode root, Map<String, Position> valuePositions, Map<String, Position> keyPositions) {

    public YamlDocument {
        valuePositions = Map.copyOf(valuePositions);
        keyPositions = Map.copyOf(keyPositions);
    }

    /** Where the value at {@code pointer} starts, or the nearest enclosing value's start when it is absent. */
    public Position positionOf(String pointer) {
        for (String p = pointer; ; p = JsonPointers.parent(p)) {
            Position found = valuePositions.get(p);
            if (found != null) {
                return found;
            }
            if (p.isEmpty()) {
                return Position.START;
            }
        }
    }

    /** Where the key of the property at {@code pointer} is written, falling back to its value's position. */
    public Position positionOfKey(String pointer) {
        Position key = keyPositions.get(pointer);
        return key != null ? key : positionOf(pointer);
    }
}
