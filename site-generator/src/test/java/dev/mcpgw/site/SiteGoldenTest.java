package dev.mcpgw.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.model.Owner;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.core.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every file the generator writes for a small registry, pinned byte for byte (the assets are copied as they are). */
class SiteGoldenTest {

    private static final Instant BUILT = Instant.parse("2026-12-02T12:00:00Z");

    @TempDir
    Path out;

    private static ServerEntry entry(String id, Transport transport, boolean enabled) {
        return ServerEntry.builder(
                        new ServerId(id),
                        "Server " + id,
                        "What " + id + " does.",
                        UpstreamUrl.parse("http://127.0.0.1:8001"),
                        transport)
                .enabled(enabled)
                .tags(List.of("demo"))
                .license("MIT")
                .version("1.0.0")
                .owner(new Owner("Team", "team@example.com", null))
                .build();
    }

    private void generate() throws Exception {
        ToolInfo quote = new ToolInfo(
                "get_stock_quote",
                "Latest quote of a ticker.",
                JsonMapper.shared()
                        .readTree(
                                "{\"type\":\"object\",\"required\":[\"ticker\"],\"properties\":{\"ticker\":{\"type\":\"string\"}}}"));
        ServerStatus healthy = ServerStatus.builder("fin", Health.HEALTHY, BUILT.minusSeconds(60))
                .latencyMs(12L)
                .serverInfo("fin", "1.0")
                .protocolVersion("2025-11-25")
                .observedRevision("abc")
                .tools(List.of(quote), false)
                .build();
        ServerStatus lastSeenHealthy = ServerStatus.builder("old", Health.HEALTHY, BUILT.minusSeconds(3600))
                .latencyMs(5L)
                .observedRevision("abc")
                .build();
        new SiteGenerator()
                .generate(
                        List.of(
                                entry("fin", Transport.SSE, true),
                                entry("old", Transport.STREAMABLE_HTTP, false),
                                entry("time", Transport.STREAMABLE_HTTP, true)),
                        Map.of("fin", healthy, "old", lastSeenHealthy),
                        new SiteGenerator.Settings("https://gateway.example.com/", BUILT),
                        out);
    }

    @Test
    void everyGeneratedFileIsPinned() throws Exception {
        generate();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(out)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(file -> !file.startsWith(out.resolve("assets")))
                    .sorted()
                    .toList();
        }
        assertThat(files).hasSizeGreaterThan(5);
        for (Path file : files) {
            Golden.assertMatches("site/" + out.relativize(file).toString().replace('\\', '/'), Files.readString(file));
        }
    }

    @Test
    void aDisabledServerIsDisabledEverywhereWhateverItLastAnswered() throws Exception {
        generate();
        JsonNode servers = JsonMapper.shared()
                .readTree(out.resolve("servers.json").toFile())
                .path("servers");
        JsonNode old = servers.get(1);
        assertThat(old.path("id").asString()).isEqualTo("old");
        assertThat(old.path("status").path("health").asString()).isEqualTo("disabled");
        assertThat(Files.readString(out.resolve("index.html"))).contains("data-health=\"disabled\"");
    }
}
