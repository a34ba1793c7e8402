package dev.mcpgw.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.validation.RegistryValidator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Tag("nginx")
class NginxDeployerTest {

    @TempDir
    Path work;

    private NginxDeployer deployer;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopNginx() throws Exception {
        if (deployer != null) {
            deployer.stop(Duration.ofSeconds(10));
        }
    }

    private String compile(Path servers, GatewaySettings settings) throws Exception {
        GatewayCompiler.Result result =
                new GatewayCompiler(RegistryValidator.create()).compile(servers, "servers", settings);
        assertThat(result.problems()).isEmpty();
        return result.config();
    }

    private static void entry(Path servers, String id, boolean enabled) throws Exception {
        Files.writeString(
                servers.resolve(id + ".yaml"),
                "name: " + id + "\npath: /" + id
                        + "\nproxy_pass_url: http://127.0.0.1:9\ntransport: streamable-http\ndescription: x.\nenabled: "
                        + enabled + "\n");
    }

    private int status(int port, String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Reload is asynchronous: old workers finish while new ones start. */
    private void awaitStatus(int port, String path, int expected) {
        Awaitility.await(path + " answers " + expected)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> status(port, path) == expected);
    }

    @Test
    void startsReloadsAndKeepsTheLastGoodConfigWhenNginxTFails() throws Exception {
        NginxProcess.requireNginx();
        Path servers = Files.createDirectories(work.resolve("servers"));
        entry(servers, "alpha", false);
        int port = NginxProcess.freePort();
        GatewaySettings settings = GatewaySettings.defaults().withListen(new HostPort("127.0.0.1", port));
        deployer = new NginxDeployer(new Nginx(NginxProcess.NGINX, work.resolve("gateway")));

        NginxDeployer.Outcome first = deployer.deploy(compile(servers, settings), true);

        assertThat(first.ok()).as(first.message()).isTrue();
        awaitStatus(port, "/alpha/mcp", 503);
        assertThat(status(port, "/beta/mcp")).isEqualTo(404);

        entry(servers, "beta", false);
        NginxDeployer.Outcome second = deployer.deploy(compile(servers, settings), true);

        assertThat(second.message()).contains("reloaded nginx");
        awaitStatus(port, "/beta/mcp", 503);
        assertThat(work.resolve("gateway/nginx.conf.previous")).exists();

        String live = Files.readString(deployer.liveConfig());
        GatewaySettings broken = settings.withTls(
                new GatewaySettings.Tls(work.resolve("missing-cert.pem"), work.resolve("missing-key.pem")), null);
        NginxDeployer.Outcome third = deployer.deploy(compile(servers, broken), true);

        assertThat(third.ok()).isFalse();
        assertThat(third.message())
                .startsWith("nginx -t rejected the new config; the previous one stays live.")
                .contains("missing-cert.pem");
        assertThat(Files.readString(deployer.liveConfig())).isEqualTo(live);
        assertThat(work.resolve("gateway/nginx.conf.next")).doesNotExist();
        assertThat(status(port, "/beta/mcp")).isEqualTo(503);
    }

    @Test
    void saysHowToStartNginxWhenItIsNotRunning() throws Exception {
        NginxProcess.requireNginx();
        Path servers = Files.createDirectories(work.resolve("servers"));
        entry(servers, "alpha", true);
        deployer = new NginxDeployer(new Nginx(NginxProcess.NGINX, work.resolve("gateway")));

        NginxDeployer.Outcome outcome = deployer.deploy(compile(servers, GatewaySettings.defaults()), false);

        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.message()).contains("nginx is not running, start it with: /usr/sbin/nginx -p ");
    }

    @Test
    void saysWhatToInstallWhenNginxIsMissing() throws Exception {
        NginxDeployer missing = new NginxDeployer(new Nginx(work.resolve("no-nginx"), work.resolve("gateway")));

        NginxDeployer.Outcome outcome = missing.deploy("events {}", false);

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.message()).contains("apt-get install nginx");
    }
}
