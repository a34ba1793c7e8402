package dev.mcpgw.core.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.mcpgw.core.text.UnsafeCharacters;

/**
 * {@code %oneLine}: a record's message with line breaks, control, bidi and separator characters escaped, so
 * text from upstreams and registrants (tool names, server info, error text) can neither start a log line of
 * its own nor send a terminal escape sequence. Applies to every logger, ours and the libraries'.
 */
public final class OneLineMessage extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return UnsafeCharacters.oneLine(event.getFormattedMessage());
    }
}
