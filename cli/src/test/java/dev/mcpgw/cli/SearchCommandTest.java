package dev.mcpgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.StatusJson;
import dev.mcpgw.core.status.ToolInfo;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class SearchCommandTest {

    @TempDir
    Path work;

    private Path repo;

    @BeforeEach
    void registry() throws Exception {
        repo = work.resolve("registry");
        Files.createDirectories(repo.resolve("servers"));
        Map<String, List<String[]>> servers = Map.of(
                "fininfo",
                        List.of(
                                new String[] {"get_quote", "Latest trading price of a company's shares by ticker."},
                                new String[] {"company_news", "Recent news articles about a company."}),
                "weather",
                        List.<String[]>of(
                                new String[] {"forecast", "Weather forecast for a city for the coming days."}),
                "offline", List.<String[]>of(new String[] {"get_quote_old", "Share prices, from a disabled server."}));
        for (String id : servers.keySet()) {
            Files.writeString(
                    repo.resolve("servers/" + id + ".yaml"),
                    "name: " + id + "\npath: /" + id
                            + "\nproxy_pass_url: http://127.0.0.1:9\ntransport: streamable-http\ndescription: The " + id
                            + " tools.\nenabled: " + !id.equals("offline") + "\ntags: ["
                            + (id.equals("weather") ? "weather" : "finance") + "]\n");
        }
        try (Git git =
                Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern("servers").call();
            git.commit()
                    .setMessage("servers")
                    .setAuthor("t", "t@t")
                    .setCommitter("t", "t@t")
                    .call();
        }
        try (GitStore store = GitStore.open(repo)) {
            Map<String, byte[]> statuses = new HashMap<>();
            servers.forEach((id, tools) -> {
                List<ToolInfo> infos = tools.stream()
                        .map(tool -> new ToolInfo(
                                tool[0], tool[1], JsonMapper.shared().readTree("{\"type\":\"object\"}")))
                        .toList();
                statuses.put(
                        StatusJson.path(id),
                        StatusJson.write(ServerStatus.builder(id, Health.HEALTHY, Instant.now())
                                .latencyMs(5L)
                                .serverInfo(id, "1")
                                .protocolVersion("2025-11-25")
                                .observedRevision("x")
                                .tools(infos, false)
                                .build()));
            });
            store.commit("status", snapshot -> new GitStore.Change(statuses, "probe"), new PersonIdent("p", "p@p"));
        }
    }

    @Test
    void answersANeedWithTheRightToolFirst() {
        CommandRun run =
                CommandRun.of("search", "--repo", repo.toString(), "how much is a share of ACME worth right now?");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().skip(1).findFirst().orElse("")).contains("fininfo/get_quote");
        assertThat(run.out()).doesNotContain("offline/").as("disabled servers are not offered");

        CommandRun json =
                CommandRun.of("search", "--repo", repo.toString(), "--json", "--top", "1", "--tag", "weather", "rain");
        assertThat(json.out())
                .startsWith("[{\"server\":\"weather\",\"tool\":\"forecast\"")
                .contains("\"input_schema\"");
    }

    @Test
    void readsOneQueryPerLineFromStandardInput() {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream("stock price\n\nweather tomorrow\n".getBytes(StandardCharsets.UTF_8)));
        try {
            CommandRun run = CommandRun.of("search", "--repo", repo.toString(), "--top", "1");
            assertThat(run.out())
                    .isEqualTo("stock price\n  "
                            + run.out()
                                    .lines()
                                    .skip(1)
                                    .findFirst()
                                    .orElseThrow()
                                    .strip() + "\nweather tomorrow\n"
                            + run.out().lines().skip(3).reduce("", (a, b) -> a + b + "\n"));
            assertThat(run.out().lines().filter(line -> line.startsWith("  ")).toList())
                    .hasSize(2)
                    .anyMatch(line -> line.contains("fininfo/get_quote"))
                    .anyMatch(line -> line.contains("weather/forecast"));
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void badQueriesAreUsageErrors() {
        CommandRun empty = CommandRun.of("search", "--repo", repo.toString(), " ");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("query: empty");
        CommandRun huge = CommandRun.of("search", "--repo", repo.toString(), "x".repeat(10_000));
        assertThat(huge.exitCode()).isEqualTo(2);
        assertThat(huge.err()).contains("at most 1000");
        for (String top : new String[] {"0", "-1", "1000000"}) {
            CommandRun bad = CommandRun.of("search", "--repo", repo.toString(), "--top", top, "stock");
            assertThat(bad.exitCode()).isEqualTo(2);
            assertThat(bad.err()).contains("--top: " + top + " is out of range");
        }
        CommandRun unknownServer = CommandRun.of("search", "--repo", repo.toString(), "--server", "nosuch", "stock");
        assertThat(unknownServer.exitCode()).isZero();
        assertThat(unknownServer.out()).contains("no matching tools");
    }
}
