package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.logging.LogCapture;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.runtime.auth.ApiTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The registry API against a real Git repository: every change a commit, every refusal changes nothing. */
class ManagementApiTest {

    @RegisterExtension
    final LogCapture log = new LogCapture();

    private static final String COMMENTED = """
            # Owned by the platform team; ask in #platform before changing.
            name: Weather
            path: /weather
            proxy_pass_url: http://127.0.0.1:9
            transport: streamable-http
            description: Forecasts.
            enabled: false
            """;

    @TempDir
    Path work;

    private Path repo;
    private RegistryRuntime runtime;
    private Http http;

    @BeforeEach
    void start() throws Exception {
        repo = TestRegistry.create(
                work.resolve("registry"),
                Map.of(
                        "servers/weather.yaml",
                        COMMENTED,
                        "servers/time.yaml",
                        TestRegistry.entry("time", "http://127.0.0.1:9", true)));
        runtime = RegistryRuntime.start(TestRegistry.settings(repo));
        http = new Http(runtime);
    }

    @AfterEach
    void stop() {
        runtime.close();
        log.lines().stream().filter(line -> line.contains("internal error")).forEach(System.out::println);
    }

    @Test
    void signInSetsAHardenedSessionCookieAndSignOutEndsIt() throws Exception {
        Http.Response wrong = http.form("/login", Map.of("username", "admin", "password", "nope"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("error").asString()).isEqualTo("invalid_credentials");
        assertThat(http.form("/login", Map.of("username", "admin")).status()).isEqualTo(400);

        Http.Response ok = http.login();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Set-Cookie"))
                .startsWith("mcp_gateway_session=")
                .contains("HttpOnly", "SameSite=Lax", "Max-Age=28800", "Path=/")
                .doesNotContain("Secure");
        assertThat(ok.json().path("csrf_token").asString()).isNotEmpty();
        assertThat(http.get("/api/session").json().path("user").asString()).isEqualTo("admin");
        assertThat(http.get("/api/server_details/all").status()).isEqualTo(200);

        String session = http.cookie();
        assertThat(http.form("/logout", Map.of()).status()).isEqualTo(200);
        // the old cookie, replayed, is refused: the session has ended
        Http.Response replayed = http.get("/api/server_details/all", "Cookie", session);
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(log.lines()).noneMatch(line -> line.contains(TestRegistry.PASSWORD) || line.contains(session));
    }

    @Test
    void behindTlsAtTheGatewayTheCookieIsSecure() throws Exception {
        Http.Response ok = http.form(
                "/login", Map.of("username", "admin", "password", TestRegistry.PASSWORD), "X-Forwarded-Proto", "https");
        assertThat(ok.header("Set-Cookie")).contains("; Secure");
    }

    @Test
    void aForgedOrTamperedCookieIsRefused() throws Exception {
        http.login();
        String cookie = http.cookie();
        String tampered = cookie.replace(cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf('=') + 5), "AAAA");
        http.forgetCookie();
        assertThat(http.get("/api/server_details/all", "Cookie", cookie).status())
                .isEqualTo(200);
        assertThat(http.get("/api/server_details/all", "Cookie", tampered).status())
                .isEqualTo(401);
    }

    @Test
    void signInIsThrottledAfterRepeatedFailures() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(http.form("/login", Map.of("username", "admin", "password", "guess" + i))
                            .status())
                    .isEqualTo(401);
        }
        Http.Response throttled = http.form("/login", Map.of("username", "admin", "password", TestRegistry.PASSWORD));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isPositive();
    }

    @Test
    void concurrentGuessesCannotOutrunTheThrottle() throws Exception {
        // Ten guesses at once from one address: one password check at a time per address, so no more than the
        // throttle's five failures are ever checked - before, all ten passed the throttle before any was counted.
        java.util.List<java.util.concurrent.CompletableFuture<Integer>> guesses = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String guess = "guess" + i;
            guesses.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new Http(runtime)
                            .form("/login", Map.of("username", "admin", "password", guess))
                            .status();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (java.util.concurrent.CompletableFuture<Integer> guess : guesses) {
            statuses.add(guess.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        assertThat(statuses).containsOnly(401, 429);
        assertThat(statuses.stream().filter(status -> status == 401).count())
                .as("passwords checked: %s", statuses)
                .isBetween(1L, 5L);
    }

    @Test
    void ipv6AddressesOfOneNetworkShareTheirFailures() {
        assertThat(dev.mcpgw.runtime.auth.LoginThrottle.source("2001:db8:1:2:aaaa::1"))
                .isEqualTo(dev.mcpgw.runtime.auth.LoginThrottle.source("2001:db8:1:2:ffff:1:2:3"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(dev.mcpgw.runtime.auth.LoginThrottle.source("2001:db8:1:3::1"))
                .isEqualTo("2001:db8:1:3::/64");
        assertThat(dev.mcpgw.runtime.auth.LoginThrottle.source("203.0.113.9")).isEqualTo("203.0.113.9");
    }

    @Test
    void everyChangeNeedsSignInAndNothingIsWrittenWithout() throws Exception {
        String before = tip();
        assertThat(http.form("/toggle/time", Map.of()).status()).isEqualTo(401);
        assertThat(http.form("/register", registration("new")).status()).isEqualTo(401);
        assertThat(http.form("/delete/time", Map.of()).status()).isEqualTo(401);
        assertThat(http.get("/api/tools/all").status()).isEqualTo(401);
        Http.Response bad = http.get("/api/server_details/all", "Authorization", "Bearer mcpgw_000000000000_nope");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(http.get("/api/server_details/all", "Authorization", "Basic YWRtaW46eA==")
                        .status())
                .isEqualTo(401);
        assertThat(tip()).isEqualTo(before);
    }

    @Test
    void registerWithTheReferenceFormFieldsCommitsAnEntryAsItsAuthor() throws Exception {
        http.login();
        Http.Response created = http.form("/register", registration("fininfo"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("service").path("tags").toString()).isEqualTo("[\"finance\",\"stocks\"]");

        RevCommit commit = head();
        assertThat(commit.name()).isEqualTo(created.json().path("commit").asString());
        assertThat(commit.getAuthorIdent().getName()).isEqualTo("admin");
        assertThat(commit.getShortMessage()).isEqualTo("Register /fininfo (Financial Info)");
        byte[] file = file("servers/fininfo.yaml");
        assertThat(RegistryValidator.create()
                        .validateFile(new SourceFile("servers/fininfo.yaml", file))
                        .problems())
                .as("the committed file passes mcpgw validate")
                .isEmpty();
        assertThat(new String(file, StandardCharsets.UTF_8))
                .contains("enabled: false", "license: MIT")
                .doesNotContain("num_stars");

        JsonNode details = http.get("/api/server_details/fininfo").json();
        assertThat(details.path("server_name").asString()).isEqualTo("Financial Info");
        assertThat(details.path("is_enabled").asBoolean()).isFalse();
        assertThat(details.path("health").asString()).isEqualTo("disabled");

        Http.Response again = http.form("/register", registration("fininfo"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("message").asString()).contains("already registered at /fininfo");
    }

    @Test
    void anInvalidRegistrationGetsTheValidatorsMessageAndCommitsNothing() throws Exception {
        http.login();
        String before = tip();
        Map<String, String> bad = registration("evil");
        bad.put("proxy_pass_url", "http://127.0.0.1:9/;\n}\nserver { listen 81; }");
        Http.Response refused = http.form("/register", bad);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asString()).isEqualTo("invalid_entry");
        assertThat(refused.json().path("problems").get(0).asString())
                .startsWith("servers/evil.yaml:")
                .contains("proxy_pass_url");

        Map<String, String> reserved = registration("api");
        Http.Response reservedPath = http.form("/register", reserved);
        assertThat(reservedPath.status()).isEqualTo(400);
        assertThat(reservedPath.body()).contains("reserved");

        Http.Response unknownField = http.json(
                "/register",
                "{\"name\":\"X\",\"path\":\"/x\",\"proxy_pass_url\":"
                        + "\"http://127.0.0.1:9\",\"description\":\"d\",\"proxy_pass\":\"http://a\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.body()).contains("proxy_pass");
        assertThat(http.json("/register", "{not json").status()).isEqualTo(400);
        assertThat(http.json("/register", "[1,2]").status()).isEqualTo(400);
        assertThat(tip()).isEqualTo(before);
    }

    @Test
    void toggleCommitsOnlyRealChangesAndKeepsTheFilesComments() throws Exception {
        http.login();
        Http.Response on = http.form("/toggle/weather", Map.of("enabled", "on"));
        assertThat(on.status()).as(on.body()).isEqualTo(200);
        assertThat(on.json().path("new_enabled_state").asBoolean()).isTrue();
        assertThat(on.json().path("service_path").asString()).isEqualTo("/weather");
        assertThat(head().getShortMessage()).isEqualTo("Enable /weather");
        assertThat(new String(file("servers/weather.yaml"), StandardCharsets.UTF_8))
                .isEqualTo(COMMENTED.replace("enabled: false", "enabled: true"));

        String after = tip();
        Http.Response again = http.json("//toggle//weather".substring(1), "{\"enabled\": true}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("changed").asBoolean()).isFalse();
        assertThat(tip()).as("no empty commit").isEqualTo(after);

        // the reference's checkbox semantics: no 'enabled' field means off
        assertThat(http.form("/toggle/weather", Map.of())
                        .json()
                        .path("new_enabled_state")
                        .asBoolean())
                .isFalse();
        assertThat(http.form("/toggle/weather", Map.of("enabled", "maybe")).status())
                .isEqualTo(400);
        assertThat(http.form("/toggle/nosuch", Map.of("enabled", "on")).status())
                .isEqualTo(404);
        assertThat(http.form("/toggle/..%2F..%2Fetc", Map.of("enabled", "on")).status())
                .isIn(400, 404);
    }

    @Test
    void editChangesOnlyTheGivenFieldsAndCannotMoveAServer() throws Exception {
        http.login();
        Http.Response edited = http.json(
                "/edit/weather",
                "{\"description\": \"Forecasts: rain or shine.\", " + "\"tags\": \"weather, forecast\"}");
        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        String file = new String(file("servers/weather.yaml"), StandardCharsets.UTF_8);
        assertThat(file)
                .startsWith("# Owned by the platform team")
                .contains("description: \"Forecasts: rain or shine.\"", "tags: [weather, forecast]", "name: Weather");
        assertThat(head().getShortMessage()).isEqualTo("Edit /weather: description, tags");

        assertThat(http.json("/edit/weather", "{\"path\": \"/other\"}").status())
                .isEqualTo(400);
        assertThat(http.json("/edit/weather", "{}").status()).isEqualTo(400);
        Http.Response invalid = http.json("/edit/weather", "{\"transport\": \"carrier-pigeon\"}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("problems").get(0).asString()).contains("servers/weather.yaml", "transport");
    }

    @Test
    void changesReachLiveStatusClientsAtOnce() throws Exception {
        http.login();
        WsListener browser = new WsListener();
        java.net.http.WebSocket socket = WsListener.connect(runtime, browser);
        assertThat(browser.next().path("/weather").path("status").asString()).isEqualTo("disabled");
        http.form("/toggle/weather", Map.of("enabled", "on"));
        JsonNode enabled = browser.until(message -> message.has("/weather"));
        assertThat(enabled.path("/weather").path("status").asString()).isNotEqualTo("disabled");
        http.form("/register", registration("fininfo"));
        assertThat(browser.until(message -> message.has("/fininfo"))
                        .path("/fininfo")
                        .path("status")
                        .asString())
                .isEqualTo("disabled");
        http.form("/delete/fininfo", Map.of());
        assertThat(browser.until(message -> message.has("/fininfo"))
                        .get("/fininfo")
                        .isNull())
                .isTrue();
        socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void deleteRemovesTheFile() throws Exception {
        http.login();
        assertThat(http.form("/delete/weather", Map.of()).status()).isEqualTo(200);
        assertThat(fileExists("servers/weather.yaml")).isFalse();
        assertThat(head().getShortMessage()).isEqualTo("Delete /weather");
        assertThat(http.form("/delete/weather", Map.of()).status()).isEqualTo(404);
        assertThat(http.get("/api/server_details/weather").status()).isEqualTo(404);
    }

    @Test
    void cookieChangesFromAnotherSiteAreRefusedButScriptsAndOurPagesPass() throws Exception {
        http.login();
        String csrf = http.get("/api/session").json().path("csrf_token").asString();
        String before = tip();
        Http.Response forged = http.form("/toggle/weather", Map.of("enabled", "on"), "Origin", "https://evil.example");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.json().path("error").asString())
                .as("another site's page is refused at the door")
                .isEqualTo("forbidden_origin");
        Http.Response crossSite = http.form("/toggle/weather", Map.of("enabled", "on"), "Sec-Fetch-Site", "cross-site");
        assertThat(crossSite.json().path("error").asString()).isEqualTo("csrf");
        assertThat(http.form("/toggle/weather", Map.of("enabled", "on"), "Sec-Fetch-Site", "cross-site")
                        .status())
                .isEqualTo(403);
        assertThat(tip()).isEqualTo(before);

        assertThat(http.form(
                                "/toggle/weather",
                                Map.of("enabled", "on"),
                                "Sec-Fetch-Site",
                                "cross-site",
                                "X-CSRF-Token",
                                csrf)
                        .status())
                .isEqualTo(200);
        assertThat(http.form(
                                "/toggle/weather",
                                Map.of("enabled", "off"),
                                "Origin",
                                "http://127.0.0.1:" + runtime.port())
                        .status())
                .isEqualTo(200);
        assertThat(http.form("/toggle/weather", Map.of("enabled", "on")).status())
                .as("a script with a cookie jar, no Origin")
                .isEqualTo(200);
    }

    @Test
    void tokensReadForEveryoneChangeForAdminsAndStopWorkingWhenRevoked() throws Exception {
        ApiTokens.Created reader;
        ApiTokens.Created admin;
        try (GitStore store = GitStore.open(repo)) {
            ApiTokens tokens = new ApiTokens(store, "tokens", null, Clock.systemUTC());
            reader = tokens.create(
                    "dashboard", Set.of("viewers"), Duration.ofDays(1), "read-only", new PersonIdent("t", "t@t"));
            admin = tokens.create("ci-bot", Set.of("admins"), Duration.ofDays(1), null, new PersonIdent("t", "t@t"));
        }
        String readerAuth = "Bearer " + reader.token();
        awaitStatus(
                () -> http.get("/api/server_details/all", "Authorization", readerAuth)
                        .status(),
                200);
        Http.Response forbidden = http.form("/toggle/weather", Map.of("enabled", "on"), "Authorization", readerAuth);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().path("message").asString()).contains("dashboard may not toggle servers");

        Http.Response toggled =
                http.form("/toggle/weather", Map.of("enabled", "on"), "Authorization", "Bearer " + admin.token());
        assertThat(toggled.status()).as("bearer requests need no CSRF token").isEqualTo(200);
        assertThat(head().getAuthorIdent().getName()).isEqualTo("ci-bot");

        try (GitStore store = GitStore.open(repo)) {
            new ApiTokens(store, "tokens", null, Clock.systemUTC())
                    .revoke(reader.record().id(), new PersonIdent("t", "t@t"));
        }
        awaitStatus(
                () -> http.get("/api/server_details/all", "Authorization", readerAuth)
                        .status(),
                401);
        String tokensFile =
                new String(file("tokens", "tokens/" + reader.record().id() + ".json"), StandardCharsets.UTF_8);
        assertThat(tokensFile).doesNotContain(reader.token()).contains("sha256");
    }

    @Test
    void accessYamlDecidesWhoSeesWhichServerAndWhoMayChangeTheRegistry() throws Exception {
        ApiTokens.Created operator;
        ApiTokens.Created outsider;
        try (GitStore store = GitStore.open(repo)) {
            ApiTokens tokens = new ApiTokens(store, "tokens", null, Clock.systemUTC());
            operator =
                    tokens.create("olivia", Set.of("operators"), Duration.ofDays(1), null, new PersonIdent("t", "t@t"));
            outsider = tokens.create("oscar", Set.of("guests"), Duration.ofDays(1), null, new PersonIdent("t", "t@t"));
        }
        WsListener before = new WsListener();
        WsListener.connect(runtime, before, operator.token());
        assertThat(before.next().propertyNames())
                .as("no access.yaml: everyone sees everything")
                .containsExactlyInAnyOrder("/time", "/weather");
        try (Git git = Git.open(repo.toFile())) {
            Files.writeString(
                    repo.resolve("access.yaml"),
                    "groups:\n  operators:\n    servers:\n"
                            + "      weather: {tools: \"*\"}\n    registry: [toggle, refresh]\n");
            git.add().addFilepattern("access.yaml").call();
            git.commit()
                    .setMessage("Access rules")
                    .setAuthor("dev", "dev@example.com")
                    .setCommitter("dev", "dev@example.com")
                    .call();
        }
        String asOperator = "Bearer " + operator.token();
        String asOutsider = "Bearer " + outsider.token();
        awaitStatus(
                () -> http.get("/api/server_details/time", "Authorization", asOperator)
                        .status(),
                404);
        assertThat(http.get("/api/server_details/all", "Authorization", asOperator)
                        .json()
                        .propertyNames())
                .containsExactly("/weather");
        assertThat(http.get("/api/server_details/weather", "Authorization", asOperator)
                        .status())
                .isEqualTo(200);
        assertThat(http.get("/api/server_details/all", "Authorization", asOutsider)
                        .json()
                        .isEmpty())
                .isTrue();
        assertThat(http.get("/api/tools/all", "Authorization", asOutsider)
                        .json()
                        .path("tools")
                        .isEmpty())
                .isTrue();
        assertThat(before.closed.get(10, java.util.concurrent.TimeUnit.SECONDS))
                .as("new access rules: live status pages reconnect to get their new view")
                .isEqualTo(1012);
        WsListener operatorPage = new WsListener();
        WsListener.connect(runtime, operatorPage, operator.token());
        assertThat(operatorPage.next().propertyNames()).containsExactly("/weather");
        WsListener anonymousPage = new WsListener();
        WsListener.connect(runtime, anonymousPage);
        assertThat(anonymousPage.next().isEmpty())
                .as("anonymous callers see no server")
                .isTrue();

        assertThat(http.form("/toggle/weather", Map.of("enabled", "on"), "Authorization", asOperator)
                        .status())
                .isEqualTo(200);
        assertThat(head().getAuthorIdent().getName()).isEqualTo("olivia");
        assertThat(operatorPage.until(message -> message.has("/weather")).propertyNames())
                .containsExactly("/weather");
        assertThat(anonymousPage.messages)
                .as("changes to servers it may not see never reach it")
                .isEmpty();
        Http.Response register = http.form("/register", registration("news"), "Authorization", asOperator);
        assertThat(register.status()).isEqualTo(403);
        assertThat(register.json().path("message").asString())
                .contains("olivia may not register servers", "groups: operators");
        assertThat(http.form("/toggle/weather", Map.of(), "Authorization", asOutsider)
                        .status())
                .isEqualTo(403);

        http.login(); // the administrator sees and may do everything
        assertThat(http.get("/api/server_details/all").json().propertyNames()).containsExactly("/time", "/weather");
        assertThat(http.form("/register", registration("news")).status()).isEqualTo(201);
    }

    @Test
    void aChangeMadeInGitByOthersIsPickedUpWithoutARestart() throws Exception {
        http.login();
        assertThat(http.get("/api/server_details/merged").status()).isEqualTo(404);
        try (Git git = Git.open(repo.toFile())) {
            Files.writeString(
                    repo.resolve("servers/merged.yaml"), TestRegistry.entry("merged", "http://127.0.0.1:9", true));
            git.add().addFilepattern("servers/merged.yaml").call();
            git.commit()
                    .setMessage("Merge pull request #7")
                    .setAuthor("dev", "dev@example.com")
                    .setCommitter("dev", "dev@example.com")
                    .call();
        }
        awaitStatus(() -> http.get("/api/server_details/merged").status(), 200);
        assertThat(http.form("/toggle/merged", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void aLockedRepositoryIsAClearErrorAndLosesNothing() throws Exception {
        http.login();
        String before = tip();
        Path lock = repo.resolve(".git/refs/heads/main.lock");
        Files.writeString(lock, "held by another git process");
        Http.Response refused = http.form("/toggle/weather", Map.of("enabled", "on"));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().path("message").asString()).contains("locked", "nothing was changed");
        Files.delete(lock);
        assertThat(tip()).isEqualTo(before);
        assertThat(http.form("/toggle/weather", Map.of("enabled", "on")).status())
                .isEqualTo(200);
    }

    @Test
    void everyMutationLeavesAnAuditLineAndMetricsCountThem() throws Exception {
        http.login();
        String commit = http.form("/toggle/weather", Map.of("enabled", "on"))
                .json()
                .path("commit")
                .asString();
        assertThat(log.lines())
                .anyMatch(line -> line.startsWith("audit ")
                        && line.contains("user=admin")
                        && line.contains("action=enable")
                        && line.contains("server=/weather")
                        && line.contains("commit=" + commit));
        String metrics = http.get("/metrics").body();
        assertThat(metrics)
                .contains(
                        "mcpgw_registry_commits_total{operation=\"enable\"} 1.0",
                        "mcpgw_http_requests_total{method=\"POST\",route=\"/toggle/<path>\",status=\"200\"} 1.0",
                        "mcpgw_logins_total{outcome=\"succeeded\"} 1.0",
                        "mcpgw_websocket_clients 0.0");
        assertThat(metrics)
                .as("the JVM's and Jetty's own meters")
                .contains(
                        "jvm_memory_used_bytes{",
                        "jvm_threads_live_threads",
                        "jetty_threads_busy",
                        "jetty_connections_current");
        JsonNode health = http.get("/health").json();
        assertThat(health.path("status").asString()).isEqualTo("ok");
        assertThat(health.path("servers").asInt()).isEqualTo(2);
    }

    @Test
    void unknownRoutesAndServersAnswerJson() throws Exception {
        http.login();
        Http.Response missing = http.get("/api/nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").asString()).isEqualTo("not_found");
        assertThat(http.get("/api/tools/nosuch").status()).isEqualTo(404);
        assertThat(http.get("/api/tools/weather").status())
                .as("disabled, as the reference answers")
                .isEqualTo(400);
        Http.Response wrongType = http.method("POST", "/toggle/weather", "Content-Type", "text/plain");
        assertThat(wrongType.status()).isIn(200, 415);
    }

    private static Map<String, String> registration(String id) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", "Financial Info");
        form.put("description", "Stock prices and company facts.");
        form.put("path", "/" + id);
        form.put("proxy_pass_url", "http://127.0.0.1:9");
        form.put("tags", "finance, stocks");
        form.put("num_tools", "3");
        form.put("num_stars", "0");
        form.put("is_python", "true");
        form.put("license", "MIT");
        return form;
    }

    private interface Status {
        int get() throws Exception;
    }

    private static void awaitStatus(Status status, int expected) {
        Awaitility.await("answer " + expected)
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(status::get, answer -> answer == expected);
    }

    private String tip() throws Exception {
        try (Git git = Git.open(repo.toFile())) {
            return git.getRepository().resolve("refs/heads/main").name();
        }
    }

    private RevCommit head() throws Exception {
        try (Git git = Git.open(repo.toFile())) {
            return git.log()
                    .add(git.getRepository().resolve("refs/heads/main"))
                    .setMaxCount(1)
                    .call()
                    .iterator()
                    .next();
        }
    }

    private byte[] file(String path) throws Exception {
        return file("main", path);
    }

    private byte[] file(String branch, String path) throws Exception {
        try (GitStore store = GitStore.open(repo)) {
            return store.files(store.tip(branch).orElseThrow(), path).get(path);
        }
    }

    private boolean fileExists(String path) throws Exception {
        try (GitStore store = GitStore.open(repo)) {
            return store.files(store.tip("main").orElseThrow(), path).containsKey(path);
        }
    }
}
