package dev.mcpgw.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.validation.RegistryValidator;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slow and the raw: idle streams outliving nginx's 60 s default on both transports, and the runtime's
 * WebSocket upgrade through the gateway (while MCP upstreams never see an Upgrade). Runs as an integration
 * test because waiting out the default takes a minute.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.Tag("nginx")
class RuntimeAndStreamsIT {

    private static final long IDLE_SECONDS = 65;

    @TempDir
    static Path work;

    private HttpServer streams;
    private ServerSocket runtime;
    private final List<String> runtimeRequests = new ArrayList<>();
    private NginxProcess nginx;
    private int port;

    @BeforeAll
    void start() throws Exception {
        NginxProcess.requireNginx();
        streams = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        streams.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        streams.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            body.write(("data: first " + exchange.getRequestHeaders().getFirst("Upgrade") + "\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.flush();
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(IDLE_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            body.write("data: second\n\n".getBytes(StandardCharsets.UTF_8));
            body.close();
        });
        streams.start();
        runtime = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::serveWebSocketHandshakes, "runtime-stand-in");
        acceptor.setDaemon(true);
        acceptor.start();

        Path servers = Files.createDirectories(work.resolve("servers"));
        String upstream = "http://127.0.0.1:" + streams.getAddress().getPort();
        Files.writeString(
                servers.resolve("stream.yaml"),
                "name: s\npath: /stream\nproxy_pass_url: " + upstream
                        + "\ntransport: streamable-http\ndescription: s.\n");
        Files.writeString(
                servers.resolve("legacy.yaml"),
                "name: l\npath: /legacy\nproxy_pass_url: " + upstream + "\ntransport: sse\ndescription: l.\n");
        port = NginxProcess.freePort();
        GatewayCompiler.Result result = new GatewayCompiler(RegistryValidator.create())
                .compile(
                        servers,
                        "servers",
                        GatewaySettings.defaults()
                                .withListen(new HostPort("127.0.0.1", port))
                                .withRuntime(UpstreamUrl.parse("http://127.0.0.1:" + runtime.getLocalPort()))
                                // The requests below name the gateway "gw", as clients of a gateway known by that name
                                // do.
                                .withWeb(new GatewaySettings.Web(null, java.util.List.of("gw"), java.util.List.of())));
        nginx = NginxProcess.start(work.resolve("prefix"), result.config(), port);
    }

    @AfterAll
    void stop() throws Exception {
        nginx.close();
        streams.stop(0);
        runtime.close();
    }

    /** A runtime stand-in: records each request head, answers a WebSocket handshake, then echoes bytes. */
    private void serveWebSocketHandshakes() {
        while (!runtime.isClosed()) {
            try (Socket socket = runtime.accept()) {
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                StringBuilder head = new StringBuilder();
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    head.append(line.toLowerCase()).append('\n');
                }
                synchronized (runtimeRequests) {
                    runtimeRequests.add(head.toString());
                }
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                int c;
                while ((c = in.read()) != -1) {
                    out.write(c);
                    out.flush();
                }
            } catch (Exception closed) {
                return;
            }
        }
    }

    /** Reads one SSE stream through the gateway: both events, the second after {@link #IDLE_SECONDS} of silence. */
    private String readStream(String path, String upgrade) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(IDLE_SECONDS + 30));
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: gw\r\nAccept: text/event-stream\r\n"
                                    + (upgrade == null
                                            ? "Connection: close\r\n"
                                            : "Connection: Upgrade, close\r\nUpgrade: " + upgrade + "\r\n")
                                    + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void idleStreamsOutliveNginxDefaultTimeoutOnBothTransports() throws Exception {
        CompletableFuture<String> streamable =
                CompletableFuture.supplyAsync(() -> unchecked(() -> readStream("/stream/mcp", "h2c")));
        CompletableFuture<String> legacy =
                CompletableFuture.supplyAsync(() -> unchecked(() -> readStream("/legacy/sse", null)));

        assertThat(streamable.get(IDLE_SECONDS + 40, TimeUnit.SECONDS))
                .contains("data: first null\n\n", "data: second\n\n");
        assertThat(legacy.get(IDLE_SECONDS + 40, TimeUnit.SECONDS))
                .contains("data: first null\n\n", "data: second\n\n");
    }

    @Test
    void forwardsWebsocketUpgradesToTheRuntimeOnly() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws/health_status HTTP/1.1\r\nHost: gw\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String status = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1)).readLine();
            assertThat(status).isEqualTo("HTTP/1.1 101 Switching Protocols");
        }
        synchronized (runtimeRequests) {
            assertThat(runtimeRequests)
                    .anySatisfy(head -> assertThat(head)
                            .startsWith("get /ws/health_status http/1.1\n")
                            .contains("upgrade: websocket\n", "connection: upgrade\n", "x-forwarded-host: gw\n"));
        }
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T unchecked(Call<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
