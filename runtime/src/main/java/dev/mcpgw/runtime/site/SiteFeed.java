package dev.mcpgw.runtime.site;

import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.runtime.http.WsClients;
import dev.mcpgw.runtime.registry.RegistryView;
import io.javalin.websocket.WsContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The website's live feed, {@code WS /ws/registry}: what changed in the registry and its observations, so that
 * open pages follow every change without a reload and without fetching what did not change.
 *
 * <p>Every server has a version, raised whenever anything its card or page shows changes except the check time
 * and latency (which every probe changes; they travel in the message itself). A page is rendered with the
 * versions of its servers; a message names a server's new version, and the page fetches the card or page again
 * only when that is higher than what it shows. Messages: {@code {"type":"state","servers":{id: {"version",
 * "health", "checked", "latency_ms"}}}} first (every server the caller may see), then {@code {"type":"changes",
 * "servers":{id: {...} | null}}} with only what changed (null: removed or no longer visible).
 *
 * <p>A change costs one pass over the servers comparing references (only those whose entry or status object
 * changed are compared field by field) and one message per group of callers who see the same servers.
 */
public final class SiteFeed {

    private static final JsonMapper JSON = JsonMapper.shared();

    /** One server as pages show it. */
    private record Shown(
            long version,
            String health,
            String checked,
            Long latencyMs,
            ServerEntry entry,
            ServerStatus status,
            String deploymentError) {}

    private final WsClients clients;
    /** Every server as pages show it now, by id; changed in place by publish only. */
    private final Map<String, Shown> current = new java.util.concurrent.ConcurrentHashMap<>();

    private long sequence;

    public SiteFeed(int maxClients, int maxQueued) {
        this.clients = new WsClients("/ws/registry", maxClients, maxQueued);
    }

    /** The version of server {@code id} pages are rendered with (0 when the feed does not know it yet). */
    public long version(String id) {
        Shown shown = current.get(id);
        return shown == null ? 0 : shown.version();
    }

    public int clientCount() {
        return clients.count();
    }

    /** A page connected; it is sent, now and later, only the servers (by id) {@code visible} accepts. */
    public void connected(WsContext context, Predicate<String> visible, WsClients.Visitor visitor) {
        WsClients.Client client = clients.admit(context, visible, visitor);
        if (client != null) {
            Map<String, Shown> mine = new TreeMap<>();
            current.forEach((id, shown) -> { // a page connecting during a publish gets the rest as changes
                if (client.sees(id)) {
                    mine.put(id, shown);
                }
            });
            clients.send(client, message("state", mine));
        }
    }

    public void disconnected(WsContext context) {
        clients.remove(context);
    }

    /** Pages reconnect and start afresh (the access rules changed what callers may see). */
    public void reconnectAll(String reason) {
        clients.reconnectAll(reason);
    }

    /** Closes the sockets of callers whose credential has ended ({@link WsClients#closeEnded}). */
    public void closeEnded(Predicate<WsContext> ended, String reason) {
        clients.closeEnded(ended, reason);
    }

    /**
     * Publishes the registry as it is now: its valid entries, their latest observations and the servers the
     * gateway could not deploy (by id, with why). Sends what changed, if anything.
     */
    public synchronized void publish(
            RegistryView.Snapshot snapshot, Map<String, ServerStatus> statuses, Map<String, String> notDeployed) {
        Map<String, Shown> changed = new TreeMap<>();
        int valid = 0;
        for (RegistryView.Registered server : snapshot.servers().values()) {
            if (!server.valid()) {
                continue;
            }
            valid++;
            String id = server.id();
            ServerEntry entry = server.entry();
            ServerStatus status = statuses.get(id);
            String deploymentError = notDeployed.get(id);
            Shown old = current.get(id);
            if (old != null
                    && old.entry() == entry
                    && old.status() == status
                    && Objects.equals(old.deploymentError(), deploymentError)) {
                continue; // the same objects as last time: nothing to compare
            }
            String health = Health.effective(entry.enabled(), status).jsonName();
            String checked = status == null ? null : status.checkedAt().toString();
            Long latency = status == null ? null : status.latencyMs();
            boolean same = old != null
                    && old.entry().equals(entry)
                    && old.health().equals(health)
                    && Objects.equals(old.deploymentError(), deploymentError)
                    && sameShown(old.status(), status);
            Shown now = new Shown(
                    same ? old.version() : ++sequence, health, checked, latency, entry, status, deploymentError);
            current.put(id, now);
            if (!same || !Objects.equals(old.checked(), checked) || !Objects.equals(old.latencyMs(), latency)) {
                changed.put(id, now);
            }
        }
        if (current.size() != valid) {
            for (java.util.Iterator<String> ids = current.keySet().iterator(); ids.hasNext(); ) {
                String id = ids.next();
                if (snapshot.server(id).filter(RegistryView.Registered::valid).isEmpty()) {
                    ids.remove();
                    changed.put(id, null);
                }
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        // Callers who see the same changed servers share one message.
        Map<java.util.Set<String>, String> messages = new HashMap<>();
        for (WsClients.Client client : clients.all()) {
            Map<String, Shown> mine = new TreeMap<>();
            changed.forEach((id, shown) -> {
                if (client.sees(id)) {
                    mine.put(id, shown);
                }
            });
            if (!mine.isEmpty()) {
                clients.send(
                        client,
                        messages.computeIfAbsent(java.util.Set.copyOf(mine.keySet()), ids -> message("changes", mine)));
            }
        }
    }

    /** Whether a page shows the two observations alike, check time and latency aside. */
    private static boolean sameShown(ServerStatus a, ServerStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.health() == b.health()
                && Objects.equals(a.error(), b.error())
                && Objects.equals(a.serverName(), b.serverName())
                && Objects.equals(a.serverVersion(), b.serverVersion())
                && Objects.equals(a.protocolVersion(), b.protocolVersion())
                && a.toolsTruncated() == b.toolsTruncated()
                && Objects.equals(a.lastToolChange(), b.lastToolChange())
                && a.tools().equals(b.tools());
    }

    private static String message(String type, Map<String, Shown> servers) {
        ObjectNode root = JSON.createObjectNode().put("type", type);
        ObjectNode map = root.putObject("servers");
        servers.forEach((id, shown) -> {
            if (shown == null) {
                map.putNull(id);
            } else {
                map.putObject(id)
                        .put("version", shown.version())
                        .put("health", shown.health())
                        .put("checked", shown.checked())
                        .put("latency_ms", shown.latencyMs());
            }
        });
        return JSON.writeValueAsString(root);
    }
}
