package dev.mcpgw.probe;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.StatusFiles;
import dev.mcpgw.core.status.StatusJson;
import dev.mcpgw.core.status.ToolChange;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Writes a round's observations to the status branch: one commit, and only when something a person cares
 * about changed (or the heartbeat is due); statuses of servers no longer registered are removed.
 */
public final class StatusWriter {

    static final PersonIdent AUTHOR = new PersonIdent("mcpgw probe", "probe@mcpgw.invalid");


    private final GitStore store;
    private final String branch;
    private final Duration heartbeat;
    private final String remote;

    /** @param remote the remote to push the branch to after each commit, or null to keep it local */
    public StatusWriter(GitStore store, String branch, Duration heartbeat, String remote) {
        this.store = store;
        this.branch = branch;
        this.heartbeat = heartbeat;
        this.remote = remote;
    }

    /** What one write did: the commit (if any) and one line per change, for the log. */
    public record Written(boolean committed, List<String> changes) {}

    /**
     * @param registered ids listed in servers/ of the config branch (probed or not): others are removed
     */
    public Written write(Collection<ServerStatus> observed, Set<String> registered, String revision) throws IOException {
        List<String> changes = new ArrayList<>();
        GitStore.ChangeFunction change = snapshot -> {
            changes.clear();
            return edits(snapshot, observed, registered, revision, changes);
        };
        GitStore.CommitOutcome outcome = remote == null
                ? store.commit(branch, change, AUTHOR)
                : store.commitAndPush(remote, branch, change, AUTHOR);
        return new Written(outcome.changed(), List.copyOf(changes));
    }

    private GitStore.Change edits(GitStore.Snapshot snapshot, Collection<ServerStatus> observed,
                                  Set<String> registered, String revision, List<String> changes) throws IOException {
        Map<String, byte[]> current = snapshot.files("servers");
        // An unreadable previous file has no history to carry: the new observation replaces it.
        StatusFiles previousStatuses = StatusFiles.read(current);
        Map<String, byte[]> edits = new LinkedHashMap<>();
        for (ServerStatus next : observed) {
            String path = StatusJson.path(next.id());
            ServerStatus previous = previousStatuses.byId().get(next.id());
            ServerStatus withHistory = next.withHistory(previous);
            if (withHistory.differsMeaningfullyFrom(previous)) {
                changes.add(describe(previous, withHistory));
                edits.put(path, StatusJson.write(withHistory));
            } else if (heartbeatDue(previous, next)) {
                edits.put(path, StatusJson.write(withHistory));
            }
        }
        for (String path : current.keySet()) {
            String id = StatusFiles.idOf(path).orElse(null);
            if (path.endsWith(".json") && (id == null || !registered.contains(id))) {
                changes.add((id == null ? path : id) + ": removed from the registry");
                edits.put(path, null);
            }
        }
        return new GitStore.Change(edits, message(changes, revision));
    }

    private boolean heartbeatDue(ServerStatus previous, ServerStatus next) {
        return previous != null && !heartbeat.isZero()
                && Duration.between(previous.checkedAt(), next.checkedAt()).compareTo(heartbeat) >= 0;
    }

    /** "x: healthy → unreachable (connection refused)", "x: tools added a; removed b", "x: new, healthy". */
    static String describe(ServerStatus before, ServerStatus after) {
        String id = after.id();
        String now = after.health().jsonName() + (after.error() == null ? "" : " (" + after.error() + ")");
        if (before == null) {
            return id + ": first seen, " + now + toolCount(after);
        }
        List<String> parts = new ArrayList<>();
        if (before.health() != after.health()) {
            parts.add(before.health().jsonName() + " → " + now);
        } else if (!java.util.Objects.equals(before.errorKind(), after.errorKind())) {
            parts.add("still " + now + ", was: " + before.error());
        }
        ToolChange change = after.lastToolChange();
        if (change != null && change != before.lastToolChange() && !change.equals(before.lastToolChange())) {
            parts.add("tools " + change.summary());
        }
        if (!java.util.Objects.equals(before.serverName(), after.serverName())
                || !java.util.Objects.equals(before.serverVersion(), after.serverVersion())) {
            parts.add("server " + after.serverName() + " " + after.serverVersion());
        }
        if (!java.util.Objects.equals(before.protocolVersion(), after.protocolVersion())) {
            parts.add("protocol " + after.protocolVersion());
        }
        return id + ": " + (parts.isEmpty() ? "tools " + after.tools().size() : String.join("; ", parts));
    }

    private static String toolCount(ServerStatus status) {
        return status.tools().isEmpty() ? "" : ", " + status.tools().size() + " tools";
    }

    private static String message(List<String> changes, String revision) {
        String at = revision == null ? "" : " (config " + revision.substring(0, Math.min(12, revision.length())) + ")";
        if (changes.isEmpty()) {
            return "probe: heartbeat" + at + "\n";
        }
        StringBuilder message = new StringBuilder(changes.size() == 1 ? "probe: " + changes.get(0)
                : "probe: " + changes.size() + " servers changed").append(at).append("\n\n");
        changes.forEach(change -> message.append("- ").append(change).append('\n'));
        return message.toString();
    }
}
