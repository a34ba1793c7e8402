package dev.mcpgw.runtime.registry;

import dev.mcpgw.runtime.service.RegistryException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Turns the fields of a register or edit request into changes of an entry's top-level keys. Forms send
 * strings: {@code tags} and {@code replicas} as comma-separated lists, {@code enabled} as a checkbox
 * ({@code on}) or a boolean word. The reference's {@code num_tools}, {@code num_stars} and {@code is_python}
 * are accepted and ignored (the probe observes tools), so its users' scripts keep working. Everything else is
 * passed on as is and judged by the validator, with its messages.
 */
public final class EntryFields {

    static final Set<String> IGNORED = Set.of("num_tools", "num_stars", "is_python", "csrf_token");
    private static final Set<String> LISTS = Set.of("tags", "replicas");

    private EntryFields() {}

    /**
     * @param editing when true, an empty value or JSON null removes the key (a cleared form field); when
     *                false (registering) it is left out
     * @return key to new value, or to null for a key to remove
     */
    public static Map<String, JsonNode> changes(JsonNode fields, boolean editing) {
        Map<String, JsonNode> changes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (IGNORED.contains(key)) {
                continue;
            }
            if (value.isNull() || (value.isString() && value.asString().isBlank())) {
                if (editing) {
                    changes.put(key, null);
                }
                continue;
            }
            if (value.isString() && LISTS.contains(key)) {
                ArrayNode list = JsonNodeFactory.instance.arrayNode();
                for (String item : value.asString().split(",")) {
                    if (!item.isBlank()) {
                        list.add(item.strip());
                    }
                }
                changes.put(key, list);
            } else if (value.isString() && key.equals("enabled")) {
                changes.put(key, BooleanNode.valueOf(parseBoolean("enabled", value.asString())));
            } else {
                changes.put(key, value);
            }
        }
        return changes;
    }

    /** A checkbox or boolean word: {@code on}, {@code true}, {@code 1}, {@code yes} and their opposites. */
    public static boolean parseBoolean(String field, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "on", "true", "1", "yes" -> true;
            case "off", "false", "0", "no", "" -> false;
            default ->
                throw RegistryException.invalid(field + ": '" + value.strip()
                        + "' is not a boolean; send true or false (a form checkbox sends 'on')");
        };
    }
}
