package dev.mcpgw.core.yaml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes server entry files for the runtime's API. Changing an existing file touches only the lines of the
 * top-level keys that change, so the comments and layout people wrote stay; a new file lists the keys in the
 * order the README uses. Every result is read back and compared with the intended tree: when a surgical edit
 * would not mean exactly what was asked (unusual layouts), the file is written afresh instead.
 */
public final class EntryYamlEditor {

    /** The order keys are written in when a file is written afresh; other keys follow in their own order. */
    public static final List<String> KEY_ORDER = List.of(
            "name",
            "path",
            "proxy_pass_url",
            "transport",
            "description",
            "enabled",
            "tags",
            "license",
            "version",
            "owner",
            "homepage",
            "repository",
            "replicas",
            "forward_caller_token",
            "upstream_headers");

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9 _.\\-/@+]*");
    private static final Pattern RESERVED_PLAIN =
            Pattern.compile("(?i)true|false|null|yes|no|on|off|[-+]?(\\.inf|\\.nan)|[-+]?[0-9].*|.*\\s");

    private final SafeYamlReader reader = new SafeYamlReader();

    /** A new entry file holding {@code entry}, with a comment line first when one is given. */
    public byte[] create(ObjectNode entry, String headerComment) {
        StringBuilder text = new StringBuilder();
        if (headerComment != null && !headerComment.isBlank()) {
            headerComment.lines().forEach(line -> text.append("# ").append(line).append('\n'));
        }
        for (String key : ordered(entry)) {
            text.append(key).append(": ").append(flow(entry.get(key))).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code original} with the top-level keys in {@code changes} set (a null value removes the key).
     *
     * @throws YamlSyntaxException when the original cannot be read
     */
    public byte[] update(byte[] original, Map<String, JsonNode> changes) throws YamlSyntaxException {
        YamlDocument document = reader.read(original);
        if (!document.root().isObject()) {
            throw new YamlSyntaxException(Position.START, "the file is not a mapping of keys to values");
        }
        ObjectNode wanted = ((ObjectNode) document.root()).deepCopy();
        changes.forEach((key, value) -> {
            if (value == null) {
                wanted.remove(key);
            } else {
                wanted.set(key, value);
            }
        });
        String text = new String(original, StandardCharsets.UTF_8);
        String edited = editLines(text, document, changes);
        if (edited != null && meansExactly(edited, wanted)) {
            return edited.getBytes(StandardCharsets.UTF_8);
        }
        return create(wanted, leadingComment(text));
    }

    private String editLines(String text, YamlDocument document, Map<String, JsonNode> changes) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        Map<Integer, String> keyAtLine = new LinkedHashMap<>();
        for (var property : document.root().properties()) {
            Position key = document.keyPositions().get(JsonPointers.child("", property.getKey()));
            if (key == null || key.column() != 1) {
                return null;
            }
            keyAtLine.put(key.line() - 1, property.getKey());
        }
        List<String> appended = new ArrayList<>();
        Map<Integer, String> replaced = new LinkedHashMap<>();
        java.util.Set<Integer> removed = new java.util.HashSet<>();
        for (var change : changes.entrySet()) {
            Integer start = keyAtLine.entrySet().stream()
                    .filter(e -> e.getValue().equals(change.getKey()))
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse(null);
            String line = change.getValue() == null ? null : change.getKey() + ": " + flow(change.getValue());
            if (start == null) {
                if (line != null) {
                    appended.add(line);
                }
                continue;
            }
            int end = blockEnd(lines, start);
            for (int i = start; i < end; i++) {
                removed.add(i);
            }
            if (line != null) {
                replaced.put(start, line);
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (replaced.containsKey(i)) {
                out.append(replaced.get(i)).append('\n');
            } else if (!removed.contains(i)) {
                out.append(lines.get(i)).append('\n');
            }
        }
        appended.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    /** The line after a top-level key's block: its value continues on indented lines (blank lines inside). */
    private static int blockEnd(List<String> lines, int start) {
        int end = start + 1;
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith(" ") || line.startsWith("\t")) {
                end = i + 1;
            } else if (!line.isBlank()) {
                break;
            }
        }
        return end;
    }

    private boolean meansExactly(String text, ObjectNode wanted) {
        try {
            return reader.read(text.getBytes(StandardCharsets.UTF_8)).root().equals(wanted);
        } catch (YamlSyntaxException e) {
            return false;
        }
    }

    private static String leadingComment(String text) {
        StringBuilder comment = new StringBuilder();
        for (String line : text.lines().toList()) {
            if (!line.startsWith("#")) {
                break;
            }
            comment.append(line.replaceFirst("^# ?", "")).append('\n');
        }
        return comment.toString();
    }

    private static List<String> ordered(ObjectNode entry) {
        List<String> keys = new ArrayList<>();
        KEY_ORDER.stream().filter(entry::has).forEach(keys::add);
        entry.propertyNames().stream().filter(key -> !keys.contains(key)).forEach(keys::add);
        return keys;
    }

    /** One value on one line, in YAML's flow style; strings are plain only when nothing could misread them. */
    static String flow(JsonNode value) {
        if (value.isObject()) {
            List<String> parts = new ArrayList<>();
            value.properties().forEach(p -> parts.add(scalar(p.getKey()) + ": " + flow(p.getValue())));
            return "{" + String.join(", ", parts) + "}";
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(item -> parts.add(flow(item)));
            return "[" + String.join(", ", parts) + "]";
        }
        if (value.isString()) {
            return scalar(value.asString());
        }
        return value.toString();
    }

    private static String scalar(String text) {
        if (PLAIN.matcher(text).matches() && !RESERVED_PLAIN.matcher(text).matches()) {
            return text;
        }
        // A JSON string is a valid YAML double-quoted scalar.
        return JSON.writeValueAsString(text);
    }
}
