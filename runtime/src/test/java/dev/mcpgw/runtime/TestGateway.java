package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.compiler.GatewayCompiler;
import dev.mcpgw.compiler.GatewaySettings;
import dev.mcpgw.compiler.Nginx;
import dev.mcpgw.compiler.NginxDeployer;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.runtime.auth.ApiTokens;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.eclipse.jgit.lib.PersonIdent;

/** A real nginx gateway for a test: compiled from a test registry's main branch, deployed, listening. */
final class TestGateway implements AutoCloseable {

    private final NginxDeployer deployer;
    private final int port;

    private TestGateway(NginxDeployer deployer, int port) {
        this.deployer = deployer;
        this.port = port;
    }

    /**
     * Compiles {@code repo}'s entries with {@code settings} (which names the port), deploys them under
     * {@code prefix} and waits until nginx listens.
     */
    static TestGateway deploy(Path prefix, Path repo, GatewaySettings settings) throws Exception {
        assertThat(Files.isExecutable(Nginx.DEFAULT_BINARY))
                .as("nginx is needed: apt-get install nginx")
                .isTrue();
        NginxDeployer deployer = new NginxDeployer(new Nginx(Nginx.DEFAULT_BINARY, prefix));
        try (GitStore store = GitStore.open(repo)) {
            GatewayCompiler.Result compiled = new GatewayCompiler(RegistryValidator.create())
                    .compile(SourceFile.entryFiles(store.files(store.tip("main").orElseThrow(), "servers")), settings);
            assertThat(compiled.problems()).isEmpty();
            assertThat(deployer.deploy(compiled.config(), true).ok()).isTrue();
        }
        return started(deployer, settings.listen().port());
    }

    /** Deploys a handwritten nginx {@code config} listening on {@code port} under {@code prefix}. */
    static TestGateway deploy(Path prefix, String config, int port) throws Exception {
        NginxDeployer deployer = new NginxDeployer(new Nginx(Nginx.DEFAULT_BINARY, prefix));
        assertThat(deployer.deploy(config, true).ok()).isTrue();
        return started(deployer, port);
    }

    private static TestGateway started(NginxDeployer deployer, int port) {
        TestGateway gateway = new TestGateway(deployer, port);
        await("nginx listens on " + port)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(java.io.IOException.class)
                .until(() -> {
                    new Socket("127.0.0.1", port).close();
                    return true;
                });
        return gateway;
    }

    /** A port for nginx to bind: nginx takes it from its configuration, so one is picked here. */
    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** An API token for {@code user} in {@code groups}, valid for an hour, on {@code repo}'s tokens branch. */
    static String token(Path repo, String user, Set<String> groups) throws Exception {
        try (GitStore store = GitStore.open(repo)) {
            return new ApiTokens(store, "tokens", null, Clock.systemUTC())
                    .create(user, groups, Duration.ofHours(1), null, new PersonIdent("t", "t@t"))
                    .token();
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        deployer.stop(Duration.ofSeconds(10));
    }
}
