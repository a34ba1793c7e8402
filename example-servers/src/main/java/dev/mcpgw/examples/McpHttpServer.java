package dev.mcpgw.examples;

import dev.mcpgw.mcphttp.HostOriginFilter;
import dev.mcpgw.mcphttp.JsonRpcErrorFilter;
import dev.mcpgw.mcphttp.SdkTools;
import dev.mcpgw.mcphttp.StatelessMcpFilter;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An MCP server (MCP Java SDK) served over HTTP by Jetty, with either transport: Streamable HTTP at
 * {@code /mcp} - for clients of both protocol eras, 2026-07-28 answered by {@link StatelessMcpFilter} from the
 * same tools - or legacy HTTP+SSE (2025-era only) with the stream at {@code /sse} and messages at {@code /message}. The SSE
 * transport announces its message endpoint root-relative ({@code /message?sessionId=…}), as most SSE servers
 * do; the gateway keeps such servers working under a path prefix.
 */
public final class McpHttpServer implements AutoCloseable {

    /** SSE keep-alive comments, so idle streams survive proxies that cut silent connections. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(25);

    private final Server jetty;
    private final McpSyncServer mcp;
    /** The tools as served now, by name: the SDK's and the 2026 filter's, the same specifications. */
    private final Map<String, SyncToolSpecification> tools;

    private McpHttpServer(Server jetty, McpSyncServer mcp, Map<String, SyncToolSpecification> tools) {
        this.jetty = jetty;
        this.mcp = mcp;
        this.tools = tools;
    }

    /** What to serve: the server's identity and its tools. */
    public record Definition(McpSchema.Implementation info, String instructions, List<SyncToolSpecification> tools) {}

    public static McpHttpServer start(Definition definition, Transport transport, String host, int port)
            throws Exception {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        // Bound first: the host check needs the real port when port was 0.
        connector.open();
        int boundPort = connector.getLocalPort();
        // DNS rebinding: requests must name this server's own host, and browsers may call only from its origin
        // (the gateway in front sends its own Host for the upstream and no Origin).
        List<String> names = java.util.stream.Stream.of(host, "localhost", "127.0.0.1", "[::1]")
                .distinct()
                .map(name -> name + ":" + boundPort)
                .toList();
        HttpServlet servlet;
        McpSyncServer mcp;
        Map<String, SyncToolSpecification> tools =
                java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
        definition.tools().forEach(tool -> tools.put(tool.tool().name(), tool));
        if (transport != Transport.SSE) {
            HttpServletStreamableServerTransportProvider provider =
                    HttpServletStreamableServerTransportProvider.builder()
                            .jsonMapper(McpJsonDefaults.getMapper())
                            .mcpEndpoint("/mcp")
                            .keepAliveInterval(KEEP_ALIVE)
                            .build();
            mcp = serve(McpServer.sync(provider), definition);
            servlet = provider;
        } else {
            HttpServletSseServerTransportProvider provider = HttpServletSseServerTransportProvider.builder()
                    .jsonMapper(McpJsonDefaults.getMapper())
                    .sseEndpoint("/sse")
                    .messageEndpoint("/message")
                    .keepAliveInterval(KEEP_ALIVE)
                    .build();
            mcp = serve(McpServer.sync(provider), definition);
            servlet = provider;
        }
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true); // without it the SDK answers 500 with a stack trace
        context.addServlet(holder, "/*");
        // A client's mistake gets a JSON-RPC error, never the SDK's serialized exception.
        FilterHolder errors = new FilterHolder(new JsonRpcErrorFilter());
        errors.setAsyncSupported(true);
        context.addFilter(errors, "/*", EnumSet.of(DispatcherType.REQUEST));
        // DNS rebinding, one check for every request of both eras (2026 ones are answered before the SDK).
        FilterHolder rebinding = new FilterHolder(new HostOriginFilter(
                java.util.Set.copyOf(names),
                java.util.Set.copyOf(
                        names.stream().map(name -> "http://" + name).toList())));
        rebinding.setAsyncSupported(true);
        context.addFilter(rebinding, "/*", EnumSet.of(DispatcherType.REQUEST));
        if (transport == Transport.STREAMABLE_HTTP) {
            // Clients of MCP 2026-07-28 (stateless) are answered in front of the SDK, from the same tools.
            FilterHolder stateless = new FilterHolder(new StatelessMcpFilter(new SdkTools(
                    definition.info(),
                    () -> {
                        synchronized (tools) {
                            return List.copyOf(tools.values());
                        }
                    },
                    request -> McpTransportContext.EMPTY)));
            stateless.setAsyncSupported(true);
            context.addFilter(stateless, "/mcp", EnumSet.of(DispatcherType.REQUEST));
        }
        jetty.setHandler(context);
        jetty.start();
        return new McpHttpServer(jetty, mcp, tools);
    }

    public enum Transport {
        /** Streamable HTTP for clients of both eras (2026-07-28 and 2025-11-25 and earlier). */
        STREAMABLE_HTTP,
        /** Streamable HTTP for the 2025 era only, as a server on an SDK without 2026 support. */
        STREAMABLE_HTTP_2025,
        /** The legacy HTTP+SSE transport (2025 era). */
        SSE
    }

    private static McpSyncServer serve(McpServer.SyncSpecification<?> spec, Definition definition) {
        return spec.serverInfo(definition.info())
                .instructions(definition.instructions())
                .capabilities(
                        McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(definition.tools())
                .build();
    }

    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** The MCP server itself. */
    public McpSyncServer mcp() {
        return mcp;
    }

    /** Adds a tool while the server runs, for clients of both eras. */
    public void addTool(SyncToolSpecification tool) {
        tools.put(tool.tool().name(), tool);
        mcp.addTool(tool);
    }

    /** Removes a tool while the server runs, for clients of both eras. */
    public void removeTool(String name) {
        tools.remove(name);
        mcp.removeTool(name);
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        mcp.closeGracefully();
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the MCP server on port " + port(), e);
        }
    }
}
