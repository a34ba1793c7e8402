package dev.mcpgw.core.access;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rules of {@code access.yaml}: what each group may do. Default deny - a server, tool or operation no group
 * of the caller is granted is refused (administrators are not subject to it; the runtime decides who they are).
 */
public record AccessPolicy(Map<String, Group> groups) {

    /** No rules at all: only administrators may do anything. */
    public static final AccessPolicy DENY_ALL = new AccessPolicy(Map.of());

    /** Any server id. */
    public static final String EVERY_SERVER = "*";

    public AccessPolicy {
        groups = Map.copyOf(groups);
    }

    /**
     * The registry's management operations. {@link #CREDENTIALS} is what lets a change touch the fields that make
     * the gateway act with its own authority (see {@link dev.mcpgw.core.model.ServerEntry#CREDENTIAL_FIELDS});
     * no other operation implies it.
     */
    public enum Operation {
        REGISTER,
        TOGGLE,
        EDIT,
        DELETE,
        REFRESH,
        CREDENTIALS;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What one group may do: per server (or {@link #EVERY_SERVER}) the tools it may list and call. */
    public record Group(String name, String description, Map<String, ToolGrant> servers, Set<Operation> registry) {
        public Group {
            servers = Map.copyOf(servers);
            registry = Set.copyOf(registry);
        }
    }

    /** Every tool of a server, or the tools named. */
    public record ToolGrant(boolean everyTool, Set<String> tools) {
        public ToolGrant {
            tools = Set.copyOf(tools);
        }

        public boolean allows(String tool) {
            return everyTool || tools.contains(tool);
        }
    }

    /** Whether any of {@code callerGroups} may reach server {@code id} at all. */
    public boolean mayReach(Set<String> callerGroups, String id) {
        return grants(callerGroups, id).findAny().isPresent();
    }

    /** Whether any of {@code callerGroups} may call (and list) {@code tool} of server {@code id}. */
    public boolean mayCall(Set<String> callerGroups, String id, String tool) {
        return grants(callerGroups, id).anyMatch(grant -> grant.allows(tool));
    }

    /**
     * The tools of server {@code id} that {@code callerGroups} may list and call, or empty when a grant covers
     * every tool (and also when none reaches the server at all: {@link #mayReach} answers that).
     */
    public java.util.Optional<Set<String>> toolLimit(Set<String> callerGroups, String id) {
        java.util.List<ToolGrant> reaching = grants(callerGroups, id).toList();
        if (reaching.isEmpty() || reaching.stream().anyMatch(ToolGrant::everyTool)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(reaching.stream()
                .flatMap(grant -> grant.tools().stream())
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
    }

    public boolean mayUse(Set<String> callerGroups, Operation operation) {
        return callerGroups.stream()
                .map(groups::get)
                .anyMatch(group -> group != null && group.registry().contains(operation));
    }

    private java.util.stream.Stream<ToolGrant> grants(Set<String> callerGroups, String id) {
        return callerGroups.stream()
                .map(groups::get)
                .filter(java.util.Objects::nonNull)
                .flatMap(group -> java.util.stream.Stream.of(
                        group.servers().get(id), group.servers().get(EVERY_SERVER)))
                .filter(java.util.Objects::nonNull);
    }
}
