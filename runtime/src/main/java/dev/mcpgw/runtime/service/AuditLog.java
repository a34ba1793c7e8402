package dev.mcpgw.runtime.service;

import java.time.Clock;
import java.util.function.Consumer;

/** One structured line per management action, whatever door it came through. */
public final class AuditLog {

    private final Consumer<String> log;
    private final Clock clock;

    public AuditLog(Consumer<String> log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    public void record(Caller caller, String action, String path, String detail) {
        log.accept("audit at=" + clock.instant() + " user=" + caller.user() + " via=" + caller.channel()
                + " from=" + caller.address() + " action=" + action + " server=" + path
                + (detail == null ? "" : " " + detail));
    }
}
