package dev.mcpgw.core.logging;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import dev.mcpgw.core.text.UnsafeCharacters;

/** {@code %oneLineEx}: a record's exception, stack trace included, on the record's own line (escaped). */
public final class OneLineThrowable extends ThrowableHandlingConverter {

    @Override
    public String convert(ILoggingEvent event) {
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown == null) {
            return "";
        }
        return " | "
                + UnsafeCharacters.oneLine(ThrowableProxyUtil.asString(thrown).strip());
    }
}
