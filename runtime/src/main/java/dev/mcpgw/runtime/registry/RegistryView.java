package dev.mcpgw.runtime.registry;

import dev.mcpgw.core.access.AccessPolicy;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.registry.RegistryReader;
import dev.mcpgw.core.registry.RegistryRevision;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.validation.FileResult;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.runtime.auth.Principal;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.lib.ObjectId;
import tools.jackson.databind.JsonNode;

/**
 * The registry as the config branch holds it now, validated, kept in memory and reloaded when the branch
 * moves: by this runtime's own commits or by anyone else's (a merged pull request). Readers never wait for
 * a reload; they see the previous snapshot until the new one is complete.
 */
public final class RegistryView {

    /** One file of servers/: its entry when valid, and the tree it was read as (for details). */
    public record Registered(String id, String file, ServerEntry entry, JsonNode document) {
        public boolean valid() {
            return entry != null;
        }
    }

    /**
     * One revision of the registry; {@code servers} is keyed by id in id order. {@code access} is the policy of
     * access.yaml, null when the branch has none (then anyone signed in may read, administrators change); an
     * access.yaml with problems denies everything but administrators until it is fixed.
     */
    public record Snapshot(
            ObjectId revision, Map<String, Registered> servers, List<String> problems, AccessPolicy access) {

        /** Whether {@code who} (null: an anonymous caller) may see server {@code id}. */
        public boolean maySee(Principal who, String id) {
            return access == null || who != null && (who.isAdmin() || access.mayReach(who.groups(), id));
        }

        /**
         * Narrows a search's server filter to what {@code who} may see; empty when nothing the query asks for is
         * visible (the caller should then answer with no results).
         */
        public java.util.Optional<java.util.Set<String>> visibleServers(Principal who, java.util.Set<String> asked) {
            if (access == null || who != null && who.isAdmin()) {
                return java.util.Optional.of(asked);
            }
            java.util.Set<String> visible = new java.util.TreeSet<>();
            for (String id : asked.isEmpty() ? servers.keySet() : asked) {
                if (maySee(who, id)) {
                    visible.add(id);
                }
            }
            return visible.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(visible);
        }

        /** The tools of {@code id} that {@code who} may call, or empty when it may call every tool it can see. */
        public Optional<java.util.Set<String>> toolLimit(Principal who, String id) {
            return access == null || who == null || who.isAdmin()
                    ? Optional.empty()
                    : access.toolLimit(who.groups(), id);
        }

        /**
         * {@code status} as {@code who} may see it: only the tools it may call (every read path shows no other).
         * Null stays null.
         */
        public ServerStatus callable(Principal who, ServerStatus status) {
            if (status == null) {
                return null;
            }
            return toolLimit(who, status.id())
                    .map(tools -> status.toBuilder()
                            .tools(
                                    status.tools().stream()
                                            .filter(tool -> tools.contains(tool.name()))
                                            .toList(),
                                    status.toolsTruncated())
                            .build())
                    .orElse(status);
        }

        /** Whether {@code who} may see and call tool {@code tool} of server {@code id}. */
        public boolean mayCall(Principal who, String id, String tool) {
            return maySee(who, id)
                    && toolLimit(who, id).map(tools -> tools.contains(tool)).orElse(true);
        }

        /** Whether {@code who} may use a management operation; without access.yaml anyone signed in may refresh. */
        public boolean mayUse(Principal who, AccessPolicy.Operation operation) {
            return who.isAdmin()
                    || (access == null
                            ? operation == AccessPolicy.Operation.REFRESH
                            : access.mayUse(who.groups(), operation));
        }

        public Optional<Registered> server(String id) {
            return Optional.ofNullable(servers.get(id));
        }

        public List<ServerEntry> entries() {
            return servers.values().stream()
                    .filter(Registered::valid)
                    .map(Registered::entry)
                    .toList();
        }
    }

    private final GitStore store;
    private final String branch;
    private final RegistryReader reader;
    /** The last snapshot's servers by the reader's result for their file (refresh only). */
    private Map<FileResult, Registered> registeredBy = new java.util.IdentityHashMap<>();

    private final AtomicReference<Snapshot> current =
            new AtomicReference<>(new Snapshot(null, Map.of(), List.of(), null));

    public RegistryView(GitStore store, String branch, RegistryValidator validator) {
        this.store = store;
        this.branch = branch;
        this.reader = new RegistryReader(store, validator);
    }

    public Snapshot current() {
        return current.get();
    }

    /** Reloads when the branch moved; true when it did. */
    public synchronized boolean refresh() throws IOException {
        ObjectId tip = store.tip(branch).orElse(null);
        if (tip == null
                ? current.get().revision() == null
                : tip.equals(current.get().revision())) {
            return false;
        }
        current.set(tip == null ? new Snapshot(null, Map.of(), List.of(), null) : snapshot(reader.read(tip)));
        return true;
    }

    /**
     * The snapshot of {@code registry}. A file that did not change since the last snapshot keeps its
     * {@link Registered} object (the reader keeps the results of unchanged files), so that those who follow the
     * registry tell what changed by reference, and a change costs no work per unchanged file but a map entry.
     */
    private Snapshot snapshot(RegistryRevision registry) {
        Map<FileResult, Registered> next =
                new java.util.IdentityHashMap<>(registry.report().files().size() * 2);
        Map<String, Registered> servers = new TreeMap<>();
        for (FileResult file : registry.report().files()) {
            Registered server = registeredBy.get(file);
            if (server == null) {
                String id = SourceFile.idFromName(file.file());
                server = new Registered(
                        id,
                        file.file(),
                        file.entry(),
                        file.document() == null ? null : file.document().root());
            }
            next.put(file, server);
            servers.put(server.id(), server);
        }
        registeredBy = next;
        return new Snapshot(
                registry.revision(),
                java.util.Collections.unmodifiableMap(servers),
                registry.problems(),
                registry.access());
    }
}
