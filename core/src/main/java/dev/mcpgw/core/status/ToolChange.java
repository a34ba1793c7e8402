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
        List<String> added = now.keySet().stream().filter(name -> !old.containsKey(name)).toList();
        List<String> removed = old.keySet().stream().filter(name -> !now.containsKey(name)).toList();
        List<String> changed = now.keySet().stream()
                .filter(name -> old.containsKey(name) && !old.get(name).equals(now.get(name))).toList();
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty() ? null
                : new ToolChange(at, added, removed, changed);
    }

    /** "added a, b; removed c; changed d". */
    public String summary() {
        List<String> parts = new java.util.ArrayList<>();
        if (!added.isEmpty()) {
            parts.add("added " + String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            parts.add("removed " + String.join(", ", removed));
        }
        if (!changed.isEmpty()) {
            parts.add("changed " + String.join(", ", changed));
        }
        return String.join("; ", parts);
    }
}
