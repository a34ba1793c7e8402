package dev.mcpgw.probe.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * Every request a session has waiting for its answer and every response body it has open, so that the deadline
 * ({@link #abort()}) cancels and closes all of them, and no request starts after it: a server that answers slowly,
 * holds back its headers, trickles bytes or never ends holds no thread past the deadline.
 */
final class Inflight {

    private final Set<InputStream> open = ConcurrentHashMap.newKeySet();
    private final Set<Future<?>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean aborted;

    boolean aborted() {
        return aborted;
    }

    /** Tracks a body just received; when the deadline already passed, closes it and says so. */
    InputStream track(InputStream body) throws ProbeFailure {
        open.add(body);
        if (aborted) {
            release(body);
            throw ProbeFailure.of(ProbeFailure.Kind.TIMEOUT, "no complete answer in time");
        }
        return body;
    }

    /** Tracks a request sent and not yet answered; when the deadline already passed, cancels it. */
    void waiting(Future<?> request) {
        waiting.add(request);
        if (aborted) {
            request.cancel(true);
        }
    }

    /** The request was answered (or failed): nothing to cancel any more. */
    void answered(Future<?> request) {
        waiting.remove(request);
    }

    /** Closes a body the session is done with. */
    void release(InputStream body) {
        open.remove(body);
        close(body);
    }

    /** The deadline: closes every open body, from any thread; nothing is sent afterwards. */
    void abort() {
        aborted = true;
        waiting.forEach(request -> request.cancel(true));
        open.forEach(Inflight::close);
    }

    private static void close(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // closing is all that is wanted
        }
    }
}
