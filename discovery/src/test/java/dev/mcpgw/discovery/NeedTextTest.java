package dev.mcpgw.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The need in a request, its framing dropped; a request that is all framing keeps its words. */
class NeedTextTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Do I have tools to get stock information?|get stock information",
                "do we have a tool that can send an SMS|send an SMS",
                "Is there a way to convert PDF to text?|convert PDF to text",
                "are there any tools for booking flights|booking flights",
                "Please, can you find the weather in Paris please?|the weather in Paris",
                "I need a tool to open a Jira ticket.|open a Jira ticket",
                "we'd like to schedule a meeting|schedule a meeting",
                "How do I restart the payments deployment|restart the payments deployment",
                "help me translate this to German|translate this to German",
                "find me a tool to summarise a video|summarise a video",
                "which tool can I use to query Postgres?|query Postgres",
                "what tools for reading Excel files|reading Excel files",
                "hey ok so do I have anything to list my repositories|list my repositories",
                // already a bare need: left as written, but its closing punctuation
                "stock price AAPL|stock price AAPL",
                "weather tomorrow?|weather tomorrow",
            })
    void theFramingOfARequestIsDroppedAndTheNeedKept(String request, String need) {
        assertThat(NeedText.of(request)).isEqualTo(need);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"do I have tools?|do i have tools?", "Is there anything?|is there anything?", "  please  |please"})
    void aRequestThatIsAllFramingKeepsItsWords(String request, String need) {
        assertThat(NeedText.of(request)).isEqualTo(need);
    }
}
