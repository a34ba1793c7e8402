package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.logging.LogCapture;
import dev.mcpgw.examples.CurrentTime;
import dev.mcpgw.examples.McpHttpServer;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The runtime's live status: a real Git registry, a real MCP server, a WebSocket client. */
class RuntimeTest {

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @TempDir
    Path work;

    private Path registry(McpHttpServer time) throws Exception {
        Path repo = work.resolve("registry");
        Files.createDirectories(repo.resolve("servers"));
        Files.writeString(
                repo.resolve("servers/time.yaml"),
                "name: Time\npath: /time\nproxy_pass_url: http://127.0.0.1:" + time.port()
                        + "\ntransport: streamable-http\ndescription: Time.\n");
        Files.writeString(
                repo.resolve("servers/off.yaml"),
                "name: Off\npath: /off\nproxy_pass_url: http://127.0.0.1:9\n"
                        + "transport: sse\ndescription: Off.\nenabled: false\n");
        try (Git git =
                Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern("servers").call();
            git.commit()
                    .setMessage("servers")
                    .setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com")
                    .call();
        }
        return repo;
    }

    private static RuntimeSettings.Builder settings(Path repo, int maxClients) {
        return TestRegistry.settings(repo).maxClients(maxClients);
    }

    @Test
    void sendsTheFullMapThenEachChange() throws Exception {
        McpHttpServer time = McpHttpServer.start(
                CurrentTime.definition(Clock.systemUTC(), null),
                McpHttpServer.Transport.STREAMABLE_HTTP,
                "127.0.0.1",
                0);
        try (RegistryRuntime runtime = RegistryRuntime.start(settings(registry(time), 10))) {
            WsListener listener = new WsListener();
            WebSocket socket = WsListener.connect(runtime, listener);

            JsonNode state = listener.next();
            while (!state.path("/time").path("status").asString("").equals("healthy")) {
                state = listener.next(); // the first round may still be running when we connect
            }
            assertThat(state.path("/time").path("num_tools").asInt()).isEqualTo(1);
            assertThat(state.path("/time").path("last_checked_iso").asString()).isNotEmpty();

            time.close();
            JsonNode change = listener.next();
            while (!change.has("/time")) {
                change = listener.next();
            }
            assertThat(change.path("/time").path("status").asString()).isEqualTo("unreachable");
            assertThat(change.has("/off")).as("only what changed is sent").isFalse();
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }

    @Test
    void refusesClientsOverTheLimitAndSaysSo() throws Exception {
        McpHttpServer time = McpHttpServer.start(
                CurrentTime.definition(Clock.systemUTC(), null),
                McpHttpServer.Transport.STREAMABLE_HTTP,
                "127.0.0.1",
                0);
        try (time;
                RegistryRuntime runtime = RegistryRuntime.start(settings(registry(time), 1))) {
            WsListener first = new WsListener();
            WsListener.connect(runtime, first);
            first.next();
            WsListener second = new WsListener();
            WsListener.connect(runtime, second);

            assertThat(second.closed.get(10, TimeUnit.SECONDS))
                    .isEqualTo(dev.mcpgw.runtime.http.WsClients.TRY_AGAIN_LATER);
            assertThat(log.lines()).anyMatch(line -> line.contains("limit of 1 clients is reached"));
            assertThat(runtime.hub().clientCount()).isEqualTo(1);
        }
    }

    @Test
    void aBrowserThatStopsReadingOrVanishesMidMessageNeverHoldsUpTheOthers() throws Exception {
        Path repo = TestRegistry.create(
                work.resolve("quiet"),
                java.util.Map.of("servers/off.yaml", TestRegistry.entry("off", "http://127.0.0.1:9", false)));
        RuntimeSettings.Builder quiet = TestRegistry.settings(repo)
                .probing(new RuntimeSettings.Probing(
                        false, java.time.Duration.ofHours(1), java.time.Duration.ofSeconds(2)));
        try (RegistryRuntime runtime = RegistryRuntime.start(quiet)) {
            WsListener healthy = new WsListener();
            WebSocket socket = WsListener.connect(runtime, healthy);
            healthy.next();
            java.net.Socket stalled = rawWebSocket(runtime.port()); // reads nothing, ever
            java.net.Socket vanishing = rawWebSocket(runtime.port()); // goes away while messages flow
            awaitClients(runtime, 3);

            // 200 changes of 2,000 servers each (about 150 KB a message): far more than socket buffers hold
            for (int round = 0; round < 200; round++) {
                java.util.Map<String, Boolean> enabled = new java.util.TreeMap<>();
                for (int i = 0; i < 2000; i++) {
                    enabled.put("/server-" + i, (i + round) % 2 == 0);
                }
                runtime.hub().publish(enabled, java.util.Map.of());
                if (round == 5) {
                    vanishing.setSoLinger(true, 0);
                    vanishing.close(); // a reset in the middle of the stream
                }
                JsonNode message = healthy.next();
                assertThat(message.size())
                        .as("round %d reaches the healthy client whole", round)
                        .isEqualTo(round == 0 ? 2001 : 2000);
            }
            awaitClients(runtime, 1);
            assertThat(log.lines()).anyMatch(line -> line.contains("fell behind; closed"));
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
            stalled.close();
        }
    }

    /** A WebSocket handshake by hand, so the client can misbehave as no library would. */
    private static java.net.Socket rawWebSocket(int port) throws Exception {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", port);
        socket.setReceiveBufferSize(4096);
        socket.getOutputStream()
                .write(("GET /ws/health_status HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                + "Sec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] status = new byte[12];
        assertThat(socket.getInputStream().readNBytes(status, 0, 12)).isEqualTo(12);
        assertThat(new String(status, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("HTTP/1.1 101");
        return socket;
    }

    private static void awaitClients(RegistryRuntime runtime, int expected) {
        Awaitility.await(expected + " live status clients")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> runtime.hub().clientCount() == expected);
    }
}
