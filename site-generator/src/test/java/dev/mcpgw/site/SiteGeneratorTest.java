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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SiteGeneratorTest {

    private static final Instant BUILT = Instant.parse("2026-11-24T12:00:00Z");
    private static final String XSS = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";

    @TempDir
    Path out;

    private static ServerEntry entry(String id, String description, Transport transport, boolean enabled) {
        return ServerEntry.builder(
                        new ServerId(id),
                        "Server " + id,
                        description,
                        UpstreamUrl.parse("http://127.0.0.1:8001"),
                        transport)
                .enabled(enabled)
                .tags(List.of("demo"))
                .license("MIT")
                .version("1.0.0")
                .owner(new Owner("Team", "team@example.com", null))
                .homepage("https://docs.example.com/" + id)
                .build();
    }

    private static ServerStatus healthy(String id, List<ToolInfo> tools) {
        return ServerStatus.builder(id, Health.HEALTHY, Instant.parse("2026-11-24T11:59:00Z"))
                .latencyMs(12L)
                .serverInfo(id, "1.0")
                .protocolVersion("2025-11-25")
                .observedRevision("abc")
                .tools(tools, false)
                .build();
    }

    private static ToolInfo tool(String name, String description, String schema) {
        return new ToolInfo(name, description, JsonMapper.shared().readTree(schema));
    }

    private void generate(List<ServerEntry> entries, Map<String, ServerStatus> statuses) throws Exception {
        new SiteGenerator()
                .generate(entries, statuses, new SiteGenerator.Settings("https://gateway.example.com", BUILT), out);
    }

    @Test
    void rendersAnIndexAPagePerServerAndServersJson() throws Exception {
        generate(
                List.of(
                        entry("time", "Tells the time.", Transport.STREAMABLE_HTTP, true),
                        entry("fin", "Stock quotes.", Transport.SSE, true),
                        entry("old", "Retired.", Transport.STREAMABLE_HTTP, false)),
                Map.of(
                        "time",
                        healthy(
                                "time",
                                List.of(tool(
                                        "current_time",
                                        "Current time in a zone.",
                                        "{\"type\":\"object\",\"required\":[\"timezone\"],\"properties\":{\"timezone\":"
                                                + "{\"type\":\"string\",\"description\":\"IANA zone\"}}}")))));

        String index = Files.readString(out.resolve("index.html"));
        assertThat(index)
                .contains(
                        "All <span class=\"count\" id=\"count-all\">3</span>",
                        "Enabled <span class=\"count\" id=\"count-enabled\">2</span>",
                        "Disabled <span class=\"count\" id=\"count-disabled\">1</span>",
                        "Issues <span class=\"count\" id=\"count-issues\">1</span>",
                        "Snapshot built 2026-11-24 12:00 UTC",
                        "href=\"servers/time.html\"",
                        "<body>",
                        "data-health=\"unknown\"",
                        "data-health=\"disabled\"");
        String time = Files.readString(out.resolve("servers/time.html"));
        assertThat(time)
                .contains(
                        "healthy since</dt><dd><time datetime=\"2026-11-24T11:59:00Z\" title=\"2026-11-24 11:59:00 UTC\">",
                        "<code>current_time</code>",
                        "<td><code>timezone</code></td><td>string</td><td>yes</td>" + "<td>IANA zone</td>",
                        "https://gateway.example.com/time/mcp",
                        "claude mcp add --transport http time https://gateway.example.com/time/mcp");
        assertThat(Files.readString(out.resolve("servers/fin.html")))
                .contains("https://gateway.example.com/fin/sse", "never (no status yet)", "has not been probed");
        JsonNode json = JsonMapper.shared().readTree(out.resolve("servers.json").toFile());
        assertThat(json.path("servers")).hasSize(3);
        assertThat(json.path("servers").get(2).path("id").asString()).isEqualTo("time");
        assertThat(json.path("servers")
                        .get(2)
                        .path("tools")
                        .get(0)
                        .path("input_schema")
                        .path("required")
                        .get(0)
                        .asString())
                .isEqualTo("timezone");
        assertThat(json.path("servers").get(0).path("status").path("health").asString())
                .isEqualTo("unknown");
        assertThat(JsonMapper.shared()
                        .readTree(out.resolve("search-index.json").toFile())
                        .path("servers")
                        .get(2)
                        .path("tools")
                        .get(0)
                        .path("text")
                        .asString())
                .isEqualTo("current time current_time current time in a zone.");
        assertThat(out.resolve("assets/site.css")).exists();
        assertThat(out.resolve("assets/site.js")).exists();
    }

    @Test
    void escapesHtmlAndScriptFromToolsAndEntries() throws Exception {
        generate(
                List.of(entry("evil", "Says " + XSS + " & more", Transport.STREAMABLE_HTTP, true)),
                Map.of(
                        "evil",
                        healthy(
                                "evil",
                                List.of(tool(
                                        "x_tool",
                                        XSS,
                                        "{\"type\":\"object\",\"properties\":{\"" + XSS.replace("\"", "'")
                                                + "\":{\"type\":\"string\"," + "\"description\":\""
                                                + XSS.replace("\"", "'") + "\"}}}")))));

        for (Path page : List.of(out.resolve("index.html"), out.resolve("servers/evil.html"))) {
            String html = Files.readString(page);
            assertThat(html).as(page.toString()).doesNotContain("<script>alert", "<img src=x", "onerror=alert(1)>");
        }
        assertThat(Files.readString(out.resolve("servers/evil.html"))).contains("&lt;script&gt;alert(");
    }

    @Test
    void keepsEveryAssetLocal() throws Exception {
        generate(List.of(entry("time", "Tells the time.", Transport.STREAMABLE_HTTP, true)), Map.of());

        Pattern reference = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
        for (Path page : List.of(out.resolve("index.html"), out.resolve("servers/time.html"))) {
            Matcher matcher = reference.matcher(Files.readString(page));
            while (matcher.find()) {
                String target = matcher.group(1);
                boolean entryLink = target.startsWith("https://docs.example.com/");
                assertThat(target.startsWith("http") && !entryLink)
                        .as("%s in %s", target, page)
                        .isFalse();
            }
        }
        assertThat(Files.readString(out.resolve("assets/site.css")) + Files.readString(out.resolve("assets/site.js")))
                .doesNotContain("http://", "https://", "@import");
    }

    @Test
    void keepsLongAndNonLatinTextAndRemovesPagesOfRemovedServers() throws Exception {
        String text = "東京の天気と時刻 — Ελληνικά — עברית " + "long ".repeat(150);
        generate(
                List.of(
                        entry("tokyo", text.strip(), Transport.STREAMABLE_HTTP, true),
                        entry("gone", "Soon removed.", Transport.STREAMABLE_HTTP, true)),
                Map.of());
        assertThat(Files.readString(out.resolve("servers/tokyo.html"))).contains("東京の天気と時刻 — Ελληνικά — עברית");

        generate(List.of(entry("tokyo", text.strip(), Transport.STREAMABLE_HTTP, true)), Map.of());

        assertThat(out.resolve("servers/gone.html")).doesNotExist();
        assertThat(out.resolve("v0.1/servers/com.example.gateway/gone")).doesNotExist();
        assertThat(out.resolve("v0.1/servers/com.example.gateway/tokyo/versions/latest"))
                .exists();
    }

    @Test
    void aLiveCardAndPageCarryTheirVersionAndSayWhenTheGatewayCouldNotDeployTheServer() {
        SiteGenerator generator = new SiteGenerator();
        SiteGenerator.Settings live =
                SiteGenerator.Settings.live("https://gateway.example.com", "https://gateway.example.com");
        ServerEntry entry = entry("time", "Time " + XSS, Transport.STREAMABLE_HTTP, true);
        SiteGenerator.Live failed = new SiteGenerator.Live(42, "KEYED_API_KEY is not set " + XSS);

        String card = generator.renderCard(entry, null, live, failed);
        String page = generator.renderServer(entry, null, live, failed);

        assertThat(card)
                .startsWith("<article class=\"card\" data-id=\"time\"")
                .contains("data-version=\"42\"", "not deployed: KEYED_API_KEY is not set &lt;script&gt;")
                .doesNotContain("<script>alert");
        assertThat(page)
                .contains(
                        "id=\"server-page\" data-id=\"time\" data-version=\"42\"",
                        "data-live=\"true\"",
                        "not deployed (the gateway answers 503): KEYED_API_KEY is not set &lt;script&gt;")
                .doesNotContain("<script>alert");
        assertThat(generator.renderMissing("gone", live))
                .contains("/gone is not in the registry", "data-missing=\"true\"");
    }
}
