package dev.mcpgw.runtime.service;

import dev.mcpgw.runtime.auth.Principal;
import java.util.Optional;

/**
 * Who asks the registry service, through which door and from where: what every rule and audit line needs.
 *
 * @param who     the authenticated principal, or null for an anonymous caller
 * @param channel how the caller came in, for the audit ({@code session}, {@code token}, {@code mcp}, {@code cli})
 * @param address the client's address, for the audit
 */
public record Caller(Principal who, String channel, String address) {

    public Optional<Principal> principal() {
        return Optional.ofNullable(who);
    }

    /** The name the audit line records. */
    public String user() {
        return who == null ? "anonymous" : who.user();
    }
}
