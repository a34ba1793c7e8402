package dev.mcpgw.runtime.auth;

import dev.mcpgw.runtime.http.ApiException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an MCP request body asks for, as the access check needs it: each JSON-RPC request's method and the
 * name it acts on (a tool or prompt name, a resource URI). Parsed strictly - a duplicate key is refused, so
 * the gateway and an upstream can never read two different tool names out of one body.
 */
final class JsonRpcRequests {

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** One request (or notification) of the body; {@code name} is null when its method acts on no name. */
    record Call(String method, String name) {
        boolean isToolCall() {
            return method.equals("tools/call");
        }
    }

    private JsonRpcRequests() {}

    /** The requests in {@code body} (one message or a batch); responses the client sends are skipped. */
    static List<Call> parse(String body) {
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("the request body is not one JSON-RPC message: " + e.getOriginalMessage());
        }
        List<Call> calls = new ArrayList<>();
        if (root != null && root.isArray()) {
            root.forEach(message -> add(message, calls));
        } else {
            add(root, calls);
        }
        return calls;
    }

    private static void add(JsonNode message, List<Call> calls) {
        if (message == null || !message.isObject()) {
            throw ApiException.badRequest("the request body is not a JSON-RPC message (an object with \"method\")");
        }
        JsonNode method = message.get("method");
        if (method == null) {
            return;
        }
        if (!method.isString()) {
            throw ApiException.badRequest("\"method\" must be a string");
        }
        String nameField = switch (method.asString()) {
            case "tools/call", "prompts/get" -> "name";
            case "resources/read", "resources/subscribe", "resources/unsubscribe" -> "uri";
            default -> null;
        };
        String name = null;
        if (nameField != null) {
            JsonNode value = message.path("params").get(nameField);
            if (value == null || !value.isString()) {
                throw ApiException.badRequest(method.asString() + " needs params." + nameField + " as a string");
            }
            name = value.asString();
        }
        calls.add(new Call(method.asString(), name));
    }
}
