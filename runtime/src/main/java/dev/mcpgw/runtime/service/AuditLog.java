package dev.mcpgw.runtime.service;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line per management action, whatever door it came through, on the logger {@code audit}:
 * {@code at=... user=... via=... from=... action=... server=...} and the action's detail.
 */
public final class AuditLog {

    private static final Logger AUDIT = LoggerFactory.getLogger("audit");

    private final Clock clock;

    public AuditLog(Clock clock) {
        this.clock = clock;
    }

    public void record(Caller caller, String action, String path, String detail) {
        AUDIT.info(
                "at={} user={} via={} from={} action={} server={}{}",
                clock.instant(),
                caller.user(),
                caller.channel(),
                caller.address(),
                action,
                path,
                detail == null ? "" : " " + detail);
    }
}
