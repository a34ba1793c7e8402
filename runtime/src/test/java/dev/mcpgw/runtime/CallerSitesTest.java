package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.runtime.auth.ApiTokens;
import dev.mcpgw.site.SiteGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve --site under access.yaml: each caller's website lists only the servers it may see. */
class CallerSitesTest {

    @TempDir
    Path work;

    @Test
    void theWebsiteShowsEachCallerOnlyWhatAccessYamlLetsItSee() throws Exception {
        Path repo = TestRegistry.create(
                work.resolve("registry"),
                Map.of(
                        "servers/weather.yaml", TestRegistry.entry("weather", "http://127.0.0.1:9", true),
                        "servers/time.yaml", TestRegistry.entry("time", "http://127.0.0.1:9", true)));
        Path site = work.resolve("site");
        new SiteGenerator()
                .generate(
                        RegistryValidator.create()
                                .validateDirectory(repo.resolve("servers"), "servers")
                                .entries(),
                        Map.of(),
                        new SiteGenerator.Settings("http://127.0.0.1:8080", Instant.now()),
                        site);
        String operator;
        try (GitStore store = GitStore.open(repo)) {
            operator = "Bearer "
                    + new ApiTokens(store, "tokens", null, Clock.systemUTC())
                            .create(
                                    "olivia",
                                    Set.of("operators"),
                                    Duration.ofHours(1),
                                    null,
                                    new PersonIdent("t", "t@t"))
                            .token();
        }
        try (RegistryRuntime runtime =
                RegistryRuntime.start(TestRegistry.settings(repo).site(site))) {
            Http http = new Http(runtime);
            assertThat(http.get("/").body())
                    .as("no access.yaml: the site as mcpgw site made it")
                    .contains("servers/weather.html", "servers/time.html");

            try (Git git = Git.open(repo.toFile())) {
                Files.writeString(
                        repo.resolve("access.yaml"),
                        "groups:\n  operators:\n    servers:\n      weather: {tools: \"*\"}\n");
                git.add().addFilepattern("access.yaml").call();
                git.commit()
                        .setMessage("Access rules")
                        .setAuthor("dev", "dev@example.com")
                        .setCommitter("dev", "dev@example.com")
                        .call();
            }
            await("the anonymous site drops servers/weather.html once access.yaml is committed")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !http.get("/").body().contains("servers/weather.html"));
            Http.Response anonymous = http.get("/");
            assertThat(anonymous.status()).isEqualTo(200);
            assertThat(anonymous.body()).doesNotContain("servers/weather.html", "servers/time.html");
            assertThat(http.get("/servers/weather.html").status()).isEqualTo(404);

            Http.Response mine = http.get("/index.html", "Authorization", operator);
            assertThat(mine.body()).contains("servers/weather.html").doesNotContain("servers/time.html");
            assertThat(http.get("/servers/weather.html", "Authorization", operator)
                            .status())
                    .isEqualTo(200);
            assertThat(http.get("/servers/time.html", "Authorization", operator).status())
                    .isEqualTo(404);
            assertThat(http.get("/servers.json", "Authorization", operator).body())
                    .contains("weather")
                    .doesNotContain("\"time\"");
            assertThat(http.get("/search-index.json", "Authorization", operator).body())
                    .doesNotContain("time.html");
            assertThat(http.get("/assets/site.css").status()).isEqualTo(200);
            assertThat(http.get("/servers/weather.html", "Authorization", operator)
                            .headers()
                            .firstValue("X-Content-Type-Options"))
                    .as("never sniffed into something else")
                    .hasValue("nosniff");
            assertThat(http.get("/servers/..%2F..%2Fregistry%2Faccess.yaml", "Authorization", operator)
                            .status())
                    .isEqualTo(404);

            // The live feed and the cards it points at: nothing hidden leaks to a caller who may not see it.
            WsListener anonymousFeed = new WsListener();
            java.net.http.WebSocket anonymousSocket = WsListener.feed(runtime, anonymousFeed, null);
            assertThat(anonymousFeed.next().path("servers").size())
                    .as("anonymous: no server")
                    .isZero();
            WsListener operatorFeed = new WsListener();
            java.net.http.WebSocket operatorSocket =
                    WsListener.feed(runtime, operatorFeed, operator.substring("Bearer ".length()));
            assertThat(operatorFeed.next().path("servers").propertyNames()).containsExactly("weather");
            assertThat(http.get("/site/cards/time", "Authorization", operator).status())
                    .isEqualTo(404);
            assertThat(http.get("/site/cards/weather").status()).isEqualTo(404);
            assertThat(http.get("/site/cards/weather", "Authorization", operator)
                            .body())
                    .contains("data-id=\"weather\"");

            // A change to a hidden server reaches nobody who may not see it; one to a visible server, its viewers.
            try (Git git = Git.open(repo.toFile())) {
                for (String id : List.of("time", "weather")) {
                    Files.writeString(
                            repo.resolve("servers/" + id + ".yaml"),
                            Files.readString(repo.resolve("servers/" + id + ".yaml"))
                                    .replaceFirst("description: .*", "description: Changed " + id + "."));
                }
                git.add().addFilepattern("servers").call();
                git.commit()
                        .setMessage("Describe")
                        .setAuthor("dev", "dev@example.com")
                        .setCommitter("dev", "dev@example.com")
                        .call();
            }
            String card = await("the operator's weather card says \"Changed weather.\"")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> http.get("/site/cards/weather", "Authorization", operator)
                                    .body(),
                            body -> body.contains("Changed weather."));
            assertThat(card).contains("Changed weather.");
            assertThat(operatorFeed.next().path("servers").propertyNames())
                    .as("the operator's page hears of it")
                    .containsExactly("weather");
            for (String message = operatorFeed.messages.poll();
                    message != null;
                    message = operatorFeed.messages.poll()) {
                assertThat(message).doesNotContain("\"time\"");
            }
            assertThat(anonymousFeed.messages.poll(2, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the anonymous page hears of no change")
                    .isNull();
            anonymousSocket.abort();
            operatorSocket.abort();

            http.login(); // the administrator sees every server
            assertThat(http.get("/").body()).contains("servers/weather.html", "servers/time.html");
        }
    }
}
