package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.SecretPolicy;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.StatusJson;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.runtime.auth.ApiTokens;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Attacks with each right access.yaml grants, through the registry API: none may be turned into another. Every
 * test performs the attack and fails if it works; every refused attempt must leave the registry unchanged.
 */
class LeastPrivilegeTest {

    private static final String ACCESS = """
            groups:
              editors:
                servers:
                  own: {tools: "*"}
                  mcpgw: {tools: "*"}
                  keyed: {tools: "*"}
                registry: [register, edit, delete, refresh]
              togglers:
                servers:
                  own: {tools: "*"}
                registry: [toggle]
              finance:
                servers:
                  fininfo: {tools: [get_quote]}
            """;

    @TempDir
    Path work;

    private Path repo;
    private RegistryRuntime runtime;
    private Http http;
    private String editor;
    private String toggler;
    private String analyst;
    private String admin;

    @BeforeEach
    void start() throws Exception {
        repo = TestRegistry.create(
                work.resolve("registry"),
                Map.of(
                        "servers/own.yaml",
                        TestRegistry.entry("own", "http://127.0.0.1:9", true),
                        "servers/fininfo.yaml",
                        TestRegistry.entry("fininfo", "http://127.0.0.1:9", true),
                        "servers/mcpgw.yaml",
                        TestRegistry.mcpgwEntry(7860),
                        "servers/keyed.yaml",
                        TestRegistry.entry("keyed", "http://127.0.0.1:9", true)
                                + "upstream_headers:\n  - name: X-Api-Key\n    value_from: {env: KEYED_API_KEY}\n",
                        "access.yaml",
                        ACCESS));
        try (GitStore store = GitStore.open(repo)) {
            ApiTokens tokens = new ApiTokens(store, "tokens", null, Clock.systemUTC());
            PersonIdent author = new PersonIdent("t", "t@t");
            editor = tokens.create("eve", Set.of("editors"), Duration.ofHours(1), null, author)
                    .token();
            toggler = tokens.create("tom", Set.of("togglers"), Duration.ofHours(1), null, author)
                    .token();
            analyst = tokens.create("ann", Set.of("finance"), Duration.ofHours(1), null, author)
                    .token();
            admin = tokens.create("ada", Set.of("admins"), Duration.ofHours(1), null, author)
                    .token();
            ServerStatus fininfo = ServerStatus.builder("fininfo", Health.HEALTHY, Instant.now())
                    .tools(List.of(tool("get_quote"), tool("reset_ledger")), false)
                    .build();
            store.commit(
                    "status",
                    snapshot ->
                            new GitStore.Change(Map.of(StatusJson.path("fininfo"), StatusJson.write(fininfo)), "probe"),
                    author);
        }
        runtime = RegistryRuntime.start(TestRegistry.settings(repo)
                .probing(new RuntimeSettings.Probing(false, Duration.ofHours(1), Duration.ofSeconds(2)))
                .secrets(SecretPolicy.allowing(List.of("KEYED_"), List.of())));
        http = new Http(runtime);
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private static ToolInfo tool(String name) {
        return new ToolInfo(
                name,
                "Does " + name + ".",
                JsonMapper.shared().createObjectNode().put("type", "object"));
    }

    private Http.Response as(String token, String path, String json) throws Exception {
        return http.json(path, json, "Authorization", "Bearer " + token);
    }

    private String tip() throws Exception {
        try (GitStore store = GitStore.open(repo)) {
            return store.tip("main").orElseThrow().name();
        }
    }

    /** Asserts the attempt was refused with {@code status}, naming why, and that nothing was committed. */
    private void refused(Http.Response response, int status, String why, String before) throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().path("message").asString()).contains(why);
        assertThat(tip()).as("a refused change commits nothing").isEqualTo(before);
    }

    @Test
    void anEditRightCannotPointTheGatewaysSecretsOrCallersTokensAnywhere() throws Exception {
        String before = tip();
        refused(
                as(
                        editor,
                        "/edit/own",
                        "{\"upstream_headers\": [{\"name\": \"X-Leak\", \"value_from\": "
                                + "{\"env\": \"SECRET_KEY\"}}]}"),
                403,
                "may not change upstream_headers",
                before);
        refused(as(editor, "/edit/own", "{\"forward_caller_token\": true}"), 403, "grants 'credentials'", before);
        refused(
                as(editor, "/edit/mcpgw", "{\"proxy_pass_url\": \"http://attacker.example.com\"}"),
                403,
                "may not change upstream_headers, forward_caller_token or the upstream",
                before);
        refused(
                as(editor, "/edit/keyed", "{\"proxy_pass_url\": \"http://attacker.example.com\"}"),
                403,
                "credentials",
                before);
        refused(as(editor, "/edit/keyed", "{\"replicas\": \"attacker.example.com:80\"}"), 403, "credentials", before);
        refused(
                as(
                        editor,
                        "/edit/mcpgw",
                        "{\"forward_caller_token\": false, \"proxy_pass_url\": " + "\"http://attacker.example.com\"}"),
                403,
                "credentials",
                before);

        refused(as(editor, "/edit/own", "{\"enabled\": false}"), 403, "may not toggle servers", before);
        Http.Response harmless = as(editor, "/edit/keyed", "{\"description\": \"Keyed, described anew.\"}");
        assertThat(harmless.status())
                .as("what the edit right is for still works")
                .isEqualTo(200);
        assertThat(as(admin, "/edit/own", "{\"forward_caller_token\": true}").status())
                .as("administrators hold the credentials right")
                .isEqualTo(200);
    }

    @Test
    void registeringGrantsNoMoreThanTheRegisterRight() throws Exception {
        String before = tip();
        refused(
                as(
                        editor,
                        "/register",
                        "{\"name\": \"Trap\", \"path\": \"/trap\", \"proxy_pass_url\": "
                                + "\"http://attacker.example.com\", \"description\": \"Trap.\", \"forward_caller_token\": true}"),
                403,
                "credentials",
                before);
        refused(
                as(
                        editor,
                        "/register",
                        "{\"name\": \"Trap\", \"path\": \"/trap\", \"proxy_pass_url\": "
                                + "\"http://attacker.example.com\", \"description\": \"Trap.\", \"upstream_headers\": [{\"name\": "
                                + "\"X-Leak\", \"value_from\": {\"file\": \"/etc/passwd\"}}]}"),
                403,
                "credentials",
                before);
        refused(
                as(
                        editor,
                        "/register",
                        "{\"name\": \"Live\", \"path\": \"/live\", \"proxy_pass_url\": "
                                + "\"http://127.0.0.1:9\", \"description\": \"Live at once.\", \"enabled\": \"on\"}"),
                403,
                "may not toggle servers",
                before);

        Http.Response plain = as(
                editor,
                "/register",
                "{\"name\": \"Plain\", \"path\": \"/plain\", \"proxy_pass_url\": "
                        + "\"http://127.0.0.1:9\", \"description\": \"Plain.\"}");
        assertThat(plain.status()).as(plain.body()).isEqualTo(201);
        assertThat(plain.json().path("service").path("enabled").asBoolean()).isFalse();
    }

    @Test
    void managementReachesOnlyServersTheCallerMaySee() throws Exception {
        String before = tip();
        assertThat(http.get("/api/server_details/fininfo", "Authorization", "Bearer " + editor)
                        .status())
                .isEqualTo(404);
        refused(
                as(editor, "/edit/fininfo", "{\"proxy_pass_url\": \"http://attacker.example.com\"}"),
                404,
                "no server is registered at /fininfo",
                before);
        refused(as(editor, "/delete/fininfo", "{}"), 404, "no server is registered at /fininfo", before);
        refused(as(editor, "/api/refresh/fininfo", "{}"), 404, "no server is registered at /fininfo", before);
        refused(
                as(toggler, "/toggle/fininfo", "{\"enabled\": false}"),
                404,
                "no server is registered at /fininfo",
                before);
        assertThat(as(toggler, "/toggle/own", "{\"enabled\": false}").status()).isEqualTo(200);
    }

    @Test
    void readPathsShowOnlyTheToolsTheCallerMayCall() throws Exception {
        String bearer = "Bearer " + analyst;
        JsonNode details = TestRegistry.await(
                () -> http.get("/api/server_details/fininfo", "Authorization", bearer)
                        .json(),
                json -> json.path("num_tools").asInt() > 0);
        assertThat(details.path("tool_list").findValuesAsString("name")).containsExactly("get_quote");
        assertThat(details.path("num_tools").asInt()).isEqualTo(1);
        assertThat(http.get("/api/tools/fininfo", "Authorization", bearer)
                        .json()
                        .path("tools")
                        .findValuesAsString("name"))
                .containsExactly("get_quote");
        JsonNode v01 = http.get("/v0.1/servers", "Authorization", bearer).json();
        assertThat(v01.path("servers")
                        .get(0)
                        .path("_meta")
                        .path("dev.mcpgw/status")
                        .path("tools")
                        .findValuesAsString("name"))
                .containsExactly("get_quote");
        assertThat(http.get("/api/server_details/fininfo", "Authorization", "Bearer " + admin)
                        .json()
                        .path("num_tools")
                        .asInt())
                .as("administrators see every tool")
                .isEqualTo(2);
    }

    @Test
    void evenAnAdministratorCannotMakeTheGatewayReadTheRuntimesSecretsOrAnythingTheOperatorDidNotAllow()
            throws Exception {
        String before = tip();
        Http.Response ownKey = as(
                admin,
                "/edit/own",
                "{\"upstream_headers\": [{\"name\": \"X-Leak\", \"value_from\": " + "{\"env\": \"SECRET_KEY\"}}]}");
        refused(ownKey, 400, "SECRET_KEY is the runtime's own configuration", before);
        assertThat(ownKey.json().path("problems").get(0).asString())
                .startsWith("servers/own.yaml:")
                .contains("upstream_headers[0].value_from.env");
        refused(
                as(
                        admin,
                        "/edit/own",
                        "{\"upstream_headers\": [{\"name\": \"X-Leak\", \"value_from\": "
                                + "{\"file\": \"/etc/passwd\"}}]}"),
                400,
                "outside the directories the operator allows",
                before);
        refused(
                as(
                        admin,
                        "/edit/own",
                        "{\"upstream_headers\": [{\"name\": \"X-Key\", \"value_from\": " + "{\"env\": \"HOME\"}}]}"),
                400,
                "not an environment variable the operator allows",
                before);
    }

    @Test
    void noRightCanPointTheGatewayOrTheProbeInsideThisMachineOrACloud() throws Exception {
        String before = tip();
        for (String target : List.of(
                "http://169.254.169.254/latest/meta-data",
                "http://127.0.0.2:" + runtime.port(),
                "http://[::ffff:127.0.0.1]:" + runtime.port(),
                "http://2130706433:" + runtime.port(),
                "http://localhost:" + runtime.port(),
                "http://[::1]:22",
                "http://0.0.0.0:8080")) {
            Http.Response registered = as(
                    admin,
                    "/register",
                    "{\"name\": \"Scan\", \"path\": \"/scan\", " + "\"proxy_pass_url\": \"" + target
                            + "\", \"description\": \"Looks around.\"}");
            refused(registered, 400, "proxy_pass_url", before);
            assertThat(registered.json().path("problems").get(0).asString())
                    .as(target)
                    .startsWith("servers/scan.yaml:4:17: proxy_pass_url: ");
            refused(as(editor, "/edit/own", "{\"proxy_pass_url\": \"" + target + "\"}"), 400, "proxy_pass_url", before);
        }
    }
}
