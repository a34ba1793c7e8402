package dev.mcpgw.runtime.service;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bound on slow operations in progress at once - all callers together, and each caller - for operations that
 * hold one of the runtime's request threads while they wait on something else (a tool call through the gateway, a
 * probe). The runtime also answers the gateway's access checks, so without a bound a few callers could hold every
 * thread and stall the gateway for everyone. Nothing waits for a place: one operation more is refused at once.
 */
final class InProgress {

    /** A place among the operations in progress, given back by {@link #close()} (once, however often called). */
    final class Permit implements AutoCloseable {
        private final String caller;
        private boolean closed;

        private Permit(String caller) {
            this.caller = caller;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                leave(caller);
                places.release();
            }
        }
    }

    private final String what;
    private final int most;
    private final int mostPerCaller;
    private final Semaphore places;
    private final ConcurrentHashMap<String, AtomicInteger> byCaller = new ConcurrentHashMap<>();

    /**
     * @param what          the operations, plural, for the refusal ("tool calls")
     * @param most          in progress at once, all callers together
     * @param mostPerCaller in progress at once for one caller
     */
    InProgress(String what, int most, int mostPerCaller) {
        this.what = what;
        this.most = most;
        this.mostPerCaller = mostPerCaller;
        this.places = new Semaphore(most);
    }

    /** A place for one more operation of {@code caller} (its user name, or its address when anonymous). */
    Permit enter(String caller) {
        int[] mine = new int[1]; // the count as this entry made it, not as a concurrent one left it
        byCaller.compute(caller, (key, count) -> {
            AtomicInteger now = count == null ? new AtomicInteger() : count;
            mine[0] = now.incrementAndGet();
            return now;
        });
        if (mine[0] > mostPerCaller) {
            leave(caller);
            throw new RegistryException(
                    RegistryException.Reason.TOO_MANY_CALLS,
                    "you have " + mostPerCaller + " " + what + " in progress already, the most one caller may; wait "
                            + "for one to end, then try again");
        }
        if (!places.tryAcquire()) {
            leave(caller);
            throw new RegistryException(
                    RegistryException.Reason.TOO_MANY_CALLS,
                    "the registry has " + most + " " + what + " in progress, the most it runs at once; try again in "
                            + "a few seconds");
        }
        return new Permit(caller);
    }

    private void leave(String caller) {
        byCaller.computeIfPresent(caller, (key, count) -> count.decrementAndGet() == 0 ? null : count);
    }
}
