package dev.mcpgw.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.mcpgw.core.model.EgressPolicy;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.ValidationReport;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS rebinding at the gateway: a deployment under an egress policy resolves each upstream host name once, checks
 * every address, and pins nginx to those addresses - nginx never resolves the name again, so a name that later
 * points somewhere refused cannot take requests there.
 */
@org.junit.jupiter.api.Tag("nginx")
class PinnedUpstreamsTest {

    private static final UpstreamCredentials.Secrets NO_SECRETS = reference -> {
        throw new java.io.IOException("no secrets here");
    };

    @TempDir
    Path work;

    private HttpServer upstream;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            byte[] bytes = ("host=" + exchange.getRequestHeaders().getFirst("Host")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        upstream.start();
    }

    @AfterEach
    void stopUpstream() {
        upstream.stop(0);
    }

    private ValidationReport registry(String proxyPassUrl) throws Exception {
        Path servers = Files.createDirectories(work.resolve("servers"));
        Files.writeString(
                servers.resolve("named.yaml"),
                "name: Named\npath: /named\nproxy_pass_url: " + proxyPassUrl
                        + "\ntransport: streamable-http\ndescription: Reached by host name.\nenabled: true\n");
        return RegistryValidator.create().validateDirectory(servers, "servers");
    }

    private static GatewaySettings settings(int port) {
        return GatewaySettings.defaults()
                .withListen(new HostPort("127.0.0.1", port))
                .withWorkerProcesses("1");
    }

    @Test
    void aHostNameIsConnectedToOnlyAtTheAddressesCheckedWhenDeploying() throws Exception {
        int port = NginxProcess.freePort();
        int upstreamPort = upstream.getAddress().getPort();
        // The operator allows this machine's loopback: localhost's addresses pass the check.
        EgressPolicy egress = EgressPolicy.strict(List.of("localhost", "127.0.0.1/32", "[::1]/128"), List.of());
        GatewayCompiler.Result result = new GatewayCompiler(RegistryValidator.create())
                .deployable(registry("http://localhost:" + upstreamPort), settings(port), NO_SECRETS, egress);

        assertThat(result.failed()).isEmpty();
        assertThat(result.config())
                .as("nginx gets the checked address, not the name to resolve again per request")
                .contains("upstream mcpgw_named {\n        server \"127.0.0.1:" + upstreamPort + "\"")
                .doesNotContain("resolver ");

        NginxDeployer deployer = new NginxDeployer(new Nginx(NginxProcess.NGINX, work.resolve("prefix")));
        NginxDeployer.Outcome outcome = deployer.deploy(result, NO_SECRETS, true);
        assertThat(outcome.ok()).as(outcome.message()).isTrue();
        try {
            // nginx is starting: connections are refused until it listens
            HttpResponse<String> answer = await("nginx answers on port " + port)
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(java.io.IOException.class)
                    .until(
                            () -> http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/named/mcp"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString()),
                            Objects::nonNull);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body())
                    .as("the upstream still sees its own name")
                    .isEqualTo("host=localhost:" + upstreamPort);
        } finally {
            deployer.stop(java.time.Duration.ofSeconds(10));
        }
    }

    @Test
    void aNameThatResolvesToARefusedAddressOrNotAtAllIsNotDeployed() throws Exception {
        GatewayCompiler compiler = new GatewayCompiler(RegistryValidator.create());
        // Allowed by name (validation passes), but its addresses are loopback, which this policy refuses.
        EgressPolicy nameOnly = EgressPolicy.strict(List.of("localhost"), List.of());
        GatewayCompiler.Result refused =
                compiler.deployable(registry("http://localhost:9"), settings(8080), NO_SECRETS, nameOnly);
        assertThat(refused.failed()).containsOnlyKeys("named");
        assertThat(refused.failed().get("named")).startsWith("localhost resolves to");
        assertThat(refused.config()).contains("\"named\" failed").doesNotContain("localhost:9");

        GatewayCompiler.Result unresolved = compiler.deployable(
                registry("http://no-such-host.invalid:9"),
                settings(8080),
                NO_SECRETS,
                EgressPolicy.strict(List.of(), List.of()));
        assertThat(unresolved.failed().get("named")).contains("does not resolve now");
        assertThat(unresolved.config()).doesNotContain("no-such-host.invalid");
    }

    @Test
    void aPlainCompileNeverResolvesAndLeavesNamesToNginx() throws Exception {
        GatewayCompiler.Result compiled = new GatewayCompiler(RegistryValidator.create())
                .compile(registry("http://no-such-host.invalid:9"), settings(8080));
        assertThat(compiled.ok()).isTrue();
        assertThat(compiled.config()).contains("resolver ", "\"no-such-host.invalid:9\"");
    }
}
