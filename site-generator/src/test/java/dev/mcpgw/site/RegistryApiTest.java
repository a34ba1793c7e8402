package dev.mcpgw.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.mcpgw.core.contract.RegistryV01;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RegistryApiTest {

    private static final Instant BUILT = Instant.parse("2026-11-24T12:00:00Z");

    @TempDir
    Path out;

    private static ServerEntry entry(String id, Transport transport, boolean enabled, String description) {
        return ServerEntry.builder(
                        new ServerId(id),
                        "Server " + id,
                        description,
                        UpstreamUrl.parse("http://127.0.0.1:8001"),
                        transport)
                .enabled(enabled)
                .version(id.equals("time") ? "1.2.0" : null)
                .homepage("https://docs.example.com/" + id)
                .repository("https://github.com/example/" + id)
                .build();
    }

    private JsonNode read(String path) throws Exception {
        return JsonMapper.shared().readTree(out.resolve(path).toFile());
    }

    /** The schema of one definition of registry-v0.1.schema.json ({@code ServerList}, {@code ServerResponse}). */
    private static Schema shape(String definition) throws Exception {
        tools.jackson.databind.node.ObjectNode document = (tools.jackson.databind.node.ObjectNode)
                JsonMapper.shared().readTree(RegistryApiTest.class.getResourceAsStream("/registry-v0.1.schema.json"));
        document.put("$ref", "#/$defs/" + definition);
        return SchemaRegistry.withDefaultDialect(
                        SpecificationVersion.DRAFT_2020_12,
                        b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder()
                                .formatAssertionsEnabled(true)
                                .build()))
                .getSchema(document);
    }

    @Test
    void writesTheV01ApiInTheOfficialShapes() throws Exception {
        new SiteGenerator()
                .generate(
                        List.of(
                                entry("time", Transport.STREAMABLE_HTTP, true, "Tells the time."),
                                entry(
                                        "fin",
                                        Transport.SSE,
                                        false,
                                        "Stock quotes, company facts and market news for ticker symbols "
                                                + "from many exchanges, with historic prices and dividends.")),
                        Map.of(
                                "time",
                                ServerStatus.builder("time", Health.HEALTHY, BUILT)
                                        .latencyMs(3L)
                                        .serverInfo("currenttime", "1")
                                        .protocolVersion("2025-11-25")
                                        .observedRevision("rev")
                                        .tools(
                                                List.of(new ToolInfo(
                                                        "current_time",
                                                        "Now.",
                                                        JsonMapper.shared().createObjectNode())),
                                                false)
                                        .build()),
                        new SiteGenerator.Settings("https://gateway.example.com", BUILT),
                        out);

        JsonNode list = read("v0.1/servers/index.json");
        JsonNode latest = read("v0.1/servers/com.example.gateway/time/versions/latest");

        assertThat(shape("ServerList")
                        .validate(JsonMapper.shared().readTree("{\"servers\":[{\"server\":{\"name\":\"x\"}}]}")))
                .as("the shape check can fail")
                .isNotEmpty();
        assertThat(shape("ServerList").validate(list)).isEmpty();
        assertThat(shape("ServerResponse").validate(latest)).isEmpty();
        assertThat(list.path("metadata").path("count").asInt()).isEqualTo(2);
        assertThat(latest.path("server").path("name").asString()).isEqualTo("com.example.gateway/time");
        assertThat(latest.path("server").path("$schema").asString()).isEqualTo(RegistryV01.SERVER_SCHEMA);
        assertThat(latest.path("server").path("remotes").get(0).path("url").asString())
                .isEqualTo("https://gateway.example.com/time/mcp");
        assertThat(latest.path("_meta")
                        .path(RegistryV01.OUR_META)
                        .path("health")
                        .asString())
                .isEqualTo("healthy");
        assertThat(latest.path("_meta")
                        .path(RegistryV01.OUR_META)
                        .path("tools")
                        .get(0)
                        .path("name")
                        .asString())
                .isEqualTo("current_time");
        assertThat(read("v0.1/servers/com.example.gateway%2Ftime/versions/1.2.0"))
                .isEqualTo(latest);
        assertThat(read("v0.1/servers/com.example.gateway/time/versions/index.json")
                        .path("servers")
                        .get(0))
                .isEqualTo(latest);
        assertThat(Files.readString(out.resolve("v0.1/servers/index.html")))
                .isEqualTo(Files.readString(out.resolve("v0.1/servers/index.json")));

        JsonNode fin = read("v0.1/servers/com.example.gateway/fin/versions/latest");
        assertThat(fin.path("server").path("description").asString())
                .hasSizeLessThanOrEqualTo(100)
                .endsWith("…");
        assertThat(fin.path("server").path("remotes").get(0).path("type").asString())
                .isEqualTo("sse");
        assertThat(fin.path("_meta")
                        .path(RegistryV01.OFFICIAL_META)
                        .path("status")
                        .asString())
                .isEqualTo("deprecated");
        assertThat(fin.path("_meta").path(RegistryV01.OUR_META).path("health").asString())
                .isEqualTo("disabled");
        assertThat(fin.path("_meta").isObject()).isTrue();
    }

    @Test
    void derivesTheNamespaceFromTheGatewayHost() {
        assertThat(RegistryV01.defaultNamespace("https://mcp.corp.example.com")).isEqualTo("com.example.corp.mcp");
        assertThat(RegistryV01.defaultNamespace("http://127.0.0.1:8080")).isEqualTo("local.mcpgw");
        assertThat(RegistryV01.defaultNamespace("http://localhost:8080")).isEqualTo("local.mcpgw");
    }

    @Test
    void noUpstreamTextRunsAsHtmlWhereAStaticHostServesTheListAsAPage() throws Exception {
        String hostile = "<img src=x onerror=alert(1)></script><script>alert('x')</script>&amp;\u2028";
        new SiteGenerator()
                .generate(
                        List.of(entry("time", Transport.STREAMABLE_HTTP, true, "Tells the time <b>now</b> & 'here'")),
                        Map.of(
                                "time",
                                ServerStatus.builder("time", Health.HEALTHY, BUILT)
                                        .latencyMs(3L)
                                        .serverInfo(hostile, "1")
                                        .protocolVersion("2025-11-25")
                                        .observedRevision("rev")
                                        .tools(
                                                List.of(new ToolInfo(
                                                        hostile,
                                                        hostile,
                                                        JsonMapper.shared().createObjectNode())),
                                                false)
                                        .build()),
                        new SiteGenerator.Settings("https://gateway.example.com", BUILT),
                        out);

        String page = Files.readString(out.resolve("v0.1/servers/index.html"));
        assertThat(page).doesNotContain("<", ">", "&amp;", "'", "\u2028").contains("\\u003cimg src=x");
        JsonNode asJson = JsonMapper.shared().readTree(page);
        assertThat(asJson).as("still the same JSON document").isEqualTo(read("v0.1/servers/index.json"));
        assertThat(asJson.path("servers")
                        .get(0)
                        .path("_meta")
                        .path(RegistryV01.OUR_META)
                        .path("tools")
                        .get(0)
                        .path("name")
                        .asString())
                .isEqualTo(hostile);
        assertThat(Files.readString(out.resolve("v0.1/servers/com.example.gateway/time/versions/latest")))
                .as("extensionless documents too")
                .doesNotContain("<");
    }
}
