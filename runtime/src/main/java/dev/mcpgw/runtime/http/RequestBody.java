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

    private static final JsonMapper JSON = JsonMapper.shared();

    private RequestBody() {}

    public static ObjectNode fields(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("application/json")) {
            JsonNode body;
            try {
                body = JSON.readTree(ctx.bodyAsBytes());
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
            if (ctx.bodyAsBytes().length == 0) {
                return fields;
            }
            throw new ApiException(415, "unsupported_media_type", "send the fields as application/json, "
                    + "application/x-www-form-urlencoded or multipart/form-data");
        }
        for (Map.Entry<String, List<String>> field : ctx.formParamMap().entrySet()) {
            if (field.getValue().size() != 1) {
                throw ApiException.badRequest("field '" + field.getKey() + "' is sent " + field.getValue().size()
                        + " times; send it once");
            }
            fields.put(field.getKey(), field.getValue().get(0));
        }
        return fields;
    }
}
