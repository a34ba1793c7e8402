package dev.mcpgw.runtime.http;

import io.javalin.websocket.WsContext;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * The browsers connected to one WebSocket feed. A slow or dead client never holds up the others: each has a
 * bounded queue of messages waiting and is closed when it falls behind; the number of clients is limited, and a
 * refused connection is reported.
 */
public final class WsClients {

    /** Close code for a client that is too slow or over the limit: "try again later". */
    public static final int TRY_AGAIN_LATER = 1013;

    private final String feed;
    private final int maxClients;
    private final int maxQueued;
    private final Consumer<String> log;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();

    /**
     * One browser. Jetty allows a single write in progress per WebSocket, so messages wait in a bounded queue
     * and each is sent when the previous one is done.
     */
    public static final class Client {
        final WsContext context;
        /** Which servers (by the feed's key) this client's caller may see (access.yaml), asked at every send. */
        final Predicate<String> visible;
        private final Deque<String> queue = new ArrayDeque<>();
        private boolean writing;

        Client(WsContext context, Predicate<String> visible) {
            this.context = context;
            this.visible = visible;
        }

        public boolean sees(String key) {
            return visible.test(key);
        }
    }

    /** @param feed what the feed is called in the log, for example {@code /ws/registry} */
    public WsClients(String feed, int maxClients, int maxQueued, Consumer<String> log) {
        this.feed = feed;
        this.maxClients = maxClients;
        this.maxQueued = maxQueued;
        this.log = log;
    }

    public int count() {
        return clients.size();
    }

    public Collection<Client> all() {
        return clients.values();
    }

    /** Admits a browser that may see what {@code visible} accepts; null (and the socket closed) over the limit. */
    public Client admit(WsContext context, Predicate<String> visible) {
        if (clients.size() >= maxClients) {
            log.accept(feed + ": WebSocket connection refused: the limit of " + maxClients + " clients is reached");
            context.closeSession(TRY_AGAIN_LATER, "too many clients; try again later");
            return null;
        }
        context.enableAutomaticPings(20, java.util.concurrent.TimeUnit.SECONDS);
        Client client = new Client(context, visible);
        clients.put(context.sessionId(), client);
        return client;
    }

    public void remove(WsContext context) {
        clients.remove(context.sessionId());
    }

    /** Closes every connection with "service restart", so that pages reconnect and start afresh. */
    public void reconnectAll(String reason) {
        clients.values().forEach(client -> client.context.closeSession(1012, reason));
        clients.clear();
    }

    public void send(Client client, String message) {
        synchronized (client) {
            if (client.queue.size() >= maxQueued) {
                clients.remove(client.context.sessionId());
                client.queue.clear();
                log.accept(feed + ": WebSocket client " + client.context.sessionId() + " fell behind; closed");
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
                log.accept(feed + ": WebSocket client " + client.context.sessionId() + " dropped: " + failure);
                client.context.closeSession(1011, "send failed; reconnect");
            }
        }));
    }
}
