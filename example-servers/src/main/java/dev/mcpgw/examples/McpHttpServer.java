package dev.mcpgw.examples;

import dev.mcpgw.mcphttp.JsonRpcErrorFilter;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An MCP server (MCP Java SDK) served over HTTP by Jetty, with either transport: Streamable HTTP at
 * {@code /mcp}, or legacy HTTP+SSE with the stream at {@code /sse} and messages at {@code /message}. The SSE
 * transport announces its message endpoint root-relative ({@code /message?sessionId=…}), as most SSE servers
 * do; the gateway keeps such servers working under a path prefix.
 */
public final class McpHttpServer implements AutoCloseable {

    /** SSE keep-alive comments, so idle streams survive proxies that cut silent connections. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(25);

    private final Server jetty;
    private final McpSyncServer mcp;

    private McpHttpServer(Server jetty, McpSyncServer mcp) {
        this.jetty = jetty;
        this.mcp = mcp;
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
        // Bound before the SDK learns the port: the host check needs the real one when port was 0.
        connector.open();
        int boundPort = connector.getLocalPort();
        // DNS rebinding: requests must name this server's own host, and browsers may call only from its origin
        // (the gateway in front sends its own Host for the upstream and no Origin).
        List<String> names = java.util.stream.Stream.of(host, "localhost", "127.0.0.1", "[::1]")
                .distinct()
                .map(name -> name + ":" + boundPort)
                .toList();
        DefaultServerTransportSecurityValidator hosts = DefaultServerTransportSecurityValidator.builder()
                .allowedHosts(names)
                .allowedOrigins(names.stream().map(name -> "http://" + name).toList())
                .build();
        HttpServlet servlet;
        McpSyncServer mcp;
        if (transport == Transport.STREAMABLE_HTTP) {
            HttpServletStreamableServerTransportProvider provider =
                    HttpServletStreamableServerTransportProvider.builder()
                            .jsonMapper(McpJsonDefaults.getMapper())
                            .mcpEndpoint("/mcp")
                            .keepAliveInterval(KEEP_ALIVE)
                            .securityValidator(hosts)
                            .build();
            mcp = serve(McpServer.sync(provider), definition);
            servlet = provider;
        } else {
            HttpServletSseServerTransportProvider provider = HttpServletSseServerTransportProvider.builder()
                    .jsonMapper(McpJsonDefaults.getMapper())
                    .sseEndpoint("/sse")
                    .messageEndpoint("/message")
                    .keepAliveInterval(KEEP_ALIVE)
                    .securityValidator(hosts)
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
        jetty.setHandler(context);
        jetty.start();
        return new McpHttpServer(jetty, mcp);
    }

    public enum Transport {
        STREAMABLE_HTTP,
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

    /** The MCP server itself, to change its tools while it runs. */
    public McpSyncServer mcp() {
        return mcp;
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
