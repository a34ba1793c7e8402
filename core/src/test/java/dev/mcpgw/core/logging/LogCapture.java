package dev.mcpgw.core.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.mcpgw.core.text.UnsafeCharacters;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * The log records written while a test runs, each as {@code <logger> <message>} the way {@code logback.xml}
 * writes it (the logger's last name, the message and any exception escaped to one line), for example
 * {@code audit at=... user=admin ...}. As a field, {@code @RegisterExtension final LogCapture log = new
 * LogCapture();} records during each test; {@link #open()} records until closed.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent>
        implements AutoCloseable, BeforeEachCallback, AfterEachCallback {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    /** Records from now until {@link #close()}. */
    public static LogCapture open() {
        LogCapture capture = new LogCapture();
        capture.attach();
        return capture;
    }

    private void attach() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        setContext(context);
        setName("capture-" + System.identityHashCode(this));
        start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        String logger = event.getLoggerName();
        String thrown = event.getThrowableProxy() == null
                ? ""
                : " | " + UnsafeCharacters.oneLine(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        lines.add(logger.substring(logger.lastIndexOf('.') + 1) + " "
                + UnsafeCharacters.oneLine(event.getFormattedMessage()) + thrown);
    }

    /** The lines so far, oldest first. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        if (getContext() != null) {
            ((LoggerContext) getContext())
                    .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                    .detachAppender(this);
        }
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        lines.clear();
        attach();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }
}
