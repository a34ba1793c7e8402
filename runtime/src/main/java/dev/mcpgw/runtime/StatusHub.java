package dev.mcpgw.runtime;

import dev.mcpgw.core.status.ServerStatus;
import io.javalin.websocket.WsContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Live status for browsers over {@code WS /ws/health_status}, in the reference's message shape: a map keyed by
 * server path, each value {@code {"status", "last_checked_iso", "num_tools"}}. A new client gets the full map;
 * afterwards only the entries whose health, enabled state or tools changed are sent. A slow or dead client never holds up the others: each
 * has a bounded queue of messages waiting and is closed when it falls behind; the number of clients is
 * limited, and a refused connection is reported.
 */
public final class StatusHub {

    /** Close code for a client that is too slow or over the limit: "try again later". */
    static final int TRY_AGAIN_LATER = 1013;

    private static final JsonMapper JSON = JsonMapper.shared();

    private final int maxClients;
    private final int maxQueued;
    private final Consumer<String> log;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private volatile Map<String, Entry> current = Map.of();

    /** One server as the page shows it. */
    record Entry(String status, String lastCheckedIso, int numTools) {

        /** A change worth a message: health (which covers enabled) or tools; not the check time alone. */
        boolean differsFrom(Entry other) {
            return other == null || !status.equals(other.status) || numTools != other.numTools;
        }
    }

    /**
     * One browser. Jetty allows a single write in progress per WebSocket, so messages wait in a bounded queue
     * and each is sent when the previous one is done.
     */
    private static final class Client {
        final WsContext context;
        /** Which server paths this client's caller may see (access.yaml), asked at every send. */
        final Predicate<String> visible;
        private final Deque<String> queue = new ArrayDeque<>();
        private boolean writing;

        Client(WsContext context, Predicate<String> visible) {
            this.context = context;
            this.visible = visible;
        }

        Map<String, Entry> visibleOf(Map<String, Entry> entries) {
            Map<String, Entry> mine = new LinkedHashMap<>();
            entries.forEach((path, entry) -> {
                if (visible.test(path)) {
                    mine.put(path, entry);
                }
            });
            return mine;
        }
    }

    public StatusHub(int maxClients, int maxQueued, Consumer<String> log) {
        this.maxClients = maxClients;
        this.maxQueued = maxQueued;
        this.log = log;
    }

    public int clientCount() {
        return clients.size();
    }

    /** A browser connected; it is sent, now and later, only the servers {@code visible} accepts. */
    void connected(WsContext context, Predicate<String> visible) {
        if (clients.size() >= maxClients) {
            log.accept("WebSocket connection refused: the limit of " + maxClients + " clients is reached");
            context.closeSession(TRY_AGAIN_LATER, "too many clients; try again later");
            return;
        }
        context.enableAutomaticPings(20, java.util.concurrent.TimeUnit.SECONDS);
        Client client = new Client(context, visible);
        clients.put(context.sessionId(), client);
        send(client, message(client.visibleOf(current)));
    }

    /**
     * Closes every connection with "service restart" so that pages reconnect and get the full map again - for
     * when the access rules changed what callers may see.
     */
    public void reconnectAll(String reason) {
        clients.values().forEach(client -> client.context.closeSession(1012, reason));
        clients.clear();
    }

    void disconnected(WsContext context) {
        clients.remove(context.sessionId());
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
            for (Client client : clients.values()) {
                Map<String, Entry> mine = client.visibleOf(changed);
                if (!mine.isEmpty()) {
                    send(client, messages.computeIfAbsent(Set.copyOf(mine.keySet()), paths -> message(mine)));
                }
            }
        }
    }

    private void send(Client client, String message) {
        synchronized (client) {
            if (client.queue.size() >= maxQueued) {
                clients.remove(client.context.sessionId());
                client.queue.clear();
                log.accept("WebSocket client " + client.context.sessionId() + " fell behind; closed");
                client.context.closeSession(TRY_AGAIN_LATER, "too slow; reconnect");
                return;
            }
            client.queue.addLast(message);
            if (client.writing) {
                return;
            }
            client.writing = true;
        }
        writeNext(client);
    }

    private void writeNext(Client client) {
        String next;
        synchronized (client) {
            next = client.queue.pollFirst();
            if (next == null) {
                client.writing = false;
                return;
            }
        }
        client.context.session.sendText(next, Callback.from(() -> writeNext(client), failure -> {
            synchronized (client) {
                client.queue.clear();
                client.writing = false;
            }
            if (clients.remove(client.context.sessionId()) != null) {
                log.accept("WebSocket client " + client.context.sessionId() + " dropped: " + failure);
                client.context.closeSession(1011, "send failed; reconnect");
            }
        }));
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
