package dev.mcpgw.runtime;

import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.runtime.http.WsClients;
import io.javalin.websocket.WsContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
    private volatile Map<String, Entry> current = Map.of();

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

    public StatusHub(int maxClients, int maxQueued, Consumer<String> log) {
        this.clients = new WsClients("/ws/health_status", maxClients, maxQueued, log);
    }

    public int clientCount() {
        return clients.count();
    }

    /** A browser connected; it is sent, now and later, only the servers {@code visible} accepts. */
    void connected(WsContext context, Predicate<String> visible) {
        WsClients.Client client = clients.admit(context, visible);
        if (client != null) {
            clients.send(client, message(visibleOf(client, current)));
        }
    }

    /**
     * Closes every connection with "service restart" so that pages reconnect and get the full map again - for
     * when the access rules changed what callers may see.
     */
    public void reconnectAll(String reason) {
        clients.reconnectAll(reason);
    }

    void disconnected(WsContext context) {
        clients.remove(context);
    }

    /**
     * Publishes the latest observations: {@code enabled} maps every registered server's path to whether it is
     * enabled. Sends what changed, if anything, to every client.
     */
    public synchronized void publish(Map<String, Boolean> enabled, Map<String, ServerStatus> byId) {
        Map<String, Entry> next = new TreeMap<>();
        enabled.forEach((path, on) -> {
            ServerStatus status = byId.get(path.substring(1));
            String health = dev.mcpgw.core.status.Health.effective(on, status).jsonName();
            next.put(path, new Entry(health, status == null ? null : status.checkedAt().toString(),
                    status == null ? 0 : status.tools().size()));
        });
        Map<String, Entry> changed = new LinkedHashMap<>();
        next.forEach((path, entry) -> {
            if (entry.differsFrom(current.get(path))) {
                changed.put(path, entry);
            }
        });
        for (String path : current.keySet()) {
            if (!next.containsKey(path)) {
                changed.put(path, null);
            }
        }
        current = Map.copyOf(next);
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
                root.putObject(path).put("status", entry.status()).put("last_checked_iso", entry.lastCheckedIso())
                        .put("num_tools", entry.numTools());
            }
        });
        return JSON.writeValueAsString(root);
    }
}
