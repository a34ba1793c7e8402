package dev.mcpgw.runtime.http;

import java.nio.ByteBuffer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runtime's outermost handler: what a request body may cost before any code of ours reads it.
 *
 * <ul>
 *   <li>A body announced larger than its route accepts ({@link WebGuard#limitFor}) is refused (413, JSON) before
 *       a byte of it is read.
 *   <li>Bodies are then read without a thread ({@link EagerContentHandler}, up to the largest any route takes):
 *       a client that trickles one holds no thread of the runtime's, however many do it at once.
 *   <li>A body must arrive within {@link #deadline} or the connection is closed; the deadline ends when
 *       {@link WebGuard} sees the request (its body is read by then).
 * </ul>
 */
public final class BodyGate extends Handler.Wrapper {

    /** The request attribute holding the pending deadline, cancelled by {@link WebGuard}. */
    static final String DEADLINE = "mcpgw.body-deadline";

    private static final JsonMapper JSON = JsonMapper.shared();

    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            dev.mcpgw.core.concurrent.DaemonThreads.named("mcpgw-body-deadlines"));

    public BodyGate(Handler next) {
        super(new EagerContentHandler(
                next, new EagerContentHandler.RetainedContentLoaderFactory(WebGuard.MCP_BODY_LIMIT, 4096, true)));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        long limit = WebGuard.limitFor(Request.getPathInContext(request));
        if (length > limit) {
            byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode()
                    .put("error", "body_too_large")
                    .put(
                            "message",
                            "the request body is " + length + " bytes; at most " + limit + " are accepted here"));
            response.setStatus(413);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
        boolean hasBody = length > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (!hasBody) {
            return super.handle(request, response, callback);
        }
        ScheduledFuture<?> deadline = deadlines.schedule(
                () -> {
                    try {
                        request.getConnectionMetaData()
                                .getConnection()
                                .getEndPoint()
                                .close();
                    } catch (RuntimeException gone) {
                        // The request ended meanwhile.
                    }
                },
                deadline(limit),
                TimeUnit.MILLISECONDS);
        request.setAttribute(DEADLINE, deadline);
        return super.handle(request, response, Callback.from(callback, () -> deadline.cancel(false)));
    }

    /** How long a body may take to arrive: 10 s, and a second more for every 64 KiB its route allows. */
    static long deadline(long limit) {
        return 10_000 + limit / (64 * 1024) * 1000;
    }

    @Override
    protected void doStop() throws Exception {
        deadlines.shutdownNow();
        super.doStop();
    }
}
