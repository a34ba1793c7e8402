package dev.mcpgw.runtime.http;

import java.util.List;

/**
 * A request the runtime refuses, answered as {@code {"error": code, "message": ..., "problems": [...]}} with
 * the status: the message says what to do; {@code problems} lists validation problems exactly as
 * {@code mcpgw validate} prints them.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<String> problems;

    public ApiException(int status, String code, String message, List<String> problems) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException notFound(String path) {
        return new ApiException(404, "not_found", "no server is registered at " + path);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<String> problems() {
        return problems;
    }
}
