package dev.mcpgw.cli;

import dev.mcpgw.core.validation.Problem;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --format}: how every command that validates entries prints the problems it found. */
final class FormatOption {

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "How problems are printed: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). github "
                    + "prints workflow annotations for pull requests; json a machine-readable report.")
    ReportFormat format;

    /** Prints the problems (or, when there are none, just the summary) on the command's standard output. */
    void print(CommandSpec spec, List<Problem> problems, String summary, int files) {
        PrintWriter out = spec.commandLine().getOut();
        format.write(problems, summary, files, out);
        out.flush();
    }
}
