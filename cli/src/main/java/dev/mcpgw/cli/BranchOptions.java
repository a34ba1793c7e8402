package dev.mcpgw.cli;

import picocli.CommandLine.Option;

/** Which branches of the registry repository hold the entries and the observations. */
final class BranchOptions {

    @Option(
            names = "--branch",
            paramLabel = "NAME",
            defaultValue = "main",
            description = "Config branch holding servers/ (default: ${DEFAULT-VALUE}).")
    String branch;

    @Option(
            names = "--status-branch",
            paramLabel = "NAME",
            defaultValue = "status",
            description = "Branch the observations are committed to (default: ${DEFAULT-VALUE}).")
    String statusBranch;
}
