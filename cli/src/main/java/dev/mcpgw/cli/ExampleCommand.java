package dev.mcpgw.cli;

import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.examples.CurrentTime;
import dev.mcpgw.examples.FinInfo;
import dev.mcpgw.examples.McpHttpServer;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mcpgw example NAME}: run one of the example MCP servers until stopped. */
@Command(
        name = "example",
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header = "Run an example MCP server (currenttime or fininfo).",
        description = {
            "currenttime: the current time in an IANA time zone, over Streamable HTTP at /mcp (default port 8001).",
            "fininfo: stock quotes over legacy HTTP+SSE at /sse (default port 8002); set POLYGON_API_KEY for real "
                    + "data, without it every call returns a tool error that says so."
        })
final class ExampleCommand implements Callable<Integer> {

    enum Example {
        currenttime,
        fininfo
    }

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "${COMPLETION-CANDIDATES}")
    private Example example;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            description = "Where to listen (default: 127.0.0.1:8001 " + "for currenttime, 127.0.0.1:8002 for fininfo).")
    private String listen;

    @Override
    public Integer call() throws Exception {
        HostPort at;
        try {
            at = HostPort.parse(
                    listen != null ? listen : example == Example.currenttime ? "127.0.0.1:8001" : "127.0.0.1:8002");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
        }
        McpHttpServer server = example == Example.currenttime
                ? McpHttpServer.start(
                        CurrentTime.definition(Clock.systemUTC(), null),
                        McpHttpServer.Transport.STREAMABLE_HTTP,
                        at.host(),
                        at.port())
                : McpHttpServer.start(
                        FinInfo.definition(System.getenv(FinInfo.API_KEY_VARIABLE)),
                        McpHttpServer.Transport.SSE,
                        at.host(),
                        at.port());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "example-server-stop"));
        spec.commandLine()
                .getOut()
                .println(example + " MCP server listening on http://" + at.host() + ":" + server.port()
                        + (example == Example.currenttime ? "/mcp" : "/sse") + " (Ctrl-C to stop)");
        spec.commandLine().getOut().flush();
        server.join();
        return ExitCodes.OK;
    }
}
