package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.StatusJson;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.core.testing.Golden;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every answer of the registry API, pinned byte for byte (commits and times masked): the wire contracts of
 * contract 5 cannot drift without a reviewed change of this file.
 */
class RegistryAnswersGoldenTest {

    @TempDir
    Path work;

    private static String masked(Http.Response response) {
        return response.status() + " "
                + response.body()
                        .replaceAll("\"[0-9a-f]{40}\"", "\"<commit>\"")
                        .replaceAll("\"20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z\"", "\"<time>\"")
                + "\n";
    }

    @Test
    void everyAnswerOfTheApiIsPinned() throws Exception {
        Path repo = TestRegistry.create(
                work.resolve("registry"),
                Map.of(
                        "servers/fininfo.yaml", TestRegistry.entry("fininfo", "http://127.0.0.1:9", true),
                        "servers/old.yaml", TestRegistry.entry("old", "http://127.0.0.1:9", false)));
        try (GitStore store = GitStore.open(repo)) {
            ServerStatus status = ServerStatus.builder("fininfo", Health.HEALTHY, Instant.now())
                    .latencyMs(4L)
                    .serverInfo("fininfo", "1.0")
                    .protocolVersion("2025-11-25")
                    .tools(
                            List.of(
                                    new ToolInfo(
                                            "get_stock_quote",
                                            "Latest quote of a ticker.",
                                            JsonMapper.shared()
                                                    .readTree(
                                                            "{\"type\":\"object\",\"properties\":{\"ticker\":{\"type\":\"string\"}}}"))),
                            false)
                    .build();
            store.commit(
                    "status",
                    snapshot ->
                            new GitStore.Change(Map.of(StatusJson.path("fininfo"), StatusJson.write(status)), "probe"),
                    new PersonIdent("p", "p@p"));
        }
        StringBuilder answers = new StringBuilder();
        try (RegistryRuntime runtime = RegistryRuntime.start(TestRegistry.settings(repo)
                .probing(new RuntimeSettings.Probing(false, Duration.ofHours(1), Duration.ofSeconds(2)))
                .gatewayUrl("https://gateway.example.com"))) {
            Http http = new Http(runtime);
            http.login();
            TestRegistry.await(
                    () -> http.get("/api/tools/fininfo").json(),
                    json -> json.path("tools").size() == 1);
            for (String[] call : new String[][] {
                {"GET", "/api/server_details/fininfo"},
                {"GET", "/api/server_details/all"},
                {"GET", "/api/tools/fininfo"},
                {"GET", "/api/tools/all"},
                {"GET", "/api/tools/old"},
                {"GET", "/api/server_details/nosuch"},
                {
                    "POST",
                    "/register",
                    "{\"name\": \"News\", \"path\": \"/news\", \"proxy_pass_url\": "
                            + "\"http://127.0.0.1:9\", \"description\": \"Headlines.\", \"tags\": \"news, daily\"}"
                },
                {
                    "POST",
                    "/register",
                    "{\"name\": \"Bad\", \"path\": \"/bad\", \"proxy_pass_url\": \"ftp://x\", "
                            + "\"description\": \"Bad.\"}"
                },
                {"POST", "/toggle/old", "{\"enabled\": false}"},
                {"POST", "/edit/news", "{\"description\": \"Headlines, hourly.\"}"},
                {"POST", "/delete/news", "{}"},
                {"GET", "/v0.1/servers?limit=1"},
                {"GET", "/v0.1/servers/com.example.gateway%2Ffininfo/versions/latest"},
                {"GET", "/api/search?q=stock"}
            }) {
                Http.Response response = call[0].equals("GET") ? http.get(call[1]) : http.json(call[1], call[2]);
                answers.append(call[0])
                        .append(' ')
                        .append(call[1])
                        .append(call.length > 2 ? " " + call[2] : "")
                        .append('\n')
                        .append(masked(response))
                        .append('\n');
            }
        }
        assertThat(answers).contains("Service registered successfully");
        Golden.assertMatches("registry-answers.txt", answers.toString());
    }
}
