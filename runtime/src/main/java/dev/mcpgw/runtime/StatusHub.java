package dev.mcpgw.runtime;

import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.runtime.http.WsClients;
import io.javalin.websocket.WsContext;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Live status for browsers over {@code WS /ws/health_status}, in the reference's message shape: a map keyed by
 * server path, each value {@code {"status", "last_checked_iso", "num_tools"}}. A new client gets the full map;
 * afterwards only the entries whose health, enabled state or tools changed are sent ({@link WsClients} keeps
 * slow clients from holding up the others). The website follows the richer {@code /ws/registry} instead.
 */
public final class StatusHub {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final WsClients clients;
    /** What new clients are sent first: every server as last published, by path. */
    private final Map<String, Entry> current = new java.util.concurrent.ConcurrentHashMap<>();
    /** What each server's entry was computed from, by id (publish only), to skip what did not change. */
    private final Map<String, Source> sources = new HashMap<>();

    private record Source(boolean enabled, ServerStatus status, Entry entry) {}

    /** One server as the page shows it. */
    record Entry(String status, String lastCheckedIso, int numTools) {

        /** A change worth a message: health (which covers enabled) or tools; not the check time alone. */
        boolean differsFrom(Entry other) {
            return other == null || !status.equals(other.status) || numTools != other.numTools;
        }
    }

    private static Map<String, Entry> visibleOf(WsClients.Client client, Map<String, Entry> entries) {
        Map<String, Entry> mine = new LinkedHashMap<>();
        entries.forEach((path, entry) -> {
            if (client.sees(path)) {
                mine.put(path, entry);
            }
        });
        return mine;
    }

    public StatusHub(int maxClients, int maxQueued) {
        this.clients = new WsClients("/ws/health_status", maxClients, maxQueued);
    }

    public int clientCount() {
        return clients.count();
    }

    /** A browser connected; it is sent, now and later, only the servers {@code visible} accepts. */
    void connected(WsContext context, Predicate<String> visible, WsClients.Visitor visitor) {
        WsClients.Client client = clients.admit(context, visible, visitor);
        if (client != null) {
            clients.send(client, message(visibleOf(client, new TreeMap<>(current))));
        }
    }

    /**
     * Closes every connection with "service restart" so that pages reconnect and get the full map again - for
     * when the access rules changed what callers may see.
     */
    public void reconnectAll(String reason) {
        clients.reconnectAll(reason);
    }

    /** Closes the sockets of callers whose credential has ended ({@link WsClients#closeEnded}). */
    public void closeEnded(Predicate<WsContext> ended, String reason) {
        clients.closeEnded(ended, reason);
    }

    void disconnected(WsContext context) {
        clients.remove(context);
    }

    /** Publishes the registry as it is now and the latest observations (by id); sends what changed, if anything. */
    public void publish(dev.mcpgw.runtime.registry.RegistryView.Snapshot snapshot, Map<String, ServerStatus> byId) {
        Collection<dev.mcpgw.runtime.registry.RegistryView.Registered> servers =
                snapshot.servers().values();
        publish(
                servers.size(),
                each -> servers.forEach(server -> each.accept(
                        server.id(), server.valid() && server.entry().enabled())),
                id -> snapshot.servers().containsKey(id),
                byId);
    }

    /**
     * Publishes the latest observations: {@code enabled} maps every registered server's path to whether it is
     * enabled. Sends what changed, if anything, to every client.
     */
    public void publish(Map<String, Boolean> enabled, Map<String, ServerStatus> byId) {
        publish(
                enabled.size(),
                each -> enabled.forEach((path, on) -> each.accept(path.substring(1), on)),
                id -> enabled.containsKey("/" + id),
                byId);
    }

    /** Only servers whose enabled state or status object changed since the last publish are looked at again. */
    private synchronized void publish(
            int count,
            Consumer<BiConsumer<String, Boolean>> servers,
            Predicate<String> registered,
            Map<String, ServerStatus> byId) {
        Map<String, Entry> changed = new LinkedHashMap<>();
        servers.accept((id, on) -> {
            ServerStatus status = byId.get(id);
            Source before = sources.get(id);
            if (before != null && before.enabled() == on && before.status() == status) {
                return;
            }
            String health = dev.mcpgw.core.status.Health.effective(on, status).jsonName();
            Entry entry = new Entry(
                    health,
                    status == null ? null : status.checkedAt().toString(),
                    status == null ? 0 : status.tools().size());
            sources.put(id, new Source(on, status, entry));
            current.put("/" + id, entry);
            if (entry.differsFrom(before == null ? null : before.entry())) {
                changed.put("/" + id, entry);
            }
        });
        if (sources.size() != count) {
            for (java.util.Iterator<String> ids = sources.keySet().iterator(); ids.hasNext(); ) {
                String id = ids.next();
                if (!registered.test(id)) {
                    ids.remove();
                    current.remove("/" + id);
                    changed.put("/" + id, null);
                }
            }
        }
        if (!changed.isEmpty()) {
            // Callers who see the same servers share one message.
            Map<Set<String>, String> messages = new HashMap<>();
            for (WsClients.Client client : clients.all()) {
                Map<String, Entry> mine = visibleOf(client, changed);
                if (!mine.isEmpty()) {
                    clients.send(client, messages.computeIfAbsent(Set.copyOf(mine.keySet()), paths -> message(mine)));
                }
            }
        }
    }

    /** {@code {"/path": {"status", "last_checked_iso", "num_tools"}}}; a removed server maps to null. */
    private static String message(Map<String, Entry> entries) {
        ObjectNode root = JSON.createObjectNode();
        entries.forEach((path, entry) -> {
            if (entry == null) {
                root.putNull(path);
            } else {
                root.putObject(path)
                        .put("status", entry.status())
                        .put("last_checked_iso", entry.lastCheckedIso())
                        .put("num_tools", entry.numTools());
            }
        });
        return JSON.writeValueAsString(root);
    }
}
