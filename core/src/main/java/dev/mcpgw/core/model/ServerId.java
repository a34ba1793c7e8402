package dev.mcpgw.core.model;

import java.util.List;
import java.util.Set;

/**
 * The id of a server: its gateway path without the slash and its file name without the extension.
 * Ids the gateway and the runtime serve themselves can never be created.
 */
public record ServerId(String value) implements Comparable<ServerId> {

    /** First path segments the gateway, the runtime or the website answer themselves. */
    public static final List<String> RESERVED = List.of(
            "api",
            "assets",
            "auth",
            "delete",
            "edit",
            "favicon.ico",
            "health",
            "healthz",
            "login",
            "logout",
            "metrics",
            "oauth",
            "oauth2",
            "readyz",
            "register",
            "robots.txt",
            "search",
            "servers",
            "site",
            "static",
            "status",
            "toggle",
            "tools",
            "v0",
            "v0.1",
            "ws",
            ".well-known");

    private static final Set<String> RESERVED_SET = Set.copyOf(RESERVED);

    public ServerId {
        Syntax.require(Syntax.ID, value, "server id");
        if (RESERVED_SET.contains(value)) {
            throw new IllegalArgumentException("/" + value + " is reserved by the gateway and registry; "
                    + "choose another id (reserved: /" + String.join(", /", RESERVED) + ")");
        }
    }

    /** Whether {@code value} has an id's shape (reserved ids included): for looking a server up, not naming one. */
    public static boolean isWellFormed(String value) {
        return value != null && Syntax.ID.matcher(value).matches();
    }

    public static ServerId fromPath(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a server path starts with '/'");
        }
        return new ServerId(path.substring(1));
    }

    /** The gateway path, {@code /<id>}. */
    public String path() {
        return "/" + value;
    }

    @Override
    public int compareTo(ServerId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
