package dev.mcpgw.core.status;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class StatusFilesTest {

    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

    private static ServerStatus full() {
        return ServerStatus.builder("fininfo", Health.HEALTHY, AT)
                .latencyMs(42L)
                .serverInfo("fininfo", "1.2.0")
                .protocolVersion("2025-11-25")
                .observedRevision("0123456789abcdef0123456789abcdef01234567")
                .tools(
                        List.of(new ToolInfo(
                                "get_stock_quote",
                                "Latest quote of a ticker.",
                                JsonMapper.shared()
                                        .readTree(
                                                "{\"type\":\"object\",\"properties\":{\"ticker\":{\"type\":\"string\"}},"
                                                        + "\"required\":[\"ticker\"]}"))),
                        false)
                .lastToolChange(
                        new ToolChange(AT.minusSeconds(3600), List.of("get_stock_quote"), List.of("old"), List.of()))
                .healthSince(AT.minusSeconds(7200))
                .build();
    }

    @Test
    void statusFilesAreWrittenByteForByteAsPinned() throws Exception {
        Golden.assertMatches("status-healthy.json", new String(StatusJson.write(full()), UTF_8));
        Golden.assertMatches(
                "status-unreachable.json",
                new String(
                        StatusJson.write(ServerStatus.builder("gone", Health.UNREACHABLE, AT)
                                .error("connection_refused", "connection refused")
                                .latencyMs(3L)
                                .observedRevision("abc")
                                .build()),
                        UTF_8));
    }

    @Test
    void whatIsWrittenReadsBackTheSame() {
        ServerStatus status = full();
        assertThat(StatusJson.read("fininfo", StatusJson.write(status))).isEqualTo(status);
    }

    @Test
    void theFileNameIsTheIdentityNotAnIdInside() {
        String byScript = """
                {"health": "healthy", "checked_at": "2026-12-02T10:00:00Z",
                 "tools": [{"name": "get_stock_quote", "description": "Quote", "input_schema": {"type": "object"}}]}
                """;
        String misnamed = """
                {"id": "someone-else", "health": "unhealthy", "checked_at": "2026-12-02T10:00:00Z"}
                """;
        StatusFiles read = StatusFiles.read(Map.of(
                "servers/fininfo.json", byScript.getBytes(UTF_8), "servers/time.json", misnamed.getBytes(UTF_8)));

        assertThat(read.unreadable()).isEmpty();
        assertThat(read.byId()).containsOnlyKeys("fininfo", "time");
        assertThat(read.byId().get("fininfo").tools())
                .extracting(ToolInfo::name)
                .containsExactly("get_stock_quote");
        assertThat(read.byId().get("fininfo").healthSince()).isEqualTo(AT);
        assertThat(read.byId().get("time").id()).isEqualTo("time");
        assertThat(read.byId().get("time").health()).isEqualTo(Health.UNHEALTHY);
    }

    @Test
    void unreadableFilesAreNamedWithTheReasonAndNeverSilentlyDropped() {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("servers/broken.json", "{not json".getBytes(UTF_8));
        files.put(
                "servers/great.json",
                "{\"health\": \"great\", \"checked_at\": \"2026-12-02T10:00:00Z\"}".getBytes(UTF_8));
        files.put("servers/timeless.json", "{\"health\": \"healthy\"}".getBytes(UTF_8));
        files.put("servers/badtime.json", "{\"health\": \"healthy\", \"checked_at\": \"yesterday\"}".getBytes(UTF_8));
        files.put("servers/Not An Id.json", "{}".getBytes(UTF_8));
        files.put("servers/README.md", "# not a status".getBytes(UTF_8));
        files.put(
                "servers/ok.json",
                "{\"health\": \"disabled\", \"checked_at\": \"2026-12-02T10:00:00Z\"}".getBytes(UTF_8));

        StatusFiles read = StatusFiles.read(files);

        assertThat(read.byId()).containsOnlyKeys("ok");
        assertThat(read.unreadable())
                .extracting(StatusFiles.Unreadable::path)
                .containsExactly(
                        "servers/Not An Id.json",
                        "servers/badtime.json",
                        "servers/broken.json",
                        "servers/great.json",
                        "servers/timeless.json");
        assertThat(read.unreadable())
                .extracting(StatusFiles.Unreadable::toString)
                .anySatisfy(line ->
                        assertThat(line).contains("servers/great.json", "health: 'great' is not one of healthy"))
                .anySatisfy(line -> assertThat(line).contains("servers/timeless.json", "checked_at: required"))
                .anySatisfy(line -> assertThat(line).contains("servers/badtime.json", "'yesterday' is not an ISO-8601"))
                .anySatisfy(line -> assertThat(line).contains("servers/broken.json", "not a status document"));
    }

    @Test
    void aCheckoutOfTheStatusBranchReadsLikeTheBranch(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("servers"));
        Files.write(dir.resolve("servers/fininfo.json"), StatusJson.write(full()));
        Files.writeString(dir.resolve("servers/bad.json"), "[]");

        StatusFiles read = StatusFiles.fromDirectory(dir);

        assertThat(read.byId()).containsOnlyKeys("fininfo");
        assertThat(read.unreadable()).extracting(StatusFiles.Unreadable::path).containsExactly("servers/bad.json");
    }
}
