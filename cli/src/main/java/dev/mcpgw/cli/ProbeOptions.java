package dev.mcpgw.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the registry's branches are and how long a probe may take: shared by {@code probe} and {@code serve}. */
final class ProbeOptions {

    @Option(names = "--branch", paramLabel = "NAME", defaultValue = "main",
            description = "Config branch holding servers/ (default: ${DEFAULT-VALUE}).")
    String branch;

    @Option(names = "--status-branch", paramLabel = "NAME", defaultValue = "status",
            description = "Branch the observations are committed to (default: ${DEFAULT-VALUE}).")
    String statusBranch;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Longest a probe of one server may take (default: ${DEFAULT-VALUE}).")
    Duration timeout;
}
