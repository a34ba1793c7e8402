package dev.mcpgw.runtime.search;

import dev.mcpgw.core.concurrent.DaemonThreads;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.discovery.RegistryTools;
import dev.mcpgw.discovery.SearchHit;
import dev.mcpgw.discovery.SearchQuery;
import dev.mcpgw.discovery.ToolDocument;
import dev.mcpgw.discovery.ToolIndex;
import dev.mcpgw.discovery.Tuning;
import dev.mcpgw.runtime.auth.Principal;
import dev.mcpgw.runtime.registry.RegistryView;
import dev.mcpgw.runtime.service.RegistryException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's tool discovery: the index over every enabled server's tools, kept in step with the registry
 * and the observed status. The model loads in the background at start; changes are applied on one thread,
 * coalesced, and only servers whose tools changed are re-indexed.
 */
public final class ToolSearch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ToolSearch.class);

    /** What the index is built from: the valid entries and the latest status of each (by id). */
    public record Source(List<ServerEntry> entries, Map<String, ServerStatus> statuses) {}

    private final ExecutorService worker = Executors.newSingleThreadExecutor(DaemonThreads.named("mcpgw-search-index"));
    private final Supplier<Source> source;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Map<String, List<ToolDocument>> indexed = new HashMap<>();
    private volatile ToolIndex index;

    private final boolean on;

    /** @param on false for a runtime without search ({@code serve --no-search}): no model is loaded */
    public ToolSearch(boolean on, Supplier<Source> source) {
        this.on = on;
        this.source = source;
        if (!on) {
            return;
        }
        worker.execute(() -> {
            ToolIndex loaded = ToolIndex.withDefaultModel(Tuning.DEFAULT);
            LOG.info("tool search: {}", loaded.status());
            index = loaded;
        });
        changed();
    }

    /** The registry or the status changed: bring the index up to date soon (changes arriving meanwhile share it). */
    public void changed() {
        if (on && pending.compareAndSet(false, true)) {
            worker.execute(this::catchUp);
        }
    }

    private void catchUp() {
        pending.set(false);
        try {
            Source now = source.get();
            Map<String, List<ToolDocument>> wanted = new HashMap<>();
            for (ServerEntry entry : now.entries()) {
                List<ToolDocument> tools =
                        RegistryTools.of(entry, now.statuses().get(entry.id().value()));
                if (!tools.isEmpty()) {
                    wanted.put(entry.id().value(), tools);
                }
            }
            wanted.forEach((id, tools) -> {
                if (!tools.equals(indexed.get(id))) {
                    index.update(id, tools);
                    indexed.put(id, tools);
                }
            });
            for (String gone : List.copyOf(indexed.keySet())) {
                if (!wanted.containsKey(gone)) {
                    index.update(gone, List.of());
                    indexed.remove(gone);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("tool search: updating the index failed: {}", e.getMessage());
        }
    }

    /** "hybrid: …" or "lexical only: why", or that the index is still loading. */
    public String status() {
        ToolIndex current = index;
        return !on ? "off" : current == null ? "loading" : current.status();
    }

    public List<SearchHit> search(SearchQuery query) {
        return search(query, tool -> true);
    }

    private List<SearchHit> search(SearchQuery query, java.util.function.Predicate<ToolDocument> allowed) {
        ToolIndex current = index;
        if (!on) {
            throw new RegistryException(
                    RegistryException.Reason.SEARCH_OFF, "tool search is off in this runtime (serve --no-search)");
        }
        if (current == null) {
            throw new RegistryException(
                    RegistryException.Reason.SEARCH_LOADING,
                    "the search index is still loading; try again in a second");
        }
        return current.search(query, allowed);
    }

    /**
     * A search limited to the servers and tools {@code who} (null: anonymous) may see and call under the
     * registry's access rules: the others are left out before scoring, so the answer - its order and its scores -
     * is what it would be if they did not exist.
     */
    public List<SearchHit> searchAs(SearchQuery query, Principal who, RegistryView.Snapshot snapshot) {
        return snapshot.visibleServers(who, query.servers())
                .map(servers -> search(
                        new SearchQuery(query.text(), query.topK(), servers, query.tags()),
                        tool -> snapshot.mayCall(who, tool.serverId(), tool.toolName())))
                .orElse(List.of());
    }

    @Override
    public void close() {
        dev.mcpgw.core.concurrent.DaemonThreads.stop(worker, java.time.Duration.ofSeconds(10));
        ToolIndex current = index;
        if (current != null) {
            current.close();
        }
    }
}
