package dev.mcpgw.core.status;

import java.time.Instant;
import java.util.List;

/** How a server's tool list last changed, and when: kept until the next change. */
public record ToolChange(Instant at, List<String> added, List<String> removed, List<String> changed) {

    public ToolChange {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    /** The difference from {@code before} to {@code after}, or null when the lists are equal. */
    public static ToolChange between(List<ToolInfo> before, List<ToolInfo> after, Instant at) {
        java.util.Map<String, ToolInfo> old = new java.util.TreeMap<>();
        before.forEach(tool -> old.put(tool.name(), tool));
        java.util.Map<String, ToolInfo> now = new java.util.TreeMap<>();
        after.forEach(tool -> now.put(tool.name(), tool));
        List<String> added =
                now.keySet().stream().filter(name -> !old.containsKey(name)).toList();
        List<String> removed =
                old.keySet().stream().filter(name -> !now.containsKey(name)).toList();
        List<String> changed = now.keySet().stream()
                .filter(name -> old.containsKey(name) && !old.get(name).equals(now.get(name)))
                .toList();
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty()
                ? null
                : new ToolChange(at, added, removed, changed);
    }

    /** The names MCP allows a tool (2025-11-25): letters, digits, '_', '-' and '.', 1 to 128 of them. */
    private static final java.util.regex.Pattern MCP_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    /** Names listed per kind in a summary; the rest are counted. */
    static final int SHOWN = 10;

    /**
     * "added a, b; removed c; changed d", for logs and commit messages: at most {@value #SHOWN} names of each kind
     * (then "and 1990 more"), and a name outside MCP's alphabet quoted with its unsafe characters escaped, so a
     * server cannot write lines of its own into either.
     */
    public String summary() {
        List<String> parts = new java.util.ArrayList<>();
        if (!added.isEmpty()) {
            parts.add("added " + names(added));
        }
        if (!removed.isEmpty()) {
            parts.add("removed " + names(removed));
        }
        if (!changed.isEmpty()) {
            parts.add("changed " + names(changed));
        }
        return String.join("; ", parts);
    }

    private static String names(List<String> names) {
        List<String> shown = names.stream().limit(SHOWN).map(ToolChange::shown).toList();
        return String.join(", ", shown) + (names.size() > SHOWN ? " and " + (names.size() - SHOWN) + " more" : "");
    }

    /** A tool name as a log shows it: as is when MCP allows it, else quoted and escaped (and at most 64 long). */
    public static String shown(String name) {
        if (MCP_NAME.matcher(name).matches()) {
            return name;
        }
        String cut = name.codePointCount(0, name.length()) > 64
                ? name.substring(0, name.offsetByCodePoints(0, 64)) + "…"
                : name;
        return "\"" + dev.mcpgw.core.text.UnsafeCharacters.oneLine(cut).replace("\"", "\\\"") + "\"";
    }
}
