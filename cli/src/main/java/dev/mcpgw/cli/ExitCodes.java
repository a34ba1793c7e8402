package dev.mcpgw.cli;

/** The documented exit codes of every subcommand (contract 4). */
final class ExitCodes {

    static final int OK = 0;
    static final int CHECK_FAILED = 1;
    static final int USAGE = 2;

    private ExitCodes() {}
}
