package dev.mcpgw.runtime.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mcpgw.runtime.http.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The access check reads a body as strictly as any upstream could: bodies that one decoder reads one way and
 * another decoder another way - a duplicate key, a key spelled in another case that a case-insensitive decoder
 * (Go's encoding/json) takes for the real one, trailing content - are refused, not guessed at.
 */
class JsonRpcRequestsTest {

    private static String refusal(String body) {
        try {
            JsonRpcRequests.parse(body);
        } catch (ApiException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void aToolCallIsReadWithItsName() {
        List<JsonRpcRequests.Call> calls = JsonRpcRequests.parse(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"allowed\","
                        + "\"arguments\":{\"a\":1,\"A\":2}}}");
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.isToolCall()).isTrue();
            assertThat(call.name()).isEqualTo("allowed");
        });
    }

    @Test
    void aSecondNameInAnotherCaseIsRefused() {
        assertThat(refusal("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"allowed\",\"Name\":\"secret\"}}"))
                .isEqualTo("keys \"name\" and \"Name\" of params differ only in case; send one");
        // alone, too: the check would see no name, a Go server would call "secret"
        assertThat(refusal("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"NAME\":\"secret\"}}"))
                .isEqualTo("key \"NAME\" of params must be spelled \"name\" (keys are case-sensitive)");
        // the Kelvin sign folds to k as Go folds it
        assertThat(refusal(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tasks/get\",\"params\":{\"tas\u212AId\":\"t\"}}"))
                .contains("must be spelled \"taskId\"");
    }

    @Test
    void aMethodInAnotherCaseIsRefused() {
        assertThat(refusal("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"Method\":\"tools/list\"}"))
                .isEqualTo("keys \"method\" and \"Method\" of the message differ only in case; send one");
        // without "method" the check would take it for a response and let it pass
        assertThat(refusal("[{\"jsonrpc\":\"2.0\",\"id\":1,\"METHOD\":\"tools/call\",\"params\":{\"name\":\"x\"}}]"))
                .isEqualTo("key \"METHOD\" of the message must be spelled \"method\" (keys are case-sensitive)");
    }

    @Test
    void duplicatesAndTrailingContentAreRefused() {
        assertThatThrownBy(
                        () -> JsonRpcRequests.parse(
                                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"a\",\"name\":\"b\"}}"))
                .isInstanceOf(ApiException.class);
        assertThat(refusal("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"a\"}}"
                        + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"b\"}}"))
                .startsWith("the request body is not one JSON-RPC message");
    }
}
