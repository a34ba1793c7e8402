package dev.mcpgw.core.git;

import java.io.IOException;

/**
 * A branch kept changing under a write, attempt after attempt (other writers, or a remote others push to), and
 * the write gave up. Nothing was changed; trying again later is the remedy.
 */
public final class ConcurrentUpdateException extends IOException {

    public ConcurrentUpdateException(String message) {
        super(message);
    }
}
