package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.logging.LogCapture;
import dev.mcpgw.runtime.http.TrustedProxies;
import dev.mcpgw.runtime.http.WsClients;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's edge as a hostile web page, a flood of sockets and a careless client meet it, each attack
 * performed for real against a running runtime: DNS rebinding, another site's page (API, WebSocket, mcpgw),
 * one address filling the WebSocket capacity, forged forwarded headers, unknown charsets, oversized bodies and
 * requests the MCP SDK would have answered with a serialized Java exception.
 */
class WebEdgeTest {

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @TempDir
    Path work;

    private RegistryRuntime start(RuntimeSettings.Web web, int maxClients) throws Exception {
        Path repo = TestRegistry.create(
                work.resolve("registry-" + maxClients + web.trustedProxies().size()),
                Map.of("servers/off.yaml", TestRegistry.entry("off", "http://127.0.0.1:9", false)));
        return RegistryRuntime.start(
                TestRegistry.settings(repo).web(web).maxClients(maxClients).gatewayUrl("https://mcp.example.com"));
    }

    @Test
    void pagesOfOtherSitesAndReboundHostNamesGetNothing() throws Exception {
        try (RegistryRuntime runtime =
                start(new RuntimeSettings.Web(List.of(), List.of("https://app.example.com"), List.of()), 100)) {
            int port = runtime.port();
            // DNS rebinding: evil.example.com resolves to the runtime; the page's requests name that host.
            assertThat(raw(
                            port,
                            "GET /api/server_details/all HTTP/1.1\r\nHost: evil.example.com:" + port
                                    + "\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 421")
                    .contains("unknown_host");
            assertThat(raw(port, "GET /health HTTP/1.1\r\nHost: 10.0.0.7:" + port + "\r\nConnection: close\r\n\r\n"))
                    .as("probes address the runtime by its machine's address")
                    .startsWith("HTTP/1.1 200");
            // The gateway's public name, this listener's own names, and the allowed app pass.
            assertThat(raw(
                            port,
                            "GET /v0.1/servers HTTP/1.1\r\nHost: mcp.example.com\r\nOrigin: "
                                    + "https://mcp.example.com\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
            assertThat(raw(
                            port,
                            "GET /v0.1/servers HTTP/1.1\r\nHost: localhost:" + port
                                    + "\r\nOrigin: https://app.example.com\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200")
                    .as("the allowed app's page may read the registry API")
                    .contains("Access-Control-Allow-Origin: https://app.example.com")
                    .contains("Vary: Origin");
            assertThat(raw(
                            port,
                            "OPTIONS /v0.1/servers HTTP/1.1\r\nHost: localhost:" + port
                                    + "\r\nOrigin: https://app.example.com\r\nAccess-Control-Request-Method: GET\r\n"
                                    + "Access-Control-Request-Headers: authorization\r\nConnection: close\r\n\r\n"))
                    .as("and ask before sending its token")
                    .contains("Access-Control-Allow-Origin: https://app.example.com")
                    .containsIgnoringCase("Access-Control-Allow-Headers: authorization");
            // Another site's page: the API, the live status WebSocket with a visitor's cookie, and mcpgw.
            Http http = new Http(runtime);
            http.login();
            Http.Response api = http.get("/api/server_details/all", "Origin", "http://localhost:3000");
            assertThat(api.status()).isEqualTo(403);
            assertThat(api.json().path("error").asString()).isEqualTo("forbidden_origin");
            String upgrade = "GET /ws/health_status HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Cookie: " + http.cookie() + "\r\nOrigin: %s\r\n\r\n";
            assertThat(firstLine(port, upgrade.formatted("https://evil.example.com")))
                    .startsWith("HTTP/1.1 403");
            assertThat(firstLine(port, upgrade.formatted("http://127.0.0.1:" + port)))
                    .as("the runtime's own pages still follow it")
                    .startsWith("HTTP/1.1 101");
            String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"page\",\"version\":\"1\"}}}";
            assertThat(raw(
                            port,
                            "POST /mcpgw/mcp HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nOrigin: "
                                    + "https://evil.example.com\r\nContent-Type: application/json\r\nAccept: application/json, "
                                    + "text/event-stream\r\nContent-Length: " + call.length()
                                    + "\r\nConnection: close\r\n\r\n" + call))
                    .startsWith("HTTP/1.1 403")
                    .doesNotContain("mcpgw\",\"version");
            assertThat(log.lines()).noneMatch(line -> line.contains("Exception"));
        }
    }

    @Test
    void oneAddressCannotTakeEveryWebSocketAndAdministratorsAlwaysGetIn() throws Exception {
        // Behind a trusted gateway (loopback here): the address that counts is the one it saw.
        try (RegistryRuntime runtime =
                start(new RuntimeSettings.Web(List.of(), List.of(), TrustedProxies.LOOPBACK), 20)) {
            // A page on a rebound name, on this machine (where the trusted gateway is), sending the header a
            // gateway would: its own Host still gives it away.
            assertThat(raw(
                            runtime.port(),
                            "GET /v0.1/servers HTTP/1.1\r\nHost: evil.example.com:" + runtime.port()
                                    + "\r\nX-Forwarded-Host: mcp.example.com\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 421");
            List<WebSocket> open = new ArrayList<>();
            for (int i = 0; i < WsClients.PER_ADDRESS; i++) {
                open.add(connect(runtime, new WsListener(), "10.0.0.1", null));
            }
            WsListener seventeenth = new WsListener();
            connect(runtime, seventeenth, "10.0.0.1", null);
            assertThat(seventeenth.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WsClients.TRY_AGAIN_LATER);
            assertThat(log.lines())
                    .anyMatch(line -> line.contains(WsClients.PER_ADDRESS + " connections from one address"));
            // Others still get in, up to the anonymous share (20 less a tenth kept for signed-in callers).
            WsListener other = new WsListener();
            open.add(connect(runtime, other, "10.0.0.2", null));
            assertThat(other.next().has("/off")).isTrue();
            open.add(connect(runtime, new WsListener(), "10.0.0.3", null));
            WsListener overShare = new WsListener();
            connect(runtime, overShare, "10.0.0.4", null);
            assertThat(overShare.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WsClients.TRY_AGAIN_LATER);
            // An administrator is let in all the same.
            Http http = new Http(runtime);
            http.login();
            WsListener admin = new WsListener();
            open.add(connect(runtime, admin, "10.0.0.4", http.cookie()));
            assertThat(admin.next().has("/off")).isTrue();
            assertThat(runtime.hub().clientCount()).isEqualTo(WsClients.PER_ADDRESS + 3);
            // Closing frees the address's room.
            open.get(0).sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
            TestRegistry.await(() -> runtime.hub().clientCount(), count -> count == WsClients.PER_ADDRESS + 2);
            WsListener again = new WsListener();
            open.add(connect(runtime, again, "10.0.0.1", null));
            assertThat(again.next().has("/off")).isTrue();
            open.forEach(socket -> socket.abort());
        }
    }

    @Test
    void aSignedInSocketClosesWhenItsCallerSignsOut() throws Exception {
        try (RegistryRuntime runtime = start(RuntimeSettings.Web.NONE, 100)) {
            Http http = new Http(runtime);
            http.login();
            WsListener admin = new WsListener();
            WebSocket socket = connect(runtime, admin, "10.0.0.9", http.cookie());
            assertThat(admin.next().has("/off")).as("the signed-in view").isTrue();
            WsListener visitor = new WsListener();
            WebSocket anonymous = connect(runtime, visitor, "10.0.0.8", null);
            visitor.next();
            assertThat(http.form("/logout", Map.of()).status()).isEqualTo(200);
            assertThat(admin.closed.get(10, TimeUnit.SECONDS))
                    .as("what only a signed-in caller may see stops with the sign-out")
                    .isEqualTo(1008);
            assertThat(visitor.closed).as("other sockets stay").isNotDone();
            anonymous.abort();
            socket.abort();
        }
    }

    @Test
    void forwardedHeadersFromAPeerNotTrustedAreIgnored() throws Exception {
        try (RegistryRuntime runtime = start(RuntimeSettings.Web.NONE, 100)) {
            Http http = new Http(runtime);
            Http.Response login = http.form(
                    "/login",
                    Map.of("username", "admin", "password", TestRegistry.PASSWORD),
                    "X-Forwarded-Proto",
                    "https",
                    "X-Real-IP",
                    "203.0.113.9");
            assertThat(login.status()).isEqualTo(200);
            assertThat(login.header("Set-Cookie")).doesNotContain("Secure");
            assertThat(log.lines())
                    .anyMatch(line -> line.contains("signed in"))
                    .noneMatch(line -> line.contains("203.0.113.9"));
            // The gateway's access check is the gateway's alone: its answer would hand a caller the key that
            // tags its sessions, with which it could claim a session id it learned.
            Http.Response check = http.json("/auth/check", "{}", "X-Mcpgw-Server", "off");
            assertThat(check.status()).isEqualTo(403);
            assertThat(check.header("X-Mcpgw-Session-Key")).isNull();
            // X-Forwarded-Host from a peer not trusted is no way around the host check either.
            assertThat(raw(
                            runtime.port(),
                            "GET /api/server_details/all HTTP/1.1\r\nHost: evil.example.com\r\n"
                                    + "X-Forwarded-Host: mcp.example.com\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 421");
        }
    }

    @Test
    void unknownCharsetsOversizedBodiesAndMcpMistakesGetShortErrorsAndNoStackTrace() throws Exception {
        try (RegistryRuntime runtime = start(RuntimeSettings.Web.NONE, 100)) {
            int port = runtime.port();
            String host = "Host: 127.0.0.1:" + port + "\r\n";
            assertThat(raw(
                            port,
                            "POST /login HTTP/1.1\r\n" + host + "Content-Type: application/x-www-form-urlencoded; "
                                    + "charset=x-foo\r\nContent-Length: 3\r\nConnection: close\r\n\r\na=b"))
                    .startsWith("HTTP/1.1 415")
                    .contains("unsupported_charset");
            // The documented 256 KiB: refused by its length before a byte is read, and while reading without one.
            String big = "x".repeat(300 * 1024);
            assertThat(raw(
                            port,
                            "POST /api/servers/register HTTP/1.1\r\n" + host + "Content-Type: application/json\r\n"
                                    + "Content-Length: " + big.length() + "\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 413")
                    .contains("body_too_large");
            String chunked = Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n";
            assertThat(raw(
                            port,
                            "POST /login HTTP/1.1\r\n" + host + "Content-Type: application/x-www-form-urlencoded\r\n"
                                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked))
                    .startsWith("HTTP/1.1 413");
            // mcpgw: the SDK's own refusals (no session, unknown session, not JSON) as short JSON-RPC errors.
            for (String request : List.of(
                    "POST /mcpgw/mcp HTTP/1.1\r\n" + host
                            + "Content-Type: application/json\r\nAccept: application/json, "
                            + "text/event-stream\r\nContent-Length: 46\r\nConnection: close\r\n\r\n"
                            + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
                    "DELETE /mcpgw/mcp HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n",
                    "POST /mcpgw/mcp HTTP/1.1\r\n" + host
                            + "Content-Type: application/json\r\nAccept: application/json, "
                            + "text/event-stream\r\nMcp-Session-Id: nobody\r\nContent-Length: 46\r\nConnection: close\r\n\r\n"
                            + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
                    "POST /mcpgw/message?sessionId=nobody HTTP/1.1\r\n" + host + "Content-Type: application/json\r\n"
                            + "Content-Length: 5\r\nConnection: close\r\n\r\nnope!",
                    "POST /mcpgw/mcp HTTP/1.1\r\n" + host + "Content-Type: application/json; charset=x-foo\r\n"
                            + "Content-Length: 2\r\nConnection: close\r\n\r\n{}")) {
                String answer = raw(port, request);
                String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
                assertThat(answer).as(request).matches("(?s)HTTP/1.1 4\\d\\d .*");
                assertThat(body).as(request).hasSizeLessThan(500).doesNotContain("stackTrace", "at io.", "Exception");
                if (request.contains("/mcpgw/mcp") && !request.contains("x-foo")) {
                    assertThat(body).as(request).contains("\"jsonrpc\":\"2.0\"", "\"error\":{\"code\":-32");
                }
            }
            assertThat(log.lines())
                    .as("a client's mistake is no server error")
                    .noneMatch(line -> line.contains("Exception"));
        }
    }

    @Test
    void slowBodiesDoNotHoldEveryThread() throws Exception {
        try (RegistryRuntime runtime = start(RuntimeSettings.Web.NONE, 100)) {
            List<Socket> slow = new ArrayList<>();
            try {
                // More than the runtime's 64 threads, each a body announced and never sent.
                for (int i = 0; i < 80; i++) {
                    Socket socket = new Socket("127.0.0.1", runtime.port());
                    socket.getOutputStream()
                            .write(("POST /login HTTP/1.1\r\nHost: 127.0.0.1:" + runtime.port()
                                            + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nu")
                                    .getBytes(StandardCharsets.US_ASCII));
                    slow.add(socket);
                }
                Http http = new Http(runtime);
                assertThat(http.get("/api/session").status()).isEqualTo(200);
                // Answered while every slow body is still pending: they hold no thread.
                Socket first = slow.get(0);
                first.setSoTimeout(200);
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> first.getInputStream().read())
                        .as("the first slow client is still waiting")
                        .isInstanceOf(java.net.SocketTimeoutException.class);
                // At the body deadline (10 s, and a little for the size the route allows) each is cut off.
                for (Socket socket : slow) {
                    socket.setSoTimeout(30_000);
                    assertThat(socket.getInputStream().readAllBytes())
                            .as("the trickling client was disconnected")
                            .isNotNull();
                }
                assertThat(log.lines())
                        .as("a client too slow to send its body is its own failure, not an error of the runtime")
                        .noneMatch(line -> line.contains("repository error") || line.contains("internal error"));
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    private static WebSocket connect(RegistryRuntime runtime, WsListener listener, String realIp, String cookie) {
        WebSocket.Builder builder =
                HttpClient.newHttpClient().newWebSocketBuilder().header("X-Real-IP", realIp);
        if (cookie != null) {
            builder.header("Cookie", cookie);
        }
        return builder.buildAsync(URI.create("ws://127.0.0.1:" + runtime.port() + "/ws/health_status"), listener)
                .join();
    }

    /** One request as written (HttpClient will not send a Host of our choosing); the whole answer. */
    static String raw(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.net.SocketException reset) {
            return "connection reset: " + reset.getMessage();
        }
    }

    /** The status line of an answer that does not end (a WebSocket upgrade). */
    private static String firstLine(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
