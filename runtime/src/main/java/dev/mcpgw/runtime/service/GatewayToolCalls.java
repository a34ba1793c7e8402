package dev.mcpgw.runtime.service;

import dev.mcpgw.core.model.GatewayUrls;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.probe.client.McpSession;
import dev.mcpgw.probe.client.McpSessions;
import dev.mcpgw.probe.client.ProbeFailure;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Calls a tool of a registered server through the gateway, as an MCP client of its endpoint there
 * ({@code <gateway>/<id>/mcp} or {@code /sse}): a session of the newest era both speak, one {@code tools/call},
 * the session ended. Whatever the gateway does for a client that came itself - its access check, session binding,
 * logging, the upstream's own answer - it does for this call. Bounded: the whole exchange within
 * {@link Settings#timeout()} (then aborted), the answer within {@link Settings#maxResultBytes()}.
 */
public final class GatewayToolCalls implements AutoCloseable {

    /**
     * @param gatewayUrl     where the runtime reaches the gateway (by default its public URL)
     * @param timeout        the longest a whole call may take, connection to answer
     * @param maxResultBytes the largest answer passed back
     */
    public record Settings(String gatewayUrl, Duration timeout, int maxResultBytes) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
        public static final int DEFAULT_MAX_RESULT_BYTES = 4 * 1024 * 1024;
    }

    private final Settings settings;
    private final McpSessions sessions;
    private final ScheduledThreadPoolExecutor deadlines;

    public GatewayToolCalls(Settings settings) {
        this.settings = settings;
        // A call speaks the newest era the server shares; which older ones it also serves is the probe's to record.
        this.sessions = new McpSessions(settings.timeout(), settings.maxResultBytes(), false);
        this.deadlines = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "mcpgw-call-deadline");
            thread.setDaemon(true);
            return thread;
        });
        deadlines.setRemoveOnCancelPolicy(true);
    }

    public Settings settings() {
        return settings;
    }

    /** Where a call to {@code entry} goes. */
    public String endpoint(ServerEntry entry) {
        return GatewayUrls.endpoint(entry, settings.gatewayUrl());
    }

    /**
     * Calls {@code tool} of {@code entry} with {@code arguments}, every request carrying {@code authorization}
     * (null: none): the result object as the server sent it.
     */
    public JsonNode call(ServerEntry entry, String tool, JsonNode arguments, String authorization) throws ProbeFailure {
        URI endpoint = URI.create(endpoint(entry));
        try (McpSession session = entry.transport() == Transport.SSE
                ? sessions.sse(endpoint, authorization)
                : sessions.streamableHttp(endpoint, authorization)) {
            ScheduledFuture<?> deadline =
                    deadlines.schedule(session::abort, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            try {
                session.initialize();
                return session.callTool(tool, arguments);
            } finally {
                deadline.cancel(false);
            }
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
    }
}
