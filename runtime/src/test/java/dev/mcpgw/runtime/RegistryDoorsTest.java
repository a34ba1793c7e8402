package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.runtime.auth.ApiTokens;
import dev.mcpgw.runtime.auth.OidcTokens;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One registry behind every door: the same caller asking the same thing through the HTTP API and through the
 * mcpgw MCP tools is authenticated the same way (mcpgw tokens and OIDC access tokens alike), allowed or refused
 * by the same access.yaml rule with the same words, and answered with the same document.
 */
class RegistryDoorsTest {

    private static final String GATEWAY = "https://gateway.example.com";

    @TempDir
    Path work;

    private TestIdentityProvider idp;
    private Path repo;
    private RegistryRuntime runtime;
    private Http http;
    private final Map<String, String> callers = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        idp = new TestIdentityProvider();
        repo = TestRegistry.create(
                work.resolve("registry"),
                Map.of(
                        "servers/time.yaml", TestRegistry.entry("time", "http://127.0.0.1:9", true),
                        "servers/clock.yaml", TestRegistry.entry("clock", "http://127.0.0.1:9", true),
                        "access.yaml",
                                "groups:\n  operators:\n    servers:\n      time: {tools: \"*\"}\n"
                                        + "    registry: [toggle]\n  guests:\n    servers:\n      time: {tools: \"*\"}\n"));
        try (GitStore store = GitStore.open(repo)) {
            ApiTokens tokens = new ApiTokens(store, "tokens", null, Clock.systemUTC());
            PersonIdent author = new PersonIdent("t", "t@t");
            callers.put(
                    "admin token",
                    tokens.create("ada", Set.of("admins"), Duration.ofHours(1), null, author)
                            .token());
            callers.put(
                    "operator token",
                    tokens.create("olivia", Set.of("operators"), Duration.ofHours(1), null, author)
                            .token());
            callers.put(
                    "guest token",
                    tokens.create("gus", Set.of("guests"), Duration.ofHours(1), null, author)
                            .token());
        }
        callers.put("operator OIDC token", idp.token("oscar", List.of("operators"), GATEWAY, claims -> {}));
        callers.put("guest OIDC token", idp.token("grace", List.of("guests"), GATEWAY, claims -> {}));
        callers.put("forged token", "not-a-token-anyone-issued");
        callers.put("anonymous", null);
        OidcTokens.Settings oidc = idp.settings();
        runtime = RegistryRuntime.start(TestRegistry.settings(repo)
                .probing(new RuntimeSettings.Probing(false, Duration.ofHours(1), Duration.ofSeconds(2)))
                .gatewayUrl(GATEWAY)
                .auth(new RuntimeSettings.Auth(TestRegistry.AUTH.admin(), TestRegistry.AUTH.key(), oidc))
                .search(false));
        http = new Http(runtime);
    }

    @AfterEach
    void stop() {
        runtime.close();
        idp.close();
    }

    /** What a door said: allowed with a document, or refused with a message. */
    private record Answer(boolean allowed, int status, String message, JsonNode document) {}

    private Answer overHttp(String token, String path, Map<String, String> form) throws Exception {
        Http.Response response =
                token == null ? http.form(path, form) : http.form(path, form, "Authorization", "Bearer " + token);
        JsonNode body = response.json();
        return response.status() < 300
                ? new Answer(true, response.status(), null, body)
                : new Answer(false, response.status(), body.path("message").asString(), null);
    }

    private Answer overMcp(String token, String tool, Map<String, Object> arguments) {
        HttpRequest.Builder request = HttpRequest.newBuilder();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try (McpSyncClient client = McpClient.sync(
                        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + runtime.port())
                                .endpoint("/mcpgw/mcp")
                                .requestBuilder(request)
                                .build())
                .requestTimeout(Duration.ofSeconds(20))
                .build()) {
            client.initialize();
            McpSchema.CallToolResult result = client.callTool(
                    McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
            String text = ((McpSchema.TextContent) result.content().get(0)).text();
            return Boolean.TRUE.equals(result.isError())
                    ? new Answer(false, 0, text, null)
                    : new Answer(true, 0, null, JsonMapper.shared().readTree(text));
        }
    }

    /** The answer without what differs between a first and a repeated call (commit) or moves on its own (probes). */
    private static JsonNode withoutCommitState(JsonNode answer) {
        ObjectNode copy = ((ObjectNode) answer).deepCopy();
        copy.remove(List.of("changed", "commit", "last_checked_iso", "num_tools"));
        return copy;
    }

    @Test
    void everyCallerGetsTheSameVerdictTheSameWordsAndTheSameAnswerThroughEitherDoor() throws Exception {
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (Map.Entry<String, String> caller : callers.entrySet()) {
            Answer viaHttp = overHttp(caller.getValue(), "/toggle/time", Map.of("enabled", "false"));
            Answer viaMcp = overMcp(caller.getValue(), "toggle_service", Map.of("path", "/time", "enabled", false));

            assertThat(viaMcp.allowed())
                    .as("%s: both doors decide alike", caller.getKey())
                    .isEqualTo(viaHttp.allowed());
            if (viaHttp.allowed()) {
                assertThat(withoutCommitState(viaMcp.document()))
                        .as(caller.getKey())
                        .isEqualTo(withoutCommitState(viaHttp.document()));
                overHttp(callers.get("admin token"), "/toggle/time", Map.of("enabled", "true"));
                verdicts.put(caller.getKey(), "allowed");
            } else {
                assertThat(viaMcp.message())
                        .as("%s: the same words", caller.getKey())
                        .isEqualTo(viaHttp.message());
                verdicts.put(caller.getKey(), Integer.toString(viaHttp.status()));
            }
        }

        assertThat(verdicts)
                .containsExactly(
                        Map.entry("admin token", "allowed"),
                        Map.entry("operator token", "allowed"),
                        Map.entry("guest token", "403"),
                        Map.entry("operator OIDC token", "allowed"),
                        Map.entry("guest OIDC token", "403"),
                        Map.entry("forged token", "401"),
                        Map.entry("anonymous", "401"));
        try (Git git = Git.open(repo.toFile())) {
            List<String> authors = new java.util.ArrayList<>();
            for (RevCommit commit : git.log()
                    .add(git.getRepository().resolve("main"))
                    .setMaxCount(12)
                    .call()) {
                if (commit.getShortMessage().startsWith("Disable /time")) {
                    authors.add(commit.getAuthorIdent().getName());
                }
            }
            assertThat(authors)
                    .as("each allowed caller's change is a commit in its own name, whichever door")
                    .containsExactlyInAnyOrder("ada", "olivia", "oscar");
        }
    }

    @Test
    void aCallerSeesTheSameServersThroughEitherDoorAndNothingElse() throws Exception {
        String guest = callers.get("guest OIDC token");
        Answer viaHttp = new Answer(
                true,
                200,
                null,
                http.get("/api/server_details/all", "Authorization", "Bearer " + guest)
                        .json());
        Answer viaMcp = overMcp(guest, "list_services", Map.of());
        assertThat(viaHttp.document().propertyNames()).containsExactly("/time");
        assertThat(viaMcp.document()).hasSize(1);
        assertThat(viaMcp.document().get(0).path("path").asString()).isEqualTo("/time");

        Answer hidden = overMcp(guest, "get_server_details", Map.of("path", "/clock"));
        Http.Response hiddenOverHttp = http.get("/api/server_details/clock", "Authorization", "Bearer " + guest);
        assertThat(hidden.allowed()).isFalse();
        assertThat(hiddenOverHttp.status()).isEqualTo(404);
        assertThat(hidden.message())
                .isEqualTo(hiddenOverHttp.json().path("message").asString())
                .isEqualTo("no server is registered at /clock");
    }
}
