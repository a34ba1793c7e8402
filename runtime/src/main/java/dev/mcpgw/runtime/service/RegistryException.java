package dev.mcpgw.runtime.service;

import java.util.List;

/**
 * A request the registry refuses, with a machine reason and a message that says what to do. Each door maps the
 * reason to its own wire: an HTTP status and {@code {"error": code, ...}}, an MCP {@code isError} result, a CLI
 * exit code. Nothing was changed when one is thrown.
 */
public final class RegistryException extends RuntimeException {

    /** Why a request was refused; {@link #code()} is the stable word answers carry. */
    public enum Reason {
        /** The request itself is malformed (a missing or mistyped argument). */
        INVALID_REQUEST("bad_request"),
        /** The entry the request would write does not validate; {@link #problems()} lists why. */
        INVALID_ENTRY("invalid_entry"),
        /** No such server, or one the caller may not see (the two are not told apart). */
        NOT_FOUND("not_found"),
        /** The request contradicts the registry as it is (a path already taken, a file defined twice). */
        CONFLICT("conflict"),
        /** The server's file in Git cannot be parsed; it must be fixed there first. */
        UNREADABLE_ENTRY("unreadable_entry"),
        /** The registry kept changing under the request; trying again is the remedy. */
        BUSY("conflict"),
        /** No caller: the operation needs one. */
        UNAUTHENTICATED("unauthorized"),
        /** A credential was sent and is not valid. */
        INVALID_TOKEN("invalid_token"),
        /** The caller is known and not allowed this operation. */
        FORBIDDEN("forbidden"),
        /** The registry repository could not be used (locked, unreadable); nothing was changed. */
        UNAVAILABLE("repository_unavailable"),
        /** Tool search is off in this runtime. */
        SEARCH_OFF("search_off"),
        /** The search index is still being built; trying again in a second is the remedy. */
        SEARCH_LOADING("search_loading"),
        /** A server a tool call needs is disabled, or its last check found it unhealthy or unreachable. */
        SERVER_UNAVAILABLE("server_unavailable"),
        /** A tool call through the gateway failed on the way: no answer in time, too large, not MCP. */
        UPSTREAM_FAILED("upstream_failed"),
        /** As many tool calls as the runtime (or this caller) may have in progress already are; try again. */
        TOO_MANY_CALLS("too_many_calls");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;
    private final List<String> problems;

    public RegistryException(Reason reason, String message, List<String> problems) {
        super(message, null, false, false);
        this.reason = reason;
        this.problems = List.copyOf(problems);
    }

    public RegistryException(Reason reason, String message) {
        this(reason, message, List.of());
    }

    public static RegistryException invalid(String message) {
        return new RegistryException(Reason.INVALID_REQUEST, message);
    }

    /** The answer for a server that does not exist or may not be seen: the same, so one cannot probe for names. */
    public static RegistryException notFound(String path) {
        return new RegistryException(Reason.NOT_FOUND, "no server is registered at " + path);
    }

    public Reason reason() {
        return reason;
    }

    public String code() {
        return reason.code();
    }

    /** Validation problems exactly as {@code mcpgw validate} prints them; empty for other refusals. */
    public List<String> problems() {
        return problems;
    }
}
