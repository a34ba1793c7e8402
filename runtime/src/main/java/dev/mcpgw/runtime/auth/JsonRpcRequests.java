package dev.mcpgw.runtime.auth;

import dev.mcpgw.runtime.http.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an MCP request body asks for, as the access check needs it: each JSON-RPC request's id, method and the
 * name it acts on (a tool or prompt name, a resource URI, a task id of the tasks extension). Parsed strictly - a
 * duplicate key is refused, so the gateway and an upstream can never read two different tool names out of one
 * body - and so is a key that differs from one the check reads only in case ({@code "Name"}, {@code "METHOD"}):
 * decoders that match keys case-insensitively (Go's {@code encoding/json}, which several MCP server SDKs use) would
 * read it where the check did not. Nothing else is required of a request: a method the check has no rule for, or a
 * request missing its name, is the upstream's to answer (its own error, in its own era).
 */
final class JsonRpcRequests {

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The keys the check reads, of a message and of its params. */
    private static final Set<String> MESSAGE_KEYS = Set.of("jsonrpc", "id", "method", "params");

    private static final Set<String> PARAMS_KEYS = Set.of("name", "uri", "taskId");

    /**
     * One request (or notification) of the body: its id as sent (null for a notification), its method, and the
     * name it acts on - null when the method acts on none or the body does not give it as a string.
     */
    record Call(JsonNode id, String method, String name) {
        boolean isToolCall() {
            return method.equals("tools/call");
        }

        /** Whether the method is one whose {@code Mcp-Name} the check knows where to find in the body. */
        boolean named() {
            return nameField(method) != null;
        }
    }

    /** Where a method's name is in its params: the methods that carry {@code Mcp-Name} in the 2026 revision. */
    static String nameField(String method) {
        return switch (method) {
            case "tools/call", "prompts/get" -> "name";
            case "resources/read", "resources/subscribe", "resources/unsubscribe" -> "uri";
            case "tasks/get", "tasks/result", "tasks/cancel" -> "taskId";
            default -> null;
        };
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
        caseSafe(message, MESSAGE_KEYS, "the message");
        if (message.get("params") != null && message.get("params").isObject()) {
            caseSafe(message.get("params"), PARAMS_KEYS, "params");
        }
        JsonNode method = message.get("method");
        if (method == null) {
            return;
        }
        if (!method.isString()) {
            throw ApiException.badRequest("\"method\" must be a string");
        }
        String nameField = nameField(method.asString());
        JsonNode value = nameField == null ? null : message.path("params").get(nameField);
        calls.add(new Call(
                message.get("id"), method.asString(), value != null && value.isString() ? value.asString() : null));
    }

    /**
     * Refuses keys of {@code object} that a case-insensitive decoder would take for one the check reads, or for one
     * another: {@code "Name"} beside (or instead of) {@code "name"}, two spellings of one key.
     */
    private static void caseSafe(JsonNode object, Set<String> read, String where) {
        Map<String, String> byFold = new HashMap<>();
        for (String key : object.propertyNames()) {
            String fold = fold(key);
            String other = byFold.putIfAbsent(fold, key);
            if (other != null) {
                throw ApiException.badRequest(
                        "keys \"" + other + "\" and \"" + key + "\" of " + where + " differ only in case; send one");
            }
            for (String known : read) {
                if (!key.equals(known) && fold.equals(fold(known))) {
                    throw ApiException.badRequest("key \"" + key + "\" of " + where + " must be spelled \"" + known
                            + "\" (keys are case-sensitive)");
                }
            }
        }
    }

    /** Case folded as a case-insensitive decoder folds it (the Kelvin sign is k, the long s is s). */
    private static String fold(String key) {
        return key.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }
}
