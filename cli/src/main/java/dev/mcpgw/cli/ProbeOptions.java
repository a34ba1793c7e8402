package dev.mcpgw.cli;

import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the registry's branches are and how long a probe may take: shared by {@code probe} and {@code serve}. */
final class ProbeOptions {

    @Mixin
    BranchOptions branches;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Longest a probe of one server may take (default: ${DEFAULT-VALUE}).")
    Duration timeout;
}
