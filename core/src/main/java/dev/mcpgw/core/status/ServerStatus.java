package dev.mcpgw.core.status;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the probe observed of one server (contract 3), as stored in {@code servers/<id>.json} on the status
 * branch. Optional values are null when unknown.
 *
 * @param errorKind        a stable machine word for the error ({@code connection_refused}, {@code timeout}, ...)
 * @param observedRevision the config-branch commit the probe worked from
 * @param toolsTruncated   the server listed more tools than the probe keeps
 * @param lastToolChange   the most recent change of the tool list, or null if none was seen
 * @param healthSince      since when the server has had this health (the check that first saw it)
 */
public record ServerStatus(
        String id,
        Health health,
        String error,
        String errorKind,
        Instant checkedAt,
        Long latencyMs,
        String serverName,
        String serverVersion,
        String protocolVersion,
        String observedRevision,
        List<ToolInfo> tools,
        boolean toolsTruncated,
        ToolChange lastToolChange,
        Instant healthSince) {

    public ServerStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(checkedAt, "checkedAt");
        tools = List.copyOf(tools);
        healthSince = healthSince == null ? checkedAt : healthSince;
    }

    /** A fresh observation: its health starts at this check. */
    public ServerStatus(String id, Health health, String error, String errorKind, Instant checkedAt, Long latencyMs,
                        String serverName, String serverVersion, String protocolVersion, String observedRevision,
                        List<ToolInfo> tools, boolean toolsTruncated, ToolChange lastToolChange) {
        this(id, health, error, errorKind, checkedAt, latencyMs, serverName, serverVersion, protocolVersion,
                observedRevision, tools, toolsTruncated, lastToolChange, checkedAt);
    }

    /**
     * Whether a person would care about the difference: health, the kind of error, server identity, protocol
     * or tools. Check times, latencies and error wording are not reasons to write history.
     */
    public boolean differsMeaningfullyFrom(ServerStatus other) {
        return other == null
                || health != other.health
                || !Objects.equals(errorKind, other.errorKind)
                || !Objects.equals(serverName, other.serverName)
                || !Objects.equals(serverVersion, other.serverVersion)
                || !Objects.equals(protocolVersion, other.protocolVersion)
                || toolsTruncated != other.toolsTruncated
                || !tools.equals(other.tools);
    }

    /**
     * This status carrying its history from {@code previous}: the tool change since then (or the previous
     * change if none), and since when the health has been the same.
     */
    public ServerStatus withHistory(ServerStatus previous) {
        ToolChange change = previous == null ? null
                : health == Health.HEALTHY && previous.health == Health.HEALTHY
                        ? ToolChange.between(previous.tools, tools, checkedAt) : null;
        ToolChange kept = change != null ? change : previous == null ? null : previous.lastToolChange;
        Instant since = previous != null && previous.health == health ? previous.healthSince : checkedAt;
        return new ServerStatus(id, health, error, errorKind, checkedAt, latencyMs, serverName, serverVersion,
                protocolVersion, observedRevision, tools, toolsTruncated, kept, since);
    }
}
