package dev.mcpgw.runtime.http;

import io.javalin.websocket.WsContext;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browsers connected to one WebSocket feed. A slow or dead client never holds up the others: each has a
 * bounded queue of messages waiting and is closed when it falls behind. The number of clients is limited, and
 * one address cannot take them all: anonymous visitors get at most {@link #PER_ADDRESS} connections per
 * address, and a tenth of the capacity is kept for signed-in callers, so a flood of anonymous
 * sockets never locks an administrator out. A refused connection is reported.
 */
public final class WsClients {

    private static final Logger LOG = LoggerFactory.getLogger(WsClients.class);

    /** Close code for a client that is too slow or over the limit: "try again later". */
    public static final int TRY_AGAIN_LATER = 1013;
    /** Connections one address may hold without signing in (a person's tabs, a few people behind one NAT). */
    public static final int PER_ADDRESS = 16;

    private final String feed;
    private final int maxClients;
    private final int maxQueued;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Integer> anonymousByAddress = new java.util.HashMap<>();
    private int anonymous;

    /** Who is connecting: the client's address (behind the gateway, the one it saw) and whether it signed in. */
    public record Visitor(String address, boolean signedIn) {}

    /**
     * One browser. Jetty allows a single write in progress per WebSocket, so messages wait in a bounded queue
     * and each is sent when the previous one is done.
     */
    public static final class Client {
        final WsContext context;
        /** Which servers (by the feed's key) this client's caller may see (access.yaml), asked at every send. */
        final Predicate<String> visible;

        final Visitor visitor;
        private final Deque<String> queue = new ArrayDeque<>();
        private boolean writing;

        Client(WsContext context, Predicate<String> visible, Visitor visitor) {
            this.context = context;
            this.visible = visible;
            this.visitor = visitor;
        }

        public boolean sees(String key) {
            return visible.test(key);
        }
    }

    /** @param feed what the feed is called in the log, for example {@code /ws/registry} */
    public WsClients(String feed, int maxClients, int maxQueued) {
        this.feed = feed;
        this.maxClients = maxClients;
        this.maxQueued = maxQueued;
    }

    public int count() {
        return clients.size();
    }

    public Collection<Client> all() {
        return clients.values();
    }

    /**
     * Admits a browser that may see what {@code visible} accepts; null (and the socket closed with 1013) over
     * the limit, the anonymous share of it, or the per-address limit.
     */
    public Client admit(WsContext context, Predicate<String> visible, Visitor visitor) {
        String refusal = reserve(visitor);
        if (refusal != null) {
            LOG.info("{}: WebSocket connection refused: {}", feed, refusal);
            context.closeSession(TRY_AGAIN_LATER, "too many clients; try again later");
            return null;
        }
        context.enableAutomaticPings(20, java.util.concurrent.TimeUnit.SECONDS);
        Client client = new Client(context, visible, visitor);
        clients.put(context.sessionId(), client);
        return client;
    }

    /** Counts the visitor in, or says why not. */
    private synchronized String reserve(Visitor visitor) {
        if (clients.size() >= maxClients) {
            return "the limit of " + maxClients + " clients is reached";
        }
        if (visitor.signedIn()) {
            return null;
        }
        int reserved = maxClients / 10;
        if (anonymous >= maxClients - reserved) {
            return "the " + (maxClients - reserved) + " connections for visitors who are not signed in are taken";
        }
        int fromAddress = anonymousByAddress.getOrDefault(visitor.address(), 0);
        if (fromAddress >= PER_ADDRESS) {
            return PER_ADDRESS + " connections from one address are open already";
        }
        anonymousByAddress.put(visitor.address(), fromAddress + 1);
        anonymous++;
        return null;
    }

    private synchronized void release(Client client) {
        if (client.visitor.signedIn()) {
            return;
        }
        anonymous--;
        anonymousByAddress.computeIfPresent(client.visitor.address(), (address, count) -> count > 1 ? count - 1 : null);
    }

    public void remove(WsContext context) {
        Client gone = clients.remove(context.sessionId());
        if (gone != null) {
            release(gone);
        }
    }

    /**
     * Closes the connections of signed-in callers whose credential {@code ended} says is no longer good (signed
     * out, token revoked or expired), with 1008 and {@code reason}: what a socket was opened with must still hold
     * for it to go on receiving what only that caller may see.
     */
    public void closeEnded(Predicate<WsContext> ended, String reason) {
        for (Client client : clients.values()) {
            if (client.visitor.signedIn() && ended.test(client.context)) {
                if (clients.remove(client.context.sessionId()) != null) {
                    release(client);
                }
                client.context.closeSession(1008, reason);
            }
        }
    }

    /** Closes every connection with "service restart", so that pages reconnect and start afresh. */
    public void reconnectAll(String reason) {
        for (Client client : clients.values()) {
            if (clients.remove(client.context.sessionId()) != null) {
                release(client);
            }
            client.context.closeSession(1012, reason);
        }
    }

    public void send(Client client, String message) {
        synchronized (client) {
            if (client.queue.size() >= maxQueued) {
                if (clients.remove(client.context.sessionId()) != null) {
                    release(client);
                }
                client.queue.clear();
                LOG.info("{}: WebSocket client {} fell behind; closed", feed, client.context.sessionId());
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
                release(client);
                LOG.debug("{}: WebSocket client {} dropped: {}", feed, client.context.sessionId(), failure);
                client.context.closeSession(1011, "send failed; reconnect");
            }
        }));
    }
}
