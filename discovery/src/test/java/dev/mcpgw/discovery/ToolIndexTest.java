package dev.mcpgw.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mcpgw.core.model.FieldException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ToolIndexTest {

    private static Embedder model;

    @BeforeAll
    static void loadModel() {
        model = Embedder.quantizedMiniLm();
    }

    @AfterAll
    static void forget() {
        model = null;
    }

    private static ToolDocument tool(String server, String name, String description, String... tags) {
        return new ToolDocument(
                server,
                server + " server",
                "Tools of " + server + ".",
                List.of(tags),
                name,
                description,
                JsonMapper.shared()
                        .readTree("{\"type\":\"object\",\"properties\":{\"symbol\":{\"type\":\"string\","
                                + "\"description\":\"Ticker symbol\"}}}"));
    }

    private static final Map<String, List<ToolDocument>> CATALOGUE = Map.of(
            "fininfo",
                    List.of(
                            tool(
                                    "fininfo",
                                    "getStockQuote",
                                    "Latest trading price of a listed company's shares.",
                                    "finance"),
                            tool(
                                    "fininfo",
                                    "company_profile",
                                    "Sector, headquarters and executives of a company.",
                                    "finance")),
            "weather",
                    List.of(tool("weather", "forecast", "Weather forecast for a city for the next days.", "weather")),
            "chat", List.of(tool("chat", "post-message", "Send a message to a team channel.", "chat")));

    @Test
    void findsToolsByNeedInBothModes() {
        for (ToolIndex index :
                List.of(new ToolIndex(model, Tuning.DEFAULT, null), new ToolIndex(null, Tuning.DEFAULT, null))) {
            try (index) {
                index.updateAll(CATALOGUE);
                assertThat(index.size()).isEqualTo(4);
                List<SearchHit> hits = index.search(SearchQuery.of("stock quote", 3));
                assertThat(hits.get(0).tool().key()).as(index.status()).isEqualTo("fininfo/getStockQuote");
                assertThat(hits).extracting(SearchHit::score).isSortedAccordingTo(java.util.Comparator.reverseOrder());
            }
        }
    }

    @Test
    void toolsACallerMayNotSeeLeaveNoTraceInItsScores() {
        // Scores are relative (to the best candidate, to how far apart the candidates lie): a hidden tool that
        // matched better would lower every visible tool's score, and so tell a restricted caller it exists.
        java.util.function.Predicate<ToolDocument> notTheQuote =
                tool -> !tool.toolName().equals("getStockQuote");
        Map<String, List<ToolDocument>> without = new java.util.HashMap<>(CATALOGUE);
        without.put("fininfo", List.of(CATALOGUE.get("fininfo").get(1)));
        for (Embedder embedder : java.util.Arrays.asList(model, null)) {
            try (ToolIndex all = new ToolIndex(embedder, Tuning.DEFAULT, null);
                    ToolIndex hidden = new ToolIndex(embedder, Tuning.DEFAULT, null)) {
                all.updateAll(CATALOGUE);
                hidden.updateAll(without);
                SearchQuery query = SearchQuery.of("company stock price", 5);
                List<SearchHit> restricted = all.search(query, notTheQuote);
                assertThat(restricted).extracting(hit -> hit.tool().key()).doesNotContain("fininfo/getStockQuote");
                assertThat(restricted)
                        .as(all.status())
                        .extracting(hit -> hit.tool().key() + " " + Math.round(hit.score() * 1e6))
                        .containsExactlyElementsOf(hidden.search(query).stream()
                                .map(hit -> hit.tool().key() + " " + Math.round(hit.score() * 1e6))
                                .toList());
            }
        }
    }

    @Test
    void theModelUnderstandsWhatWordsAloneMiss() {
        try (ToolIndex index = new ToolIndex(model, Tuning.DEFAULT, null)) {
            index.updateAll(CATALOGUE);
            assertThat(index.status()).startsWith("hybrid");
            assertThat(index.search(SearchQuery.of("will it rain in Paris tomorrow?", 1))
                            .get(0)
                            .tool()
                            .key())
                    .isEqualTo("weather/forecast");
            assertThat(index.search(SearchQuery.of("how much does one share of Apple cost", 1))
                            .get(0)
                            .tool()
                            .key())
                    .isEqualTo("fininfo/getStockQuote");
        }
    }

    @Test
    void filtersByServerAndTagAndUpdatesPerServer() {
        try (ToolIndex index = new ToolIndex(model, Tuning.DEFAULT, null)) {
            index.updateAll(CATALOGUE);
            assertThat(index.search(new SearchQuery("send a message", 5, Set.of("weather"), Set.of())))
                    .allMatch(hit -> hit.tool().serverId().equals("weather"));
            assertThat(index.search(new SearchQuery("company", 5, Set.of(), Set.of("chat"))))
                    .allMatch(hit -> hit.tool().serverId().equals("chat"));
            assertThat(index.search(new SearchQuery("company", 5, Set.of("nosuch"), Set.of())))
                    .isEmpty();

            index.update("weather", List.of());
            assertThat(index.size()).isEqualTo(3);
            assertThat(index.search(SearchQuery.of("weather forecast", 5)))
                    .noneMatch(hit -> hit.tool().serverId().equals("weather"));
            index.update(
                    "chat",
                    List.of(
                            tool("chat", "post-message", "Send a message to a team channel.", "chat"),
                            tool("chat", "list_channels", "List the channels of the workspace.", "chat")));
            assertThat(index.search(SearchQuery.of("which channels exist", 1))
                            .get(0)
                            .tool()
                            .key())
                    .isEqualTo("chat/list_channels");
        }
    }

    @Test
    void withoutAModelItSaysItSearchesByWordsOnly() {
        try (ToolIndex index = new ToolIndex(null, Tuning.DEFAULT, "the model did not load")) {
            assertThat(index.status()).isEqualTo("lexical only: the model did not load");
            index.updateAll(CATALOGUE);
            assertThat(index.search(SearchQuery.of("forecast", 1)).get(0).semantic())
                    .isZero();
        }
    }

    @Test
    void badQueriesAreRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> SearchQuery.of("  ", 5))
                .isInstanceOfSatisfying(
                        FieldException.class,
                        e -> assertThat(e.field() + ": " + e.getMessage()).startsWith("query: empty"));
        assertThatThrownBy(() -> SearchQuery.of("x".repeat(10_000), 5)).hasMessageContaining("at most 1000");
        for (int topK : new int[] {0, -1, 1_000_000}) {
            assertThatThrownBy(() -> SearchQuery.of("stock", topK))
                    .isInstanceOfSatisfying(
                            FieldException.class,
                            e -> assertThat(e.field() + ": " + e.getMessage()).startsWith("top_k: " + topK));
        }
    }

    @Test
    void toolNamesReadAsWords() {
        assertThat(ToolDocument.words("getStockQuote")).isEqualTo("get stock quote");
        assertThat(ToolDocument.words("ghIssueCreate")).isEqualTo("gh issue create");
        assertThat(ToolDocument.words("list_objs")).isEqualTo("list objs");
        assertThat(ToolDocument.words("HTTPServerStatus")).isEqualTo("http server status");
        assertThat(ToolDocument.words("dns.lookup-record")).isEqualTo("dns lookup record");
    }
}
