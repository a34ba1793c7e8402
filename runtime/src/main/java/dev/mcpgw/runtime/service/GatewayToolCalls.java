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
 * {@link Settings#timeout()} (then aborted), the answer within {@link Settings#maxResultBytes()}, and at most
 * {@link Settings#maxCalls()} calls at once, {@link Settings#maxCallsPerCaller()} of them one caller's: each call
 * holds a request thread of the runtime while it waits (and its answer in memory), so without a bound a few
 * callers with slow tools would hold every thread - the gateway's access checks, which the runtime answers, among
 * them - and stall the gateway for everyone.
 */
public final class GatewayToolCalls implements AutoCloseable {

    /**
     * @param gatewayUrl     where the runtime reaches the gateway (by default its public URL)
     * @param timeout        the longest a whole call may take, connection to answer
     * @param maxResultBytes the largest answer passed back
     * @param maxCalls       calls in progress at once, all callers together
     * @param maxCallsPerCaller calls in progress at once for one caller
     */
    public record Settings(
            String gatewayUrl, Duration timeout, int maxResultBytes, int maxCalls, int maxCallsPerCaller) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
        public static final int DEFAULT_MAX_RESULT_BYTES = 4 * 1024 * 1024;
        public static final int DEFAULT_MAX_CALLS = 12;
        public static final int DEFAULT_MAX_CALLS_PER_CALLER = 4;

        /** The defaults: 60 s, 4 MiB, 12 calls at once, 4 per caller. */
        public static Settings defaults(String gatewayUrl) {
            return new Settings(
                    gatewayUrl,
                    DEFAULT_TIMEOUT,
                    DEFAULT_MAX_RESULT_BYTES,
                    DEFAULT_MAX_CALLS,
                    DEFAULT_MAX_CALLS_PER_CALLER);
        }
    }

    private final InProgress inProgress;
    private final Settings settings;
    private final McpSessions sessions;
    private final ScheduledThreadPoolExecutor deadlines;

    public GatewayToolCalls(Settings settings) {
        this.settings = settings;
        this.inProgress = new InProgress("tool calls", settings.maxCalls(), settings.maxCallsPerCaller());
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

    /**
     * A place for one more call of {@code caller}'s (its user name, or its address when anonymous), or a refusal
     * saying how many are already in progress: nothing waits for a place, so a full runtime answers at once.
     */
    InProgress.Permit permit(String caller) {
        return inProgress.enter(caller);
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
