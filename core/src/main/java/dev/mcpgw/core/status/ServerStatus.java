package dev.mcpgw.core.status;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the probe observed of one server (contract 3), as stored in {@code servers/<id>.json} on the status
 * branch. Optional values are null when unknown. Build one with {@link #builder}; the canonical constructor is
 * for the builder and the JSON reader.
 *
 * @param protocolVersion  the protocol version the probe spoke with the server
 * @param protocolVersions every protocol version the server said it supports (empty when it named only one)
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
        List<String> protocolVersions,
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
        protocolVersions = protocolVersions == null ? List.of() : List.copyOf(protocolVersions);
        healthSince = healthSince == null ? checkedAt : healthSince;
    }

    /** A status of server {@code id} with health {@code health}, checked at {@code checkedAt}; the rest optional. */
    public static Builder builder(String id, Health health, Instant checkedAt) {
        return new Builder(id, health, checkedAt);
    }

    /** A builder holding every value of this status, to change some of them. */
    public Builder toBuilder() {
        return new Builder(id, health, checkedAt)
                .error(errorKind, error)
                .latencyMs(latencyMs)
                .serverInfo(serverName, serverVersion)
                .protocolVersion(protocolVersion)
                .protocolVersions(protocolVersions)
                .observedRevision(observedRevision)
                .tools(tools, toolsTruncated)
                .lastToolChange(lastToolChange)
                .healthSince(healthSince);
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
                || !protocolVersions.equals(other.protocolVersions)
                || toolsTruncated != other.toolsTruncated
                || !tools.equals(other.tools);
    }

    /**
     * This status carrying its history from {@code previous}: the tool change since then (or the previous
     * change if none), and since when the health has been the same.
     */
    public ServerStatus withHistory(ServerStatus previous) {
        ToolChange change = previous == null
                ? null
                : health == Health.HEALTHY && previous.health == Health.HEALTHY
                        ? ToolChange.between(previous.tools, tools, checkedAt)
                        : null;
        ToolChange kept = change != null ? change : previous == null ? null : previous.lastToolChange;
        Instant since = previous != null && previous.health == health ? previous.healthSince : checkedAt;
        return toBuilder().lastToolChange(kept).healthSince(since).build();
    }

    /** Builds a {@link ServerStatus}: id, health and check time first, then what is known. */
    public static final class Builder {
        private final String id;
        private final Health health;
        private final Instant checkedAt;
        private String error;
        private String errorKind;
        private Long latencyMs;
        private String serverName;
        private String serverVersion;
        private String protocolVersion;
        private List<String> protocolVersions = List.of();
        private String observedRevision;
        private List<ToolInfo> tools = List.of();
        private boolean toolsTruncated;
        private ToolChange lastToolChange;
        private Instant healthSince;

        private Builder(String id, Health health, Instant checkedAt) {
            this.id = id;
            this.health = health;
            this.checkedAt = checkedAt;
        }

        /** What went wrong: a stable machine word ({@code timeout}) and a sentence for people; either may be null. */
        public Builder error(String kind, String message) {
            this.errorKind = kind;
            this.error = message;
            return this;
        }

        public Builder latencyMs(Long latencyMs) {
            this.latencyMs = latencyMs;
            return this;
        }

        public Builder serverInfo(String name, String version) {
            this.serverName = name;
            this.serverVersion = version;
            return this;
        }

        public Builder protocolVersion(String protocolVersion) {
            this.protocolVersion = protocolVersion;
            return this;
        }

        /** Every protocol version the server said it supports, newest first as it listed them. */
        public Builder protocolVersions(List<String> protocolVersions) {
            this.protocolVersions = protocolVersions == null ? List.of() : protocolVersions;
            return this;
        }

        public Builder observedRevision(String observedRevision) {
            this.observedRevision = observedRevision;
            return this;
        }

        public Builder tools(List<ToolInfo> tools, boolean truncated) {
            this.tools = tools;
            this.toolsTruncated = truncated;
            return this;
        }

        public Builder lastToolChange(ToolChange lastToolChange) {
            this.lastToolChange = lastToolChange;
            return this;
        }

        /** Since when the server has had this health; null (the default) means since this check. */
        public Builder healthSince(Instant healthSince) {
            this.healthSince = healthSince;
            return this;
        }

        public ServerStatus build() {
            return new ServerStatus(
                    id,
                    health,
                    error,
                    errorKind,
                    checkedAt,
                    latencyMs,
                    serverName,
                    serverVersion,
                    protocolVersion,
                    protocolVersions,
                    observedRevision,
                    tools,
                    toolsTruncated,
                    lastToolChange,
                    healthSince);
        }
    }
}
