package dev.mcpgw.probe.client;

import dev.mcpgw.core.status.Health;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/**
 * Why a probe of an MCP server failed, typed: the status file records {@link #kind()}'s word and
 * {@link #getMessage()}, and the health that follows. Built from what the client itself saw (an exception type,
 * an HTTP status, a JSON-RPC error object), never by reading another library's message text.
 */
public final class ProbeFailure extends Exception {

    /** What went wrong, with the health it means and the stable word recorded as {@code error_kind}. */
    public enum Kind {
        CONNECTION_REFUSED(Health.UNREACHABLE, "connection_refused"),
        UNKNOWN_HOST(Health.UNREACHABLE, "unknown_host"),
        /** The upstream's address is one the egress policy refuses: not contacted. */
        EGRESS_REFUSED(Health.UNREACHABLE, "egress_refused"),
        CONNECT_TIMEOUT(Health.UNREACHABLE, "connect_timeout"),
        TLS(Health.UNREACHABLE, "tls"),
        TIMEOUT(Health.UNHEALTHY, "timeout"),
        UNAUTHORIZED(Health.UNHEALTHY, "unauthorized"),
        /** An HTTP status other than success; the word is {@code http_<status>}. */
        HTTP_STATUS(Health.UNHEALTHY, "http"),
        TOO_LARGE(Health.UNHEALTHY, "too_large"),
        /** The server answered, but not as MCP over JSON-RPC. */
        PROTOCOL(Health.UNHEALTHY, "protocol"),
        /** The server answered a request with a JSON-RPC error. */
        RPC_ERROR(Health.UNHEALTHY, "rpc_error"),
        /** The connection failed some other way. */
        CONNECTION_FAILED(Health.UNHEALTHY, "error");

        private final Health health;
        private final String word;

        Kind(Health health, String word) {
            this.health = health;
            this.word = word;
        }

        public Health health() {
            return health;
        }
    }

    private final Kind kind;
    private final int httpStatus;
    private final Integer rpcCode;
    private final java.util.List<String> supportedVersions;

    private ProbeFailure(
            Kind kind, String message, int httpStatus, Integer rpcCode, java.util.List<String> supportedVersions) {
        super(message, null, false, false);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.rpcCode = rpcCode;
        this.supportedVersions = supportedVersions;
    }

    private ProbeFailure(Kind kind, String message, int httpStatus, Integer rpcCode) {
        this(kind, message, httpStatus, rpcCode, java.util.List.of());
    }

    public static ProbeFailure of(Kind kind, String message) {
        return new ProbeFailure(kind, message, 0, null);
    }

    /** A refusal by HTTP status: 401 and 403 are the probe's credentials, others are named by their number. */
    public static ProbeFailure httpStatus(int status) {
        return status == 401 || status == 403
                ? new ProbeFailure(
                        Kind.UNAUTHORIZED, "the server refused the probe's credentials (HTTP 401/403)", status, null)
                : new ProbeFailure(Kind.HTTP_STATUS, "HTTP " + status, status, null);
    }

    /** A JSON-RPC error answer: its code and the server's own words, cut to one short line. */
    public static ProbeFailure rpcError(String method, int code, String message, int httpStatus) {
        return rpcError(method, code, message, httpStatus, java.util.List.of());
    }

    /**
     * A JSON-RPC error answer that named the protocol versions the server supports (-32022, unsupported
     * protocol version): they are kept, as the server's own account of what it speaks.
     */
    public static ProbeFailure rpcError(
            String method, int code, String message, int httpStatus, java.util.List<String> supportedVersions) {
        return new ProbeFailure(
                Kind.RPC_ERROR,
                "the server answered " + method + " with error " + code
                        + (message == null || message.isBlank() ? "" : ": " + oneLine(message)),
                httpStatus,
                code,
                java.util.List.copyOf(supportedVersions));
    }

    /** The protocol versions the server said it supports when it refused ours; empty when it named none. */
    public java.util.List<String> supportedVersions() {
        return supportedVersions;
    }

    public Kind kind() {
        return kind;
    }

    /** The word recorded as {@code error_kind}: {@code http_404} for an HTTP status, else the kind's word. */
    public String word() {
        return kind == Kind.HTTP_STATUS ? "http_" + httpStatus : kind.word;
    }

    public Health health() {
        return kind.health;
    }

    /** The HTTP status that carried the failure, or 0. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The JSON-RPC error code, or null. */
    public Integer rpcCode() {
        return rpcCode;
    }

    /** What an exception of a connection means, by its type; {@code aborted}: the probe's deadline passed. */
    public static ProbeFailure from(Throwable error, boolean aborted) {
        if (aborted) {
            return ProbeFailure.of(ProbeFailure.Kind.TIMEOUT, "no complete answer in time");
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ProbeFailure failure) {
                return failure;
            }
            if (t instanceof HttpConnectTimeoutException) {
                return ProbeFailure.of(ProbeFailure.Kind.CONNECT_TIMEOUT, "connection timed out");
            }
            if (t instanceof HttpTimeoutException) {
                return ProbeFailure.of(ProbeFailure.Kind.TIMEOUT, "no answer in time");
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return ProbeFailure.of(ProbeFailure.Kind.CONNECTION_REFUSED, "connection refused");
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return ProbeFailure.of(ProbeFailure.Kind.UNKNOWN_HOST, "unknown host");
            }
            if (t instanceof SSLException) {
                return ProbeFailure.of(ProbeFailure.Kind.TLS, "TLS handshake failed");
            }
        }
        return ProbeFailure.of(
                ProbeFailure.Kind.CONNECTION_FAILED,
                "the connection failed (" + error.getClass().getSimpleName() + ")");
    }

    /** Text from a server, made safe to record: one line, no control characters, at most 200 characters. */
    static String oneLine(String text) {
        String line = text.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]+", " ")
                .replaceAll("\\s+", " ")
                .strip();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
