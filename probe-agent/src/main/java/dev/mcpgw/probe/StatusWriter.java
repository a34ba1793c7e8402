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
    /** The largest status file one server gets (its tools, schemas and all). */
    public static final int MAX_STATUS_BYTES = 512 * 1024;

    private static final int MAX_MESSAGE_LINES = 200;
    /** The shortest time between two recorded changes of one server's tools. */
    public static final Duration TOOL_CHANGE_INTERVAL = Duration.ofMinutes(10);

    /** @param remote the remote to push the branch to after each commit, or null to keep it local */
    public StatusWriter(GitStore store, String branch, Duration heartbeat, String remote) {
        this.store = store;
        this.branch = branch;
        this.heartbeat = heartbeat;
        this.remote = remote;
    }

    /**
     * What one write did: the commit (if any), one line per change for the log, and each observed server's
     * status as recorded (tool churn held back, size bounded) - what readers of the branch will see.
     */
    public record Written(boolean committed, List<String> changes, Map<String, ServerStatus> recorded) {}

    /**
     * @param registered ids listed in servers/ of the config branch (probed or not): others are removed
     */
    public Written write(Collection<ServerStatus> observed, Set<String> registered, String revision)
            throws IOException {
        List<String> changes = new ArrayList<>();
        Map<String, ServerStatus> recorded = new LinkedHashMap<>();
        GitStore.ChangeFunction change = snapshot -> {
            changes.clear();
            recorded.clear();
            return edits(snapshot, observed, registered, revision, changes, recorded);
        };
        GitStore.CommitOutcome outcome = remote == null
                ? store.commit(branch, change, AUTHOR)
                : store.commitAndPush(remote, branch, change, AUTHOR);
        return new Written(outcome.changed(), List.copyOf(changes), Map.copyOf(recorded));
    }

    private GitStore.Change edits(
            GitStore.Snapshot snapshot,
            Collection<ServerStatus> observed,
            Set<String> registered,
            String revision,
            List<String> changes,
            Map<String, ServerStatus> recorded)
            throws IOException {
        Map<String, byte[]> current = snapshot.files("servers");
        // An unreadable previous file has no history to carry: the new observation replaces it.
        StatusFiles previousStatuses = StatusFiles.read(current);
        Map<String, byte[]> edits = new LinkedHashMap<>();
        for (ServerStatus next : observed) {
            String path = StatusJson.path(next.id());
            ServerStatus previous = previousStatuses.byId().get(next.id());
            ServerStatus withHistory = bounded(steadied(previous, next.withHistory(previous)));
            recorded.put(next.id(), withHistory);
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

    /**
     * A server whose tools keep changing costs one tool change per {@link #TOOL_CHANGE_INTERVAL}: a change
     * within it of the last one waits (the previous list stays recorded) and the list as it is then is recorded
     * once the interval has passed. Health and everything else are recorded at once.
     */
    static ServerStatus steadied(ServerStatus previous, ServerStatus next) {
        if (previous == null
                || previous.lastToolChange() == null
                || next.tools().equals(previous.tools())
                || next.health() != dev.mcpgw.core.status.Health.HEALTHY
                || previous.health() != dev.mcpgw.core.status.Health.HEALTHY
                || !next.checkedAt().isBefore(previous.lastToolChange().at().plus(TOOL_CHANGE_INTERVAL))) {
            return next;
        }
        return next.toBuilder()
                .tools(previous.tools(), previous.toolsTruncated())
                .lastToolChange(previous.lastToolChange())
                .build();
    }

    /**
     * A status no larger than {@link #MAX_STATUS_BYTES}: past it the tools' input schemas go, then tools from the
     * end of the list (marked truncated), so one server cannot make every status commit megabytes large.
     */
    static ServerStatus bounded(ServerStatus status) {
        if (StatusJson.write(status).length <= MAX_STATUS_BYTES) {
            return status;
        }
        List<dev.mcpgw.core.status.ToolInfo> names = status.tools().stream()
                .map(tool -> new dev.mcpgw.core.status.ToolInfo(
                        tool.name(),
                        tool.description(),
                        tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()))
                .toList();
        ServerStatus lighter = status.toBuilder().tools(names, true).build();
        int keep = names.size();
        while (keep > 0 && StatusJson.write(lighter).length > MAX_STATUS_BYTES) {
            keep = keep * 3 / 4;
            lighter = status.toBuilder().tools(names.subList(0, keep), true).build();
        }
        return lighter;
    }

    private boolean heartbeatDue(ServerStatus previous, ServerStatus next) {
        return previous != null
                && !heartbeat.isZero()
                && Duration.between(previous.checkedAt(), next.checkedAt()).compareTo(heartbeat) >= 0;
    }

    /** "x: healthy → unreachable (connection refused)", "x: tools added a; removed b", "x: new, healthy". */
    static String describe(ServerStatus before, ServerStatus after) {
        String id = after.id();
        String now = after.health().jsonName() + (after.error() == null ? "" : " (" + upstream(after.error()) + ")");
        if (before == null) {
            return id + ": first seen, " + now + toolCount(after);
        }
        List<String> parts = new ArrayList<>();
        if (before.health() != after.health()) {
            parts.add(before.health().jsonName() + " → " + now);
        } else if (!java.util.Objects.equals(before.errorKind(), after.errorKind())) {
            parts.add("still " + now + ", was: " + upstream(before.error()));
        }
        ToolChange change = after.lastToolChange();
        if (change != null && change != before.lastToolChange() && !change.equals(before.lastToolChange())) {
            parts.add("tools " + change.summary());
        }
        if (!java.util.Objects.equals(before.serverName(), after.serverName())
                || !java.util.Objects.equals(before.serverVersion(), after.serverVersion())) {
            parts.add("server " + upstream(after.serverName()) + " " + upstream(after.serverVersion()));
        }
        if (!java.util.Objects.equals(before.protocolVersion(), after.protocolVersion())) {
            parts.add("protocol " + upstream(after.protocolVersion()));
        }
        return id + ": " + (parts.isEmpty() ? "tools " + after.tools().size() : String.join("; ", parts));
    }

    /** Text an upstream chose (its name, version, error text), as one escaped line of at most 200 characters. */
    private static String upstream(String text) {
        if (text == null) {
            return "null";
        }
        String cut = text.length() > 200 ? text.substring(0, 200) + "…" : text;
        return dev.mcpgw.core.text.UnsafeCharacters.oneLine(cut);
    }

    private static String toolCount(ServerStatus status) {
        return status.tools().isEmpty() ? "" : ", " + status.tools().size() + " tools";
    }

    private static String message(List<String> changes, String revision) {
        String at = revision == null ? "" : " (config " + revision.substring(0, Math.min(12, revision.length())) + ")";
        if (changes.isEmpty()) {
            return "probe: heartbeat" + at + "\n";
        }
        StringBuilder message = new StringBuilder(
                        changes.size() == 1
                                ? "probe: " + changes.get(0)
                                : "probe: " + changes.size() + " servers changed")
                .append(at)
                .append("\n\n");
        changes.stream()
                .limit(MAX_MESSAGE_LINES)
                .forEach(change -> message.append("- ").append(change).append('\n'));
        if (changes.size() > MAX_MESSAGE_LINES) {
            message.append("- and ").append(changes.size() - MAX_MESSAGE_LINES).append(" more\n");
        }
        return message.toString();
    }
}
