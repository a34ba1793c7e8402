package dev.mcpgw.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kind of action a need asks for, or a tool's name does, from its first verb. */
class ActionTest {

    @ParameterizedTest
    @CsvSource({
        "open a ticket about the failing build, CREATE",
        "create issue, CREATE",
        "schedule a call with Dana, CREATE",
        "list issues, READ",
        "what is the weather in Oslo, READ",
        "get_stock_quote, READ",
        "rename the channel, UPDATE",
        "close the incident, UPDATE",
        "delete_file, DELETE",
        "cancel my booking, DELETE",
        "post a message to #deploys, SEND",
        "notify the on-call engineer, SEND",
        "deploy the release, RUN",
        "convert 10 miles to km, RUN",
    })
    void theFirstVerbNamesTheAction(String words, Action action) {
        assertThat(Action.of(words)).contains(action);
    }

    @Test
    void theFirstWordThatNamesAnActionDecidesAndCaseAndPunctuationDoNotMatter() {
        assertThat(Action.of("the quarterly report: please SEND it to finance")).contains(Action.SEND);
        assertThat(Action.of("Create-Issue")).contains(Action.CREATE);
        // "open" names creating (open a ticket) before "list" names reading
        assertThat(Action.of("open and list")).contains(Action.CREATE);
    }

    @Test
    void wordsWithoutAVerbNameNoAction() {
        assertThat(Action.of("stock price AAPL")).isEmpty();
        assertThat(Action.of("")).isEmpty();
        assertThat(Action.of("42 + 7")).isEmpty();
    }
}
