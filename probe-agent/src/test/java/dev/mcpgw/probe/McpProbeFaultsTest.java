package dev.mcpgw.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mcpgw.core.model.EgressPolicy;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Servers that misbehave at the protocol level, played by a scripted Streamable HTTP endpoint: a valid
 * initialize, then a tools/list answer that is huge, endless or a 4xx.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpProbeFaultsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|[0-9]+)");

    private HttpServer server;
    private final java.util.concurrent.atomic.AtomicInteger deletes = new java.util.concurrent.atomic.AtomicInteger();
    private ScheduledExecutorService watchdog;
    private McpProbe probe;

    @BeforeAll
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/many/mcp", exchange -> {
            if (exchange.getRequestMethod().equals("DELETE")
                    && "scripted-1".equals(exchange.getRequestHeaders().getFirst("Mcp-Session-Id"))) {
                deletes.incrementAndGet();
            }
            script(exchange, id -> tools(id, 100_000, ""));
        });
        server.createContext("/huge/mcp", exchange -> script(exchange, id -> tools(id, 20_000, "x".repeat(500))));
        server.createContext("/endless/mcp", exchange -> script(exchange, null));
        server.createContext("/stateless/mcp", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32022,\"message\":\"Unsupported "
                            + "protocol version\\n\\u001b[31maudit user=admin\",\"data\":{\"supported\":[\"2026-07-28\"]}}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/internal/mcp", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "<html>ami-id: secret-instance-credentials</html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        for (String[] offsite : new String[][] {
            {"/offsite/sse", "http://169.254.169.254/latest/meta-data"},
            {"/elsewhere/sse", "//attacker.example.com/message"},
            {"/mailto/sse", "mailto:x@example.com"}
        }) {
            server.createContext(offsite[0], exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(("event: endpoint\ndata: " + offsite[1] + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(TIMEOUT.toMillis() * 2);
                } catch (IOException | InterruptedException closedByClient) {
                    // the probe hung up
                }
            });
        }
        server.createContext("/forbidden/mcp", exchange -> {
            exchange.sendResponseHeaders(403, -1);
            exchange.close();
        });
        server.start();
        watchdog = Executors.newSingleThreadScheduledExecutor();
        probe = new McpProbe(
                TIMEOUT,
                Clock.systemUTC(),
                watchdog,
                EgressPolicy.strict(List.of("127.0.0.1/32", "no-such-host.invalid"), List.of()));
    }

    @AfterAll
    void stop() {
        server.stop(0);
        watchdog.shutdownNow();
    }

    private interface Answer {
        String json(String id);
    }

    /** initialize and notifications answered properly; tools/list by {@code toolsList}, or an endless stream. */
    private static void script(HttpExchange exchange, Answer toolsList) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("DELETE") ? 200 : 405, -1);
            exchange.close();
            return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher idMatch = ID.matcher(body);
        String id = idMatch.find() ? idMatch.group(1) : null;
        exchange.getResponseHeaders().add("Mcp-Session-Id", "scripted-1");
        if (body.contains("\"initialize\"")) {
            send(
                    exchange,
                    "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"protocolVersion\":\"2025-11-25\","
                            + "\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"scripted\",\"version\":\"1\"}}}");
        } else if (id == null) {
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        } else if (toolsList == null) {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                while (true) {
                    out.write(": still thinking\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException closedByClient) {
                // the probe gave up: as it should
            }
        } else {
            send(exchange, toolsList.json(id));
        }
    }

    private static void send(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException closedByClient) {
            // a client that refuses a huge answer hangs up mid-way
        }
    }

    private static String tools(String id, int count, String description) {
        StringBuilder json =
                new StringBuilder("{\"jsonrpc\":\"2.0\",\"id\":").append(id).append(",\"result\":{\"tools\":[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"name\":\"tool_")
                    .append(i)
                    .append("\",\"description\":\"")
                    .append(description)
                    .append("\",\"inputSchema\":{\"type\":\"object\"}}");
        }
        return json.append("]}}").toString();
    }

    private ServerStatus probe(String path) {
        ServerEntry entry = ServerEntry.builder(
                        new ServerId("x"),
                        "x",
                        "x.",
                        UpstreamUrl.parse(
                                "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path),
                        Transport.STREAMABLE_HTTP)
                .build();
        return probe.probe(entry, "rev");
    }

    @Test
    void keepsABoundedNumberOfToolsAndSaysSoAndEndsTheSession() {
        int deletesBefore = deletes.get();
        ServerStatus status = probe("many");

        assertThat(deletes.get()).as("the session is ended with DELETE").isEqualTo(deletesBefore + 1);
        assertThat(status.health()).isEqualTo(Health.HEALTHY);
        assertThat(status.tools()).hasSize(McpProbe.MAX_TOOLS);
        assertThat(status.toolsTruncated()).isTrue();
        assertThat(status.error()).isEqualTo("tool list cut at " + McpProbe.MAX_TOOLS + " tools");
    }

    @Test
    void refusesAToolListLargerThanTheResponseLimit() {
        ServerStatus status = probe("huge");

        assertThat(status.health()).isEqualTo(Health.UNHEALTHY);
        assertThat(status.tools()).isEmpty();
        assertThat(status.error()).isNotBlank();
    }

    @Test
    void givesUpOnAServerThatStreamsForeverAtItsTimeout() {
        long start = System.nanoTime();
        ServerStatus status = probe("endless");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(2));
        assertThat(status.health()).isEqualTo(Health.UNHEALTHY);
        assertThat(status.errorKind()).isEqualTo("timeout");
    }

    @Test
    void reportsHttpErrors() {
        ServerStatus status = probe("forbidden");

        assertThat(status.health()).isEqualTo(Health.UNHEALTHY);
        assertThat(status.errorKind()).isEqualTo("unauthorized");
        assertThat(status.error()).isEqualTo("the server refused the probe's credentials (HTTP 401/403)");
    }

    @Test
    void recordsAJsonRpcRefusalWithItsCodeAndItsOwnWordsOnOneLine() {
        ServerStatus status = probe("stateless");

        assertThat(status.health()).isEqualTo(Health.UNHEALTHY);
        assertThat(status.errorKind()).isEqualTo("rpc_error");
        assertThat(status.error())
                .isEqualTo("the server answered initialize with error -32022: Unsupported protocol "
                        + "version [31maudit user=admin");
        assertThat(status.error()).doesNotContain("\n", "\u001b");
    }

    @Test
    void neverCopiesWhatANonMcpAddressServesIntoTheStatus() {
        ServerStatus status = probe("internal");

        assertThat(status.health()).isEqualTo(Health.UNHEALTHY);
        assertThat(status.errorKind()).isEqualTo("protocol");
        assertThat(status.error()).doesNotContain("ami-id", "secret", "html");
    }

    @Test
    void neverContactsAnUpstreamTheEgressPolicyRefuses() {
        for (String url : List.of(
                "http://127.0.0.2:" + server.getAddress().getPort() + "/many",
                "http://localhost:" + server.getAddress().getPort() + "/many",
                "http://169.254.169.254/latest")) {
            int deletesBefore = deletes.get();
            ServerStatus status = probe.probe(
                    ServerEntry.builder(new ServerId("x"), "x", "x.", UpstreamUrl.parse(url), Transport.STREAMABLE_HTTP)
                            .build(),
                    "rev");
            assertThat(status.health()).as(url).isEqualTo(Health.UNREACHABLE);
            assertThat(status.errorKind()).as(url).isEqualTo("egress_refused");
            assertThat(status.error()).as(url).startsWith("not contacted: ");
            assertThat(status.tools()).isEmpty();
            assertThat(deletes.get()).as("no session was opened").isEqualTo(deletesBefore);
        }
    }

    @Test
    void neverPostsWhereAnSseServerPointsItOutsideItsOwnOrigin() {
        for (String path : List.of("offsite", "elsewhere", "mailto")) {
            long start = System.nanoTime();
            ServerStatus status = probe.probe(
                    ServerEntry.builder(
                                    new ServerId("s"),
                                    "s",
                                    "s.",
                                    UpstreamUrl.parse("http://127.0.0.1:"
                                            + server.getAddress().getPort() + "/" + path),
                                    Transport.SSE)
                            .build(),
                    "rev");
            assertThat(status.health()).as(path).isEqualTo(Health.UNHEALTHY);
            assertThat(status.errorKind()).as(path).isEqualTo("protocol");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as(path).isLessThan(TIMEOUT);
        }
    }

    /** A port that answers every connection in plain HTTP and hangs up: what a TLS client meets on a non-TLS port. */
    private static java.net.ServerSocket plainHttpPort() throws IOException {
        java.net.ServerSocket socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread answering = new Thread(() -> {
            while (!socket.isClosed()) {
                try (java.net.Socket client = socket.accept()) {
                    client.getOutputStream()
                            .write("HTTP/1.0 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        answering.setDaemon(true);
        answering.start();
        return socket;
    }

    @Test
    void reportsUnknownHostsAndTlsFailuresAsUnreachable() throws IOException {
        ServerEntry unknown = ServerEntry.builder(
                        new ServerId("u"),
                        "u",
                        "u.",
                        UpstreamUrl.parse("http://no-such-host.invalid:80"),
                        Transport.STREAMABLE_HTTP)
                .build();
        java.net.ServerSocket plain = plainHttpPort();
        ServerEntry tls = ServerEntry.builder(
                        new ServerId("t"),
                        "t",
                        "t.",
                        UpstreamUrl.parse("https://127.0.0.1:" + plain.getLocalPort()),
                        Transport.STREAMABLE_HTTP)
                .build();

        ServerStatus unknownStatus = probe.probe(unknown, "rev");
        ServerStatus tlsStatus = probe.probe(tls, "rev");

        assertThat(unknownStatus.health()).isEqualTo(Health.UNREACHABLE);
        assertThat(unknownStatus.errorKind()).isEqualTo("unknown_host");
        assertThat(tlsStatus.health()).isEqualTo(Health.UNREACHABLE);
        assertThat(tlsStatus.errorKind()).isEqualTo("tls");
        plain.close();
    }
}
