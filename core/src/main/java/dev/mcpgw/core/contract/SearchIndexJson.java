package dev.mcpgw.core.contract;

import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.ToolInfo;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code search-index.json}: what the website's search box searches, loaded on first use. Per server its own
 * words (id, name, description, tags) and each tool's name and description, lower-cased.
 */
public record SearchIndexJson(List<Server> servers) {

    public record Server(String id, String text, List<Tool> tools) {}

    public record Tool(String name, String text) {}

    public static SearchIndexJson of(List<ServerEntry> entries, Map<String, ServerStatus> statuses) {
        return new SearchIndexJson(entries.stream()
                .map(entry -> {
                    ServerStatus status = statuses.get(entry.id().value());
                    List<ToolInfo> tools = status == null ? List.of() : status.tools();
                    return new Server(
                            entry.id().value(),
                            serverText(entry),
                            tools.stream()
                                    .map(tool -> new Tool(
                                            tool.name(),
                                            (tool.name().replace('_', ' ') + " " + tool.name() + " "
                                                            + tool.description())
                                                    .toLowerCase(Locale.ROOT)))
                                    .toList());
                })
                .toList());
    }

    /** A server's own words as the search box matches them. */
    public static String serverText(ServerEntry entry) {
        return (entry.id().value() + " " + entry.name() + " " + entry.description() + " "
                        + String.join(" ", entry.tags()))
                .toLowerCase(Locale.ROOT);
    }
}
