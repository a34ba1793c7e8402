package dev.mcpgw.core.concurrent;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** Threads for background work that must never keep the JVM alive once the command is done. */
public final class DaemonThreads {

    private DaemonThreads() {}

    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Stops {@code executor} (interrupting its work) and waits up to {@code patience} for its threads to finish,
     * so nothing it started (a Git write, a probe) outlives the component that owned it.
     *
     * @return whether every thread finished in time
     */
    public static boolean stop(ExecutorService executor, Duration patience) {
        executor.shutdownNow();
        try {
            return executor.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
