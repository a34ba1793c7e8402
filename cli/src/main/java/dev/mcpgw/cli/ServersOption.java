package dev.mcpgw.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --servers DIR}, shared by every command that reads the registry's entries. */
final class ServersOption {

    @Option(
            names = "--servers",
            paramLabel = "DIR",
            defaultValue = "servers",
            description = "Directory of server entries (default: ${DEFAULT-VALUE}).")
    Path servers;

    /** How messages name the directory. */
    String shownAs() {
        return servers.toString().replace('\\', '/');
    }

    /** The directory, or a usage error (exit 2) saying what is wrong with it. */
    Path requireDirectory(CommandSpec spec) {
        if (!Files.exists(servers)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--servers: directory '" + shownAs()
                            + "' does not exist; run from the registry's root or pass --servers DIR");
        }
        if (!Files.isDirectory(servers)) {
            throw new ParameterException(
                    spec.commandLine(), "--servers: '" + shownAs() + "' is a file, not a directory of server entries");
        }
        return servers;
    }
}
