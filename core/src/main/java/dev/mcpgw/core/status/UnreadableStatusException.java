package dev.mcpgw.core.status;

/** A status file that cannot be read as contract 3 describes it; the message names the field and what is wrong. */
public final class UnreadableStatusException extends RuntimeException {

    public UnreadableStatusException(String message) {
        super(message, null, false, false);
    }
}
