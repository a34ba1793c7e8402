package dev.mcpgw.runtime.auth;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Binds MCP sessions to the caller that created them (gateway with access checks). For each request it lets
 * through, the access check gives the gateway a key derived from {@code SECRET_KEY}, the server and the caller;
 * the gateway tags every session id it hands out ({@code Mcp-Session-Id}, an SSE message endpoint's query) with
 * an HMAC under that key and accepts a session only with a tag made under the presenting caller's key. Another
 * caller who learns a session id (from a log, a shared screen) has a different key and gets "session not
 * found". Stateless: every gateway replica and runtime replica with the same {@code SECRET_KEY} agrees, and a
 * restart changes nothing.
 */
public final class SessionBinding {

    private final SecretKey secret;

    public SessionBinding(SecretKey secret) {
        this.secret = secret;
    }

    /** The key the gateway tags {@code user}'s sessions on server {@code id} with (hex; never sent to clients). */
    public String key(String id, String user) {
        return HexFormat.of()
                .formatHex(secret.sign("mcp-session", (id + "\n" + user).getBytes(StandardCharsets.UTF_8)));
    }
}
