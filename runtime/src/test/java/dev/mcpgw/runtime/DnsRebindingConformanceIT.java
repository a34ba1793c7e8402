package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.compiler.GatewayCompiler;
import dev.mcpgw.compiler.GatewaySettings;
import dev.mcpgw.compiler.Nginx;
import dev.mcpgw.compiler.NginxDeployer;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.examples.CurrentTime;
import dev.mcpgw.examples.McpHttpServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official conformance scenario {@code dns-rebinding-protection} (a page on evil.example.com whose name
 * resolves to this machine must get a 4xx; the real local names must work) against {@code mcpgw} directly and
 * against every entry through the gateway {@code mcpgw up} compiles (no access checks).
 */
@org.junit.jupiter.api.Tag("nginx")
@org.junit.jupiter.api.Tag("node")
@org.junit.jupiter.api.Tag("network") // npm installs test-tools/ when .ci/run has not
class DnsRebindingConformanceIT {

    @TempDir
    Path work;

    @Test
    void mcpgwAndEveryEntryThroughTheGatewayPassTheOfficialScenario() throws Exception {
        assertThat(Files.isExecutable(Nginx.DEFAULT_BINARY))
                .as("nginx is needed: apt-get install nginx")
                .isTrue();
        int gatewayPort = freePort();
        int runtimePort = freePort();
        try (McpHttpServer time = McpHttpServer.start(
                CurrentTime.definition(Clock.systemUTC(), null),
                McpHttpServer.Transport.STREAMABLE_HTTP,
                "127.0.0.1",
                0)) {
            Path repo = TestRegistry.create(
                    work.resolve("registry"),
                    Map.of(
                            "servers/time.yaml", TestRegistry.entry("time", "http://127.0.0.1:" + time.port(), true),
                            "servers/mcpgw.yaml",
                                    TestRegistry.entry("mcpgw", "http://127.0.0.1:" + runtimePort + "/mcpgw", true)));
            try (RegistryRuntime runtime = RegistryRuntime.start(TestRegistry.settings(repo)
                    .listen("127.0.0.1", runtimePort)
                    .gatewayUrl("http://127.0.0.1:" + gatewayPort)
                    .probing(new RuntimeSettings.Probing(false, Duration.ofHours(1), Duration.ofSeconds(2))))) {
                GatewaySettings settings = GatewaySettings.defaults()
                        .withListen(new HostPort("127.0.0.1", gatewayPort))
                        .withRuntime(UpstreamUrl.parse("http://127.0.0.1:" + runtime.port()))
                        .withWorkerProcesses("1");
                NginxDeployer deployer = new NginxDeployer(new Nginx(Nginx.DEFAULT_BINARY, work.resolve("gateway")));
                try (GitStore store = GitStore.open(repo)) {
                    GatewayCompiler.Result compiled = new GatewayCompiler(RegistryValidator.create())
                            .compile(
                                    SourceFile.entryFiles(
                                            store.files(store.tip("main").orElseThrow(), "servers")),
                                    settings);
                    assertThat(deployer.deploy(compiled.config(), true).ok()).isTrue();
                }
                try {
                    for (String revision : List.of("2025-11-25", "2026-07-28")) {
                        for (String url : List.of(
                                "http://localhost:" + runtimePort + "/mcpgw/mcp",
                                "http://localhost:" + gatewayPort + "/mcpgw/mcp",
                                "http://localhost:" + gatewayPort + "/time/mcp",
                                "http://127.0.0.1:" + time.port() + "/mcp")) {
                            List<Conformance.Check> checks = Conformance.run(url, "dns-rebinding-protection", revision);
                            assertThat(checks)
                                    .as(url + " at " + revision)
                                    .extracting(Conformance.Check::id)
                                    .contains("localhost-host-rebinding-rejected", "localhost-host-valid-accepted");
                            assertThat(checks)
                                    .as(url + " at " + revision + ": %s", checks)
                                    .allMatch(check -> check.status().equals("SUCCESS"));
                        }
                    }
                } finally {
                    deployer.stop(Duration.ofSeconds(10));
                }
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
