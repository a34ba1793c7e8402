package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Collects a live-status WebSocket's text messages and close code. */
final class WsListener implements WebSocket.Listener {

    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    static WebSocket connect(RegistryRuntime runtime, WsListener listener) {
        return HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + runtime.port() + "/ws/health_status"), listener)
                .join();
    }

    /** Connects as the holder of {@code token}. */
    static WebSocket connect(RegistryRuntime runtime, WsListener listener, String token) {
        return HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .buildAsync(URI.create("ws://127.0.0.1:" + runtime.port() + "/ws/health_status"), listener)
                .join();
    }

    /** Connects to the website's feed, {@code /ws/registry}, as the holder of {@code token} (null: anonymous). */
    static WebSocket feed(RegistryRuntime runtime, WsListener listener, String token) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.buildAsync(URI.create("ws://127.0.0.1:" + runtime.port() + "/ws/registry"), listener)
                .join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        socket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    JsonNode next() throws InterruptedException {
        String message = messages.poll(20, TimeUnit.SECONDS);
        assertThat(message).as("a status message").isNotNull();
        return JsonMapper.shared().readTree(message);
    }

    /** The next message that satisfies {@code wanted}, skipping others. */
    JsonNode until(Predicate<JsonNode> wanted) throws InterruptedException {
        JsonNode message = next();
        while (!wanted.test(message)) {
            message = next();
        }
        return message;
    }
}
