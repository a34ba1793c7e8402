package dev.mcpgw.core.concurrent;

import java.util.concurrent.ThreadFactory;

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
}
