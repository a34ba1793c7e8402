package dev.mcpgw.runtime.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.probe.client.ProbeFailure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bounds of a call through the gateway, against a server that takes forever or answers too much: the call
 * ends at its deadline or at the size limit, typed, and what a well-behaved server answers comes back whole. The
 * server stands in for the gateway: a 2025-era Streamable HTTP endpoint whose tools/call misbehaves on demand.
 */
class GatewayToolCallsTest {

    private static final JsonMapper JSON = JsonMapper.shared();

    private HttpServer server;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile String seenAuthorization;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/slow/mcp", exchange -> answer(exchange, "slow"));
        server.createContext("/big/mcp", exchange -> answer(exchange, "big"));
        server.createContext("/fine/mcp", exchange -> answer(exchange, "fine"));
        server.createContext("/late/mcp", exchange -> answer(exchange, "late"));
        server.start();
    }

    @AfterEach
    void stop() {
        released.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void answer(HttpExchange exchange, String behaviour) throws IOException {
        JsonNode message = JSON.readTree(exchange.getRequestBody().readAllBytes());
        seenAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
        String method = message.path("method").asString("");
        String body;
        int status = 200;
        switch (method) {
            case "server/discover" -> {
                status = 404;
                body = error(message, -32601, "Method not found");
            }
            case "initialize" -> {
                if (behaviour.equals("late")) {
                    pause(LATE_INITIALIZE);
                }
                body = result(message, """
                    {"protocolVersion":"2025-11-25","capabilities":{"tools":{}},"serverInfo":{"name":"t","version":"1"}}""");
            }
            case "tools/call" -> {
                switch (behaviour) {
                    case "slow", "late" -> {
                        try {
                            released.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        body = result(message, "{\"content\":[]}");
                    }
                    case "big" ->
                        body = result(
                                message,
                                "{\"content\":[{\"type\":\"text\",\"text\":\"" + "x".repeat(64 * 1024) + "\"}]}");
                    default -> body = result(message, """
                            {"content":[{"type":"text","text":"fine"}],"structuredContent":{"a":1},"isError":false}""");
                }
            }
            default -> {
                status = 202;
                body = "";
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static final Duration LATE_INITIALIZE = Duration.ofSeconds(3);

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String result(JsonNode request, String result) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + request.path("id") + ",\"result\":" + result + "}";
    }

    private static String error(JsonNode request, int code, String message) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + request.path("id") + ",\"error\":{\"code\":" + code + ",\"message\":\""
                + message + "\"}}";
    }

    private GatewayToolCalls calls(Duration timeout, int maxBytes) {
        return new GatewayToolCalls(new GatewayToolCalls.Settings(
                "http://127.0.0.1:" + server.getAddress().getPort(), timeout, maxBytes, 12, 4));
    }

    private static ServerEntry entry(String id) {
        return ServerEntry.builder(
                        new ServerId(id),
                        id,
                        "The " + id + " server.",
                        UpstreamUrl.parse("http://10.0.0.1:8000"),
                        Transport.STREAMABLE_HTTP)
                .build();
    }

    @Test
    void aToolThatNeverAnswersIsAbortedAtTheDeadline() {
        try (GatewayToolCalls calls = calls(Duration.ofSeconds(1), 1024 * 1024)) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> calls.call(entry("slow"), "wait", null, null))
                    .isInstanceOfSatisfying(
                            ProbeFailure.class,
                            failure -> assertThat(failure.kind()).isEqualTo(ProbeFailure.Kind.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("ended by the deadline, not by the server")
                    .isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void theDeadlineHoldsForARequestWhoseAnswerHasNotBegun() {
        // initialize answered late (3 s of the 4), then tools/call's headers held back: the call ends at the
        // deadline, not at the deadline plus the request's own timeout (7 s), which would hold a thread that long.
        try (GatewayToolCalls calls = calls(Duration.ofSeconds(4), 1024 * 1024)) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> calls.call(entry("late"), "wait", null, null))
                    .isInstanceOfSatisfying(
                            ProbeFailure.class,
                            failure -> assertThat(failure.kind()).isEqualTo(ProbeFailure.Kind.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("ended at the 4 s deadline")
                    .isLessThan(Duration.ofMillis(6500));
        }
    }

    @Test
    void callsInProgressAreBoundedForEachCallerAndForAll() {
        try (GatewayToolCalls calls = new GatewayToolCalls(
                new GatewayToolCalls.Settings("http://127.0.0.1:1", Duration.ofSeconds(1), 1024, 3, 2))) {
            InProgress.Permit first = calls.permit("alice");
            InProgress.Permit second = calls.permit("alice");
            assertThatThrownBy(() -> calls.permit("alice")).isInstanceOfSatisfying(RegistryException.class, refused -> {
                assertThat(refused.reason()).isEqualTo(RegistryException.Reason.TOO_MANY_CALLS);
                assertThat(refused.getMessage())
                        .isEqualTo("you have 2 tool calls in progress already, the most one caller may; wait "
                                + "for one to end, then try again");
            });
            InProgress.Permit bobs = calls.permit("bob");
            assertThatThrownBy(() -> calls.permit("carol"))
                    .isInstanceOfSatisfying(
                            RegistryException.class,
                            refused -> assertThat(refused.getMessage())
                                    .isEqualTo("the registry has 3 tool calls in progress, the most it runs at once; "
                                            + "try again in a few seconds"));
            first.close();
            first.close(); // twice gives back one place, not two
            InProgress.Permit carols = calls.permit("carol");
            assertThatThrownBy(() -> calls.permit("dave")).isInstanceOf(RegistryException.class);
            // a refused caller's own count is not left raised: alice still holds one, so one more is hers
            second.close();
            bobs.close();
            calls.permit("alice").close();
            calls.permit("alice").close();
            carols.close();
        }
    }

    @Test
    void anAnswerLargerThanTheLimitIsRefusedNotBuffered() {
        try (GatewayToolCalls calls = calls(Duration.ofSeconds(10), 16 * 1024)) {
            assertThatThrownBy(() -> calls.call(entry("big"), "flood", null, null))
                    .isInstanceOfSatisfying(
                            ProbeFailure.class,
                            failure -> assertThat(failure.kind()).isEqualTo(ProbeFailure.Kind.TOO_LARGE));
        }
    }

    @Test
    void aResultComesBackWholeAndTheCallCarriesTheCallersAuthorization() throws Exception {
        try (GatewayToolCalls calls = calls(Duration.ofSeconds(10), 1024 * 1024)) {
            JsonNode result = calls.call(entry("fine"), "ok", JSON.readTree("{\"q\":1}"), "Bearer for-fine");
            assertThat(result.toString())
                    .isEqualTo("{\"content\":[{\"type\":\"text\",\"text\":\"fine\"}],\"structuredContent\":{\"a\":1},"
                            + "\"isError\":false}");
            assertThat(seenAuthorization).isEqualTo("Bearer for-fine");
            assertThat(calls.endpoint(entry("fine"))).endsWith("/fine/mcp");
        }
    }
}
