package dev.mcpgw.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one line on standard error and an exit code. A stack trace is printed only when
 * MCPGW_DEBUG is set: users should never need one to understand what went wrong.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        String what = cause instanceof IOException ? "cannot read or write a file: " : "unexpected error: ";
        command.getErr().println(command.getCommandName() + ": " + what + cause);
        if (System.getenv("MCPGW_DEBUG") != null) {
            cause.printStackTrace(command.getErr());
        } else {
            command.getErr().println("(set MCPGW_DEBUG=1 for details)");
        }
        return ExitCodes.CHECK_FAILED;
    }
}
