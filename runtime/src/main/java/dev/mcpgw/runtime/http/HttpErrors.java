package dev.mcpgw.runtime.http;

import dev.mcpgw.runtime.service.RegistryException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP door's one place for refusals: every {@link RegistryException} and {@link ApiException} becomes
 * {@code {"error": code, "message": ..., "problems": [...]}} with its status; anything else is logged with its
 * stack trace and answered 500 without one. Unknown routes answer JSON too.
 */
public final class HttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private static final JsonMapper JSON = JsonMapper.shared();

    private HttpErrors() {}

    /** The HTTP status of a refusal's reason. */
    public static int status(RegistryException.Reason reason) {
        return switch (reason) {
            case INVALID_REQUEST, INVALID_ENTRY -> 400;
            case UNAUTHENTICATED, INVALID_TOKEN -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT, UNREADABLE_ENTRY, BUSY -> 409;
            case UNAVAILABLE, SEARCH_OFF, SEARCH_LOADING, SERVER_UNAVAILABLE -> 503;
            case UPSTREAM_FAILED -> 502;
            case TOO_MANY_CALLS -> 429;
        };
    }

    public static void addTo(RoutesConfig routes) {
        routes.exception(
                ApiException.class, (e, ctx) -> answer(ctx, e.status(), e.code(), e.getMessage(), e.problems()));
        routes.exception(RegistryException.class, (e, ctx) -> {
            if (e.reason() == RegistryException.Reason.UNAVAILABLE || e.reason() == RegistryException.Reason.BUSY) {
                LOG.error("registry repository error on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            }
            answer(ctx, status(e.reason()), e.code(), e.getMessage(), e.problems());
        });
        routes.exception(WebGuard.BodyTooLargeException.class, (e, ctx) -> {
            ctx.header("Connection", "close");
            answer(ctx, 413, "body_too_large", e.getMessage(), List.of());
        });
        routes.exception(java.io.IOException.class, (e, ctx) -> {
            LOG.error("registry repository error on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            answer(
                    ctx,
                    503,
                    RegistryException.Reason.UNAVAILABLE.code(),
                    "could not use the registry repository (" + e.getMessage() + "); nothing was changed, try again",
                    List.of());
        });
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
            answer(ctx, 500, "internal_error", "the runtime failed to answer; see its log", List.of());
        });
        routes.error(404, ctx -> {
            String type = ctx.res().getContentType();
            // A 404 that already says why (an API's JSON, the website's page for a missing server) stays.
            if (type == null || !type.startsWith("application/json") && !type.startsWith("text/html")) {
                answer(
                        ctx,
                        404,
                        "not_found",
                        "no such page or API route: " + ctx.method() + " " + truncate(ctx.path()),
                        List.of());
            }
        });
    }

    private static void answer(Context ctx, int status, String code, String message, List<String> problems) {
        if (status == 401) {
            ctx.header(
                    "WWW-Authenticate",
                    "Bearer realm=\"mcpgw\"" + (code.equals("invalid_token") ? ", error=\"invalid_token\"" : ""));
        }
        ObjectNode body = JSON.createObjectNode().put("error", code).put("message", message);
        if (!problems.isEmpty()) {
            problems.forEach(body.putArray("problems")::add);
        }
        ctx.status(status).json(body);
    }

    private static String truncate(String path) {
        return path.length() > 100 ? path.substring(0, 100) + "…" : path;
    }
}
