package dev.mcpgw.probe.client;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What the probe (and mcpgw's {@code call_tool}) needs of an MCP server, whatever its transport: start a session,
 * list tools page by page, call one, end it. Ours, so the probe depends on neither an SDK's API nor its error messages. Every failure is a
 * {@link ProbeFailure}; {@link #abort()} may be called from another thread to stop a request in flight.
 */
public interface McpSession extends AutoCloseable {

    /**
     * What the server told when the session began ({@code server/discover} in the 2026 era, {@code initialize}
     * before): the protocol version spoken, every version it said it supports, and its name and version.
     */
    record Initialized(
            String protocolVersion, List<String> protocolVersions, String serverName, String serverVersion) {}

    /** One page of {@code tools/list}: the tools as sent (JSON objects) and the cursor of the next page, or null. */
    record ToolsPage(List<JsonNode> tools, String nextCursor) {}

    Initialized initialize() throws ProbeFailure;

    ToolsPage listTools(String cursor) throws ProbeFailure;

    /**
     * {@code tools/call} of tool {@code name} with {@code arguments} (a JSON object): the result as the server sent
     * it (its content of every type, {@code structuredContent}, {@code isError}); a JSON-RPC error is a failure.
     */
    JsonNode callTool(String name, JsonNode arguments) throws ProbeFailure;

    /** Aborts whatever is in flight, from any thread (the probe's deadline): sends nothing. Never throws. */
    void abort();

    /** Ends the session (politely where the transport allows) and aborts anything in flight. Never throws. */
    @Override
    void close();
}
