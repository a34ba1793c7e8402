package dev.mcpgw.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.SecretPolicy;
import dev.mcpgw.core.model.SecretReference;
import dev.mcpgw.core.validation.RegistryValidator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** upstream_headers: secrets from the environment and files reach the upstream; never nginx.conf or Git. */
@org.junit.jupiter.api.Tag("nginx")
class UpstreamCredentialsTest {

    /** Everything a header may carry that nginx.conf syntax would otherwise take for its own. */
    private static final String AWKWARD_SECRET = "s3cr3t \"quoted\" \\back $host ${x}; } # end";

    @TempDir
    Path work;

    private HttpServer echo;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startEcho() throws Exception {
        echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        echo.createContext("/", exchange -> {
            StringBuilder body = new StringBuilder();
            new TreeMap<>(exchange.getRequestHeaders())
                    .forEach((name, values) -> body.append(name.toLowerCase())
                            .append(": ")
                            .append(String.join(",", values))
                            .append('\n'));
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        echo.start();
    }

    @AfterEach
    void stopEcho() {
        echo.stop(0);
    }

    /** The operator's choice in these tests: KEYED_* variables and files in the test's directory. */
    private SecretPolicy allowed() {
        return SecretPolicy.allowing(List.of("KEYED_"), List.of(work));
    }

    private Path servers() throws Exception {
        Path servers = Files.createDirectories(work.resolve("servers"));
        String upstream = "http://127.0.0.1:" + echo.getAddress().getPort();
        Files.writeString(
                servers.resolve("keyed.yaml"),
                "name: Keyed\npath: /keyed\nproxy_pass_url: " + upstream
                        + "\ntransport: streamable-http\ndescription: Needs a key.\nupstream_headers:\n"
                        + "  - name: X-Api-Key\n    value_from: {env: KEYED_API_KEY}\n"
                        + "  - name: Authorization\n    value_from: {file: " + work.resolve("token") + "}\n"
                        + "    prefix: \"Bearer \"\n");
        Files.writeString(
                servers.resolve("plain.yaml"),
                "name: Plain\npath: /plain\nproxy_pass_url: " + upstream
                        + "\ntransport: streamable-http\ndescription: Needs nothing.\n");
        return servers;
    }

    private GatewayCompiler.Result compile(int port) throws Exception {
        GatewayCompiler.Result result = new GatewayCompiler(RegistryValidator.create())
                .compile(
                        servers(),
                        "servers",
                        GatewaySettings.defaults()
                                .withListen(new HostPort("127.0.0.1", port))
                                .withWorkerProcesses("1"));
        assertThat(result.problems()).isEmpty();
        return result;
    }

    @Test
    void theGatewayAddsTheSecretsAndNothingElseSeesThem() throws Exception {
        NginxProcess.requireNginx();
        Files.writeString(work.resolve("token"), "file-token-123\n");
        int port = NginxProcess.freePort();
        GatewayCompiler.Result result = compile(port);
        assertThat(result.config())
                .contains("include credentials.conf;", "proxy_set_header x-api-key " + "$mcpgw_credential_x_api_key;")
                .doesNotContain("s3cr3t", "file-token-123");

        NginxDeployer deployer = new NginxDeployer(new Nginx(NginxProcess.NGINX, work.resolve("prefix")));
        UpstreamCredentials.Secrets secrets =
                UpstreamCredentials.fromEnvironment(Map.of("KEYED_API_KEY", AWKWARD_SECRET), allowed());
        NginxDeployer.Outcome outcome = deployer.deploy(result, secrets, true);
        assertThat(outcome.ok()).as(outcome.message()).isTrue();
        try {
            Path credentials = work.resolve("prefix").resolve(UpstreamCredentials.FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)))
                    .isEqualTo("rw-------");
            awaitUp(port);
            String keyed =
                    get(port, "/keyed/mcp", Map.of("X-Api-Key", "client-value", "Authorization", "Bearer client"));
            assertThat(keyed)
                    .contains("x-api-key: " + AWKWARD_SECRET + "\n", "authorization: Bearer file-token-123\n")
                    .doesNotContain("client-value", "Bearer client");
            String plain = get(port, "/plain/mcp", Map.of("X-Api-Key", "client-value"));
            assertThat(plain)
                    .as("other servers get the client's own header, as without credentials")
                    .contains("x-api-key: client-value")
                    .doesNotContain("s3cr3t", "file-token");
        } finally {
            deployer.stop(java.time.Duration.ofSeconds(10));
        }
    }

    @Test
    void aMissingSecretDeploysNothingAndSaysWhichEntryNeedsIt() throws Exception {
        NginxProcess.requireNginx();
        NginxDeployer deployer = new NginxDeployer(new Nginx(NginxProcess.NGINX, work.resolve("prefix")));
        NginxDeployer.Outcome outcome = deployer.deploy(
                compile(NginxProcess.freePort()), UpstreamCredentials.fromEnvironment(Map.of(), allowed()), false);
        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.message())
                .contains("keyed: upstream_headers X-Api-Key reads the environment variable "
                        + "KEYED_API_KEY, which is not set")
                .contains("Nothing was deployed");
        assertThat(deployer.liveConfig()).doesNotExist();
        assertThat(work.resolve("prefix").resolve(UpstreamCredentials.FILE)).doesNotExist();

        Files.writeString(work.resolve("token"), "line\nbreak");
        NginxDeployer.Outcome unusable = deployer.deploy(
                compile(NginxProcess.freePort()),
                UpstreamCredentials.fromEnvironment(Map.of("KEYED_API_KEY", "fine"), allowed()),
                false);
        assertThat(unusable.message())
                .contains("keyed: upstream_headers Authorization reads the file", "characters a header cannot carry")
                .doesNotContain("line");
    }

    @Test
    void theCompiledPlaceholderLetsNginxTestTheConfigWithoutAnySecret() throws Exception {
        GatewayCompiler.Result result = compile(NginxProcess.freePort());
        Path prefix = work.resolve("check");
        Files.createDirectories(prefix);
        Files.writeString(prefix.resolve(UpstreamCredentials.FILE), result.placeholderCredentials());
        NginxProcess.test(prefix, result.config());
        assertThat(UpstreamCredentials.replaceable(prefix.resolve(UpstreamCredentials.FILE)))
                .isTrue();
        Files.writeString(
                prefix.resolve(UpstreamCredentials.FILE),
                result.credentials(reference -> reference instanceof SecretReference.Env ? "k" : "t"));
        assertThat(UpstreamCredentials.replaceable(prefix.resolve(UpstreamCredentials.FILE)))
                .as("compile never overwrites deployed secrets")
                .isFalse();
    }

    private String get(int port, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Until the gateway answers /health; fails saying so after 10 s (it used to give up silently). */
    private void awaitUp(int port) {
        Awaitility.await("the gateway on port " + port + " answers /health")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(java.io.IOException.class)
                .until(() -> http.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
    }

    @Test
    void credentialsConfIsPinnedByteForByteWithAndWithoutAccessChecks() throws Exception {
        Files.writeString(work.resolve("token"), "file-token-123\n");
        GatewayCompiler.Result result = compile(8080);
        Map<String, String> environment = Map.of("KEYED_API_KEY", AWKWARD_SECRET);
        UpstreamCredentials.Secrets secrets = UpstreamCredentials.fromEnvironment(environment, allowed());
        dev.mcpgw.core.testing.Golden.assertMatches(
                "credentials.conf", result.credentials(secrets).replace(work.toString(), "<work>"));
        dev.mcpgw.core.testing.Golden.assertMatches(
                "credentials-placeholder.conf", result.placeholderCredentials().replace(work.toString(), "<work>"));
        GatewayCompiler.Result withAuth = new GatewayCompiler(RegistryValidator.create())
                .compile(
                        servers(),
                        "servers",
                        GatewaySettings.defaults()
                                .withListen(new HostPort("127.0.0.1", 8080))
                                .withRuntime(dev.mcpgw.core.model.UpstreamUrl.parse("http://127.0.0.1:7860"))
                                .withAuth(true));
        dev.mcpgw.core.testing.Golden.assertMatches(
                "credentials-auth.conf", withAuth.credentials(secrets).replace(work.toString(), "<work>"));
    }

    @Test
    void secretsAreReadOnlyWhereTheOperatorAllowsAndNeverTheRuntimesOwn() throws Exception {
        Files.writeString(work.resolve("token"), "file-token-123\n");
        GatewayCompiler.Result result = compile(8080);
        Map<String, String> environment = Map.of("KEYED_API_KEY", "key", "SECRET_KEY", "the-runtime-key");

        for (SecretPolicy refusing : List.of(
                SecretPolicy.NONE,
                SecretPolicy.allowing(List.of("KEYED_"), List.of()),
                SecretPolicy.allowing(List.of("UPSTREAM_"), List.of(work)))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> result.credentials(UpstreamCredentials.fromEnvironment(environment, refusing)))
                    .as(refusing.describe())
                    .isInstanceOf(UpstreamCredentials.Unavailable.class)
                    .hasMessageContaining("which is refused")
                    .hasMessageContaining("Nothing was deployed")
                    .hasMessageNotContaining("file-token-123")
                    .hasMessageNotContaining("key\"");
        }
        assertThat(result.credentials(UpstreamCredentials.fromEnvironment(environment, allowed())))
                .contains("\"key\"", "Bearer file-token-123");
        Files.delete(work.resolve("token"));
        Files.createSymbolicLink(work.resolve("token"), Path.of("/etc/passwd"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> result.credentials(UpstreamCredentials.fromEnvironment(environment, allowed())))
                .as("a link inside the allowed directory does not lead out of it")
                .hasMessageContaining("through a link")
                .hasMessageContaining("Nothing was deployed");
        assertThat(SecretPolicy.allowing(List.of(), List.of(Path.of("/"))).fileRefusal(Path.of("/proc/1/environ")))
                .as("a process's environment is never a secret file")
                .isPresent();

        Path servers = Files.createDirectories(work.resolve("evil"));
        Files.writeString(
                servers.resolve("evil.yaml"),
                "name: Evil\npath: /evil\nproxy_pass_url: http://127.0.0.1:9\n"
                        + "transport: streamable-http\ndescription: Reads what it should not.\nupstream_headers:\n"
                        + "  - name: X-Leak\n    value_from: {env: SECRET_KEY}\n"
                        + "  - name: X-Leak-Too\n    value_from: {env: ADMIN_PASSWORD}\n"
                        + "  - name: X-Passwd\n    value_from: {file: /etc/passwd}\n");
        var unknownDeployment = RegistryValidator.create().validateDirectory(servers, "servers");
        assertThat(unknownDeployment.problems())
                .extracting(Object::toString)
                .containsExactly(
                        "servers/evil.yaml:8:23: upstream_headers[0].value_from.env: SECRET_KEY is the runtime's own "
                                + "configuration, never an upstream's secret; name a variable set for this upstream",
                        "servers/evil.yaml:10:23: upstream_headers[1].value_from.env: ADMIN_PASSWORD is the runtime's own "
                                + "configuration, never an upstream's secret; name a variable set for this upstream");
        var deployment = RegistryValidator.create(allowed()).validateDirectory(servers, "servers");
        assertThat(deployment.problems())
                .extracting(Object::toString)
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith(
                                "servers/evil.yaml:12:24: upstream_headers[2].value_from.file: /etc/passwd is outside "
                                        + "the directories the operator allows"));
        assertThat(deployment.entries()).isEmpty();
    }

    @Test
    void aPrefixThatWouldReachTheRuntimesOwnConfigurationIsRefused() {
        for (String prefix : List.of("ADMIN", "SECRET", "MCPGW_", "OIDC_X", "S")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SecretPolicy.allowing(List.of(prefix), List.of()))
                    .as(prefix)
                    .isInstanceOf(dev.mcpgw.core.model.FieldException.class)
                    .hasMessageContaining("runtime's own configuration");
        }
    }

    @Test
    void aMissingSecretTakesOnlyItsOwnServerOffTheGatewayNeverTheOthers() throws Exception {
        NginxProcess.requireNginx();
        Files.writeString(work.resolve("token"), "file-token-123\n");
        int port = NginxProcess.freePort();
        var report = RegistryValidator.create(allowed()).validateDirectory(servers(), "servers");
        UpstreamCredentials.Secrets missingKey = UpstreamCredentials.fromEnvironment(Map.of(), allowed());
        GatewayCompiler.Result result = new GatewayCompiler(RegistryValidator.create())
                .deployable(
                        report,
                        GatewaySettings.defaults()
                                .withListen(new HostPort("127.0.0.1", port))
                                .withWorkerProcesses("1"),
                        missingKey);
        assertThat(result.failed()).containsOnlyKeys("keyed");
        assertThat(result.failed().get("keyed")).contains("KEYED_API_KEY", "not set");

        NginxDeployer deployer = new NginxDeployer(new Nginx(NginxProcess.NGINX, work.resolve("prefix")));
        NginxDeployer.Outcome outcome = deployer.deploy(result, missingKey, true);
        assertThat(outcome.ok()).as(outcome.message()).isTrue();
        try {
            awaitUp(port);
            assertThat(get(port, "/plain/mcp", Map.of()))
                    .as("the other server is live")
                    .contains("host:");
            HttpResponse<String> keyed = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/keyed/mcp"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(keyed.statusCode()).isEqualTo(503);
            assertThat(keyed.body())
                    .contains("\"error\":\"server_not_deployed\"", "\"server\":\"keyed\"")
                    .doesNotContain("KEYED_API_KEY");
        } finally {
            deployer.stop(java.time.Duration.ofSeconds(10));
        }
    }
}
