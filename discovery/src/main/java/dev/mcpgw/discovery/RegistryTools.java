package dev.mcpgw.discovery;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.registry.RegistryReader;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.StatusFiles;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.core.validation.RegistryValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tools discovery indexes: those of every enabled server, as its latest status lists them. */
public final class RegistryTools {

    private RegistryTools() {}

    /** One server's tools as documents; none when it is disabled or has no status yet. */
    public static List<ToolDocument> of(ServerEntry entry, ServerStatus status) {
        if (!entry.enabled() || status == null) {
            return List.of();
        }
        List<ToolDocument> tools = new ArrayList<>();
        for (ToolInfo tool : status.tools()) {
            tools.add(new ToolDocument(
                    entry.id().value(),
                    entry.name(),
                    entry.description(),
                    entry.tags(),
                    tool.name(),
                    tool.description(),
                    tool.inputSchema()));
        }
        return tools;
    }

    /**
     * What search indexes from a repository: every enabled server's tools, from the entries on the config branch
     * and the statuses on the status branch, and the status files that could not be read (say so to the user:
     * their servers' tools are missing).
     */
    public record FromGit(Map<String, List<ToolDocument>> byServer, List<StatusFiles.Unreadable> unreadable) {}

    public static FromGit fromGit(GitStore store, String configBranch, String statusBranch) throws IOException {
        List<ServerEntry> entries = new RegistryReader(store, RegistryValidator.create())
                .readBranch(configBranch)
                .entries();
        StatusFiles statuses = StatusFiles.fromBranch(store, statusBranch);
        Map<String, List<ToolDocument>> byServer = new LinkedHashMap<>();
        for (ServerEntry entry : entries) {
            List<ToolDocument> tools = of(entry, statuses.byId().get(entry.id().value()));
            if (!tools.isEmpty()) {
                byServer.put(entry.id().value(), tools);
            }
        }
        return new FromGit(byServer, statuses.unreadable());
    }
}
