package dev.mcpgw.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.model.EgressPolicy;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.StatusJson;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.core.testing.NodeTools.ReferenceServer;
import dev.mcpgw.examples.CurrentTime;
import dev.mcpgw.examples.McpHttpServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The probe against servers of both MCP eras, real ones: the official TypeScript SDK v2's reference server
 * serving 2026-07-28 only, and both eras; and our example server on the MCP Java SDK (2025 only).
 */
@Tag("node")
@Tag("network") // npm installs test-tools/ when .ci/run has not
class ProbeErasTest {

    private ScheduledExecutorService watchdog;
    private McpProbe probe;

    @BeforeEach
    void start() {
        watchdog = Executors.newSingleThreadScheduledExecutor();
        probe = new McpProbe(
                Duration.ofSeconds(10),
                Clock.systemUTC(),
                watchdog,
                EgressPolicy.strict(List.of("127.0.0.1/32"), List.of()));
    }

    @AfterEach
    void stop() {
        watchdog.shutdownNow();
    }

    @Test
    void aServerSpeakingOnly2026IsHealthyWithItsTools() throws Exception {
        try (ReferenceServer server = ReferenceServer.start("2026")) {
            ServerStatus status = probe(server.port());

            assertThat(status.health())
                    .as("%s %s", status.errorKind(), status.error())
                    .isEqualTo(Health.HEALTHY);
            assertThat(status.protocolVersion()).isEqualTo("2026-07-28");
            assertThat(status.protocolVersions()).containsExactly("2026-07-28");
            assertThat(status.serverName()).isEqualTo("reference-2026");
            assertThat(status.tools()).extracting(ToolInfo::name).containsExactlyElementsOf(ReferenceServer.TOOLS);
            assertThat(status.tools().stream()
                            .filter(tool -> tool.name().equals("get_quote"))
                            .findFirst()
                            .orElseThrow()
                            .inputSchema()
                            .path("required")
                            .get(0)
                            .asString())
                    .isEqualTo("symbol");
            assertThat(new String(StatusJson.write(status), StandardCharsets.UTF_8))
                    .contains("\"protocol_versions\" : [ \"2026-07-28\" ]");
        }
    }

    @Test
    void aServerOfBothErasIsSpokenToIn2026AndBothAreRecorded() throws Exception {
        try (ReferenceServer server = ReferenceServer.start("dual")) {
            ServerStatus status = probe(server.port());

            assertThat(status.health())
                    .as("%s %s", status.errorKind(), status.error())
                    .isEqualTo(Health.HEALTHY);
            assertThat(status.protocolVersion()).as("the newest era both share").isEqualTo("2026-07-28");
            assertThat(status.protocolVersions()).containsExactly("2026-07-28", "2025-11-25");
            assertThat(status.tools()).extracting(ToolInfo::name).containsExactlyElementsOf(ReferenceServer.TOOLS);
        }
    }

    @Test
    void ourExampleServerSpeaksBothEras() throws Exception {
        try (McpHttpServer server = McpHttpServer.start(
                CurrentTime.definition(Clock.systemUTC(), null),
                McpHttpServer.Transport.STREAMABLE_HTTP,
                "127.0.0.1",
                0)) {
            ServerStatus status = probe(server.port());

            assertThat(status.health())
                    .as("%s %s", status.errorKind(), status.error())
                    .isEqualTo(Health.HEALTHY);
            assertThat(status.protocolVersion()).isEqualTo("2026-07-28");
            assertThat(status.protocolVersions()).first().isEqualTo("2026-07-28");
            assertThat(status.protocolVersions()).hasSize(2).last().asString().startsWith("2025-");
            assertThat(status.serverName()).isEqualTo("currenttime");
            assertThat(status.tools()).extracting(ToolInfo::name).containsExactly(CurrentTime.TOOL);
        }
    }

    @Test
    void aServerOfTheEarlierEraIsSpokenToAsBefore() throws Exception {
        try (McpHttpServer server = McpHttpServer.start(
                CurrentTime.definition(Clock.systemUTC(), null),
                McpHttpServer.Transport.STREAMABLE_HTTP_2025,
                "127.0.0.1",
                0)) {
            ServerStatus status = probe(server.port());

            assertThat(status.health())
                    .as("%s %s", status.errorKind(), status.error())
                    .isEqualTo(Health.HEALTHY);
            assertThat(status.protocolVersion()).startsWith("2025-");
            assertThat(status.protocolVersions()).containsExactly(status.protocolVersion());
            assertThat(status.tools()).extracting(ToolInfo::name).contains(CurrentTime.TOOL);
        }
    }

    private ServerStatus probe(int port) {
        ServerEntry entry = ServerEntry.builder(
                        new ServerId("x"),
                        "x",
                        "x.",
                        UpstreamUrl.parse("http://127.0.0.1:" + port),
                        Transport.STREAMABLE_HTTP)
                .build();
        return probe.probe(entry, "rev");
    }
}
