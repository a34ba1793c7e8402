package dev.mcpgw.probe.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every response body a session has open, so that the probe's deadline ({@link #abort()}) closes all of them, and
 * no request starts after it: a server that answers slowly, trickles bytes or never ends holds nothing past the
 * deadline.
 */
final class Inflight {

    private final Set<InputStream> open = ConcurrentHashMap.newKeySet();
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

    /** Closes a body the session is done with. */
    void release(InputStream body) {
        open.remove(body);
        close(body);
    }

    /** The deadline: closes every open body, from any thread; nothing is sent afterwards. */
    void abort() {
        aborted = true;
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
