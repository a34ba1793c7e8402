package dev.mcpgw.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mcpgw} command: one subcommand per job. */
@Command(
        name = "mcpgw",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "MCP Gateway & Registry: validate server entries, build the gateway and registry, run them.",
        subcommands = {
            ValidateCommand.class,
            CompileCommand.class,
            DeployCommand.class,
            SiteCommand.class,
            ProbeCommand.class,
            ServeCommand.class,
            TokenCommand.class,
            SearchCommand.class,
            ExampleCommand.class,
            UpCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:a check failed (an invalid entry, a failing nginx -t)",
            "2:usage error (unknown option, missing directory)"
        })
public final class Mcpgw {

    public static void main(String[] args) {
        // The JVM never exits under a thread inside the embedding model's native code (a SIGBUS otherwise):
        // SIGTERM / SIGINT and the exit below wait for it first.
        dev.mcpgw.discovery.Embedder.exitOnSignals();
        int status = commandLine().execute(args);
        dev.mcpgw.discovery.Embedder.quiesce(java.time.Duration.ofSeconds(30));
        // System.exit, not return: libraries used by some subcommands leave non-daemon threads behind.
        System.exit(status);
    }

    /** The configured command line, shared by main and the tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Mcpgw())
                .setExecutionExceptionHandler(new ErrorHandler())
                .setParameterExceptionHandler(Mcpgw::usageError)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** A usage mistake: what is wrong and where help is, not the whole usage text. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        command.getErr().println(command.getCommandName() + ": " + e.getMessage());
        command.getErr().println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
        command.getErr().flush();
        return ExitCodes.USAGE;
    }
}
