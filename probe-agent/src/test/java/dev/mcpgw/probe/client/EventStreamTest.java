package dev.mcpgw.probe.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Server-sent events as a server may send them, and the size limit counted in the bytes it sent. */
class EventStreamTest {

    private static EventStream stream(String text, int limit) {
        return new EventStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), limit);
    }

    @Test
    void eventsAreReadWithTheirTypesAcrossLineEndingsAndKeepAlives() throws Exception {
        EventStream events =
                stream(": ping\n\nevent: endpoint\r\ndata: /messages?s=1\r\n\r\ndata: a\rdata: b\r\n\n", 1024);
        assertThat(events.next()).isEqualTo(new EventStream.Event("endpoint", "/messages?s=1"));
        assertThat(events.next()).isEqualTo(new EventStream.Event("message", "a\nb"));
        assertThat(events.next()).isNull();
    }

    @Test
    void theLimitCountsBytesNotCharacters() throws Exception {
        // 2,100 characters of two bytes each: 4,200 bytes, past a 4 KiB limit only when counted as bytes
        String wide = "data: " + "\u00e9".repeat(2100) + "\n\n";
        assertThatThrownBy(() -> stream(wide, 4096).next())
                .isInstanceOfSatisfying(
                        ProbeFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(ProbeFailure.Kind.TOO_LARGE));
        String narrow = "data: " + "e".repeat(2100) + "\n\n";
        assertThat(stream(narrow, 4096).next().data()).hasSize(2100);
        // a character outside the BMP is four bytes: 1,100 of them pass 4 KiB
        String astral = "data: " + "\uD83D\uDE00".repeat(1100) + "\n\n";
        assertThatThrownBy(() -> stream(astral, 4096).next()).isInstanceOf(ProbeFailure.class);
    }

    @Test
    void anEndlessLineIsRefusedBeforeItIsHeldWhole() {
        assertThatThrownBy(() -> stream("data: " + "x".repeat(100_000), 1024).next())
                .isInstanceOfSatisfying(
                        ProbeFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(ProbeFailure.Kind.TOO_LARGE));
    }
}
