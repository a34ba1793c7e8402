package dev.mcpgw.discovery;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.StatusJson;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;

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
            tools.add(new ToolDocument(entry.id().value(), entry.name(), entry.description(), entry.tags(),
                    tool.name(), tool.description(), tool.inputSchema()));
        }
        return tools;
    }

    /** Every enabled server's tools, from the entries on {@code configBranch} and the statuses on {@code statusBranch}. */
    public static Map<String, List<ToolDocument>> fromGit(GitStore store, String configBranch, String statusBranch)
            throws IOException {
        ObjectId config = store.tip(configBranch).orElseThrow(() -> new IOException("branch " + configBranch
                + " does not exist in " + store.repository().getDirectory()));
        List<ServerEntry> entries = RegistryValidator.create()
                .validate(SourceFile.entryFiles(store.files(config, "servers"))).entries();
        Map<String, ServerStatus> statuses = new HashMap<>();
        ObjectId status = store.tip(statusBranch).orElse(null);
        if (status != null) {
            for (byte[] json : store.files(status, "servers").values()) {
                try {
                    ServerStatus read = StatusJson.read(json);
                    statuses.put(read.id(), read);
                } catch (RuntimeException unreadable) {
                    // a damaged status file lists no tools; the probe rewrites it
                }
            }
        }
        Map<String, List<ToolDocument>> byServer = new LinkedHashMap<>();
        for (ServerEntry entry : entries) {
            List<ToolDocument> tools = of(entry, statuses.get(entry.id().value()));
            if (!tools.isEmpty()) {
                byServer.put(entry.id().value(), tools);
            }
        }
        return byServer;
    }
}
