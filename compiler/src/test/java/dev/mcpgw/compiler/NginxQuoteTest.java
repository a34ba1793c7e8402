package dev.mcpgw.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mcpgw.core.model.ServerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NginxQuoteTest {

    @Test
    void quotesAndEscapesBackslashesAndQuotes() {
        assertThat(NginxQuote.quote("/time/")).isEqualTo("\"/time/\"");
        assertThat(NginxQuote.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(NginxQuote.quote("a;b{c}#d'e")).isEqualTo("\"a;b{c}#d'e\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\u0000b", "$host", "a${x}", "\u2028", "caf\u00e9", "a\tb", "\u007f"})
    void refusesWhatQuotingCannotMakeSafe(String value) {
        assertThatThrownBy(() -> NginxQuote.quote(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("refusing to write a value with");
    }

    @Test
    void turnsIdsIntoVariableNames() {
        assertThat(NginxQuote.identifier(new ServerId("my-server-2"))).isEqualTo("my_server_2");
    }
}
