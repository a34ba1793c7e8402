package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mcpgw.compiler.GatewayCompiler;
import dev.mcpgw.compiler.GatewaySettings;
import dev.mcpgw.compiler.Nginx;
import dev.mcpgw.compiler.NginxDeployer;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.registry.RegistryReader;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.runtime.auth.ApiTokens;
import dev.mcpgw.runtime.auth.Sessions;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's session cookie is a browser's key to the registry, never to an MCP server: the gateway does not
 * accept it on MCP paths and does not pass any cookie upstream; its own access check and the runtime's metrics are
 * not reachable through it. Attacks through real nginx, with and without access checks.
 */
@org.junit.jupiter.api.Tag("nginx")
class GatewayCookiesTest {

    @TempDir
    Path work;

    private final HttpClient client =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> send(int port, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        request.method(
                method,
                method.equals("POST")
                        ? HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\","
                                + "\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                                + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}")
                        : HttpRequest.BodyPublishers.noBody());
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void noCookieOpensOrReachesAnMcpServerAndTheGatewaysOwnEndpointsStayInside() throws Exception {
        Path nginxBinary = Nginx.DEFAULT_BINARY;
        assertThat(Files.isExecutable(nginxBinary))
                .as("nginx is needed: apt-get install nginx")
                .isTrue();
        List<String> cookiesSeen = new CopyOnWriteArrayList<>();
        List<String> usersSeen = new CopyOnWriteArrayList<>();
        HttpServer echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        echo.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            cookiesSeen.add(String.valueOf(exchange.getRequestHeaders().getFirst("Cookie")));
            usersSeen.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Mcpgw-User")));
            if (exchange.getRequestURI().getPath().endsWith("/page")) {
                // A malicious or compromised server: a page with a script, and a cookie for the registry's origin.
                byte[] page = "<script>fetch('/api/session')</script>".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html");
                exchange.getResponseHeaders().add("Set-Cookie", Sessions.COOKIE + "=planted; Path=/");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                exchange.close();
                return;
            }
            byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        echo.start();
        Path repo = TestRegistry.create(
                work.resolve("registry"),
                Map.of(
                        "servers/echo.yaml",
                        TestRegistry.entry(
                                "echo", "http://127.0.0.1:" + echo.getAddress().getPort(), true),
                        "access.yaml",
                        "groups:\n  analysts:\n    servers:\n      echo: {tools: \"*\"}\n"));
        String analyst;
        try (GitStore store = GitStore.open(repo)) {
            analyst = new ApiTokens(store, "tokens", null, Clock.systemUTC())
                    .create("ana", Set.of("analysts"), Duration.ofHours(1), null, new PersonIdent("t", "t@t"))
                    .token();
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // both gateways below, one after the other
        }
        try (RegistryRuntime runtime = RegistryRuntime.start(TestRegistry.settings(repo)
                .gatewayUrl("http://127.0.0.1:" + port)
                .probing(new RuntimeSettings.Probing(false, Duration.ofHours(1), Duration.ofSeconds(2))))) {
            Http direct = new Http(runtime);
            direct.login();
            String session = direct.cookie();
            assertThat(session).startsWith(Sessions.COOKIE + "=");
            for (boolean auth : new boolean[] {true, false}) {
                GatewaySettings settings = GatewaySettings.defaults()
                        .withListen(new HostPort("127.0.0.1", port))
                        .withRuntime(UpstreamUrl.parse("http://127.0.0.1:" + runtime.port()))
                        .withWorkerProcesses("1")
                        .withAuth(auth);
                NginxDeployer deployer = new NginxDeployer(new Nginx(nginxBinary, work.resolve("gateway-" + auth)));
                try (GitStore store = GitStore.open(repo)) {
                    GatewayCompiler.Result compiled = new GatewayCompiler(RegistryValidator.create())
                            .compile(
                                    new RegistryReader(store, RegistryValidator.create())
                                            .readBranch("main")
                                            .report(),
                                    settings);
                    assertThat(deployer.deploy(compiled.config(), true).ok()).isTrue();
                }
                try {
                    TestRegistry.await(
                            () -> {
                                try {
                                    return send(port, "GET", "/health").statusCode();
                                } catch (java.io.IOException starting) {
                                    return 0;
                                }
                            },
                            status -> status == 200);
                    String cookies = session + "; other=crumb";
                    if (auth) {
                        assertThat(send(port, "POST", "/echo/mcp", "Cookie", cookies)
                                        .statusCode())
                                .as("an administrator's session cookie is not a credential for an MCP server")
                                .isEqualTo(401);
                    }
                    cookiesSeen.clear();
                    usersSeen.clear();
                    HttpResponse<String> passed = send(
                            port,
                            "POST",
                            "/echo/mcp",
                            "Cookie",
                            cookies,
                            "Authorization",
                            "Bearer " + analyst,
                            "X-Mcpgw-User",
                            "admin");
                    assertThat(passed.statusCode()).as(passed.body()).isEqualTo(200);
                    assertThat(cookiesSeen)
                            .as("cookies never reach an MCP server (auth %s)", auth)
                            .containsOnly("null");
                    assertThat(usersSeen)
                            .as("who calls is the gateway's to say, never the caller's (auth %s)", auth)
                            .containsOnly(auth ? "ana" : "null");

                    // What a server answers is served on the registry's origin: it may not set the registry's
                    // cookie, and a page it sends runs sandboxed - no script acts with a signed-in browser's cookie.
                    HttpResponse<String> page = send(port, "GET", "/echo/page", "Authorization", "Bearer " + analyst);
                    assertThat(page.statusCode()).isEqualTo(200);
                    assertThat(page.headers().allValues("Set-Cookie"))
                            .as("an MCP server sets no cookie on the registry's origin")
                            .isEmpty();
                    assertThat(page.headers().firstValue("Content-Security-Policy"))
                            .hasValue("sandbox; default-src 'none'; frame-ancestors 'none'");
                    Http throughGateway = new Http("http://127.0.0.1:" + port);
                    Http.Response signedIn = throughGateway.login();
                    assertThat(signedIn.header("Set-Cookie"))
                            .as("the registry's own sign-in still sets its cookie through the gateway")
                            .startsWith(Sessions.COOKIE + "=");
                    assertThat(signedIn.header("Content-Security-Policy"))
                            .isNotEqualTo("sandbox; default-src 'none'; frame-ancestors 'none'");
                    assertThat(throughGateway.get("/api/session").status()).isEqualTo(200);

                    for (String inside : List.of("/metrics", "/auth/check", "/health/", "/health/x")) {
                        HttpResponse<String> outside = send(
                                port,
                                inside.equals("/auth/check") ? "POST" : "GET",
                                inside,
                                "Authorization",
                                "Bearer " + analyst,
                                "X-Mcpgw-Server",
                                "echo");
                        assertThat(outside.statusCode())
                                .as(inside + " through the gateway")
                                .isEqualTo(404);
                        assertThat(outside.body()).doesNotContain("mcpgw_", "X-Mcpgw-Groups", "analysts");
                    }
                    assertThat(direct.get("/metrics").status())
                            .as("the runtime's own listener serves metrics")
                            .isEqualTo(200);
                    assertThat(send(port, "GET", "/api/session", "Cookie", session)
                                    .statusCode())
                            .as("the registry's own pages still get the cookie")
                            .isEqualTo(200);
                } finally {
                    deployer.stop(Duration.ofSeconds(10));
                }
            }
        } finally {
            echo.stop(0);
        }
    }
}
