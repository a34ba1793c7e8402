package dev.mcpgw.runtime.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request's fields, from a JSON object or from a form (urlencoded or multipart), as one JSON object: form
 * values stay strings, JSON values keep their types. A field sent twice in a form is refused rather than
 * silently picking one.
 */
public final class RequestBody {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RequestBody.class);

    private static final JsonMapper JSON = JsonMapper.shared();

    private RequestBody() {}

    public static ObjectNode fields(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("application/json")) {
            JsonNode body;
            try {
                body = JSON.readTree(bytes(ctx));
            } catch (JacksonException e) {
                throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
            }
            if (body == null || !body.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return (ObjectNode) body;
        }
        ObjectNode fields = JSON.createObjectNode();
        if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
            if (bytes(ctx).length == 0) {
                return fields;
            }
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    "send the fields as application/json, "
                            + "application/x-www-form-urlencoded or multipart/form-data");
        }
        bytes(ctx); // read (or refused) here, so that a body that never arrives is the client's error
        for (Map.Entry<String, List<String>> field : ctx.formParamMap().entrySet()) {
            if (field.getValue().size() != 1) {
                throw ApiException.badRequest("field '" + field.getKey() + "' is sent "
                        + field.getValue().size() + " times; send it once");
            }
            fields.put(field.getKey(), field.getValue().get(0));
        }
        return fields;
    }

    /**
     * The body's bytes. A body that stops arriving (the client went away, or sent too slowly for the body
     * deadline) is the client's failure, answered 400 - not a repository error, and not worth more than a
     * debug line.
     */
    private static byte[] bytes(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (RuntimeException e) {
            if (e instanceof java.io.UncheckedIOException || e instanceof org.eclipse.jetty.http.BadMessageException) {
                throw unreadable(ctx, e);
            }
            throw e;
        } catch (Exception e) { // Javalin (Kotlin) throws the body's IOException unchecked
            throw unreadable(ctx, e);
        }
    }

    private static RuntimeException unreadable(Context ctx, Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof WebGuard.BodyTooLargeException tooLarge) {
                // refused for its size while being read: 413, as when its length was announced
                ctx.header("Connection", "close");
                return new ApiException(413, "body_too_large", tooLarge.getMessage());
            }
        }
        LOG.debug("{} {}: the request body could not be read: {}", ctx.method(), ctx.path(), e.toString());
        return new ApiException(
                400,
                "body_unreadable",
                "the request body did not arrive whole (the connection "
                        + "ended, or it came too slowly); send it again");
    }
}
