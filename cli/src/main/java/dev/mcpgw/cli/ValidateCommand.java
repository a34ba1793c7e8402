package dev.mcpgw.cli;

import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcpgw validate}: the gate every pull request passes. */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header = "Check server entries against the schema and the registry's rules.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every entry is valid", "1:problems were found (each printed)",
            "2:usage error (unknown option, missing directory)"},
        description = {
            "Checks every server entry (*.yaml, *.yml) under the servers directory: YAML syntax, the JSON Schema "
                    + "(schema/mcp-server.schema.json) and the rules that span files (file name equals id, unique "
                    + "paths, reserved paths).",
            "Reports every problem as FILE:LINE:COL: FIELD: MESSAGE and exits 1; prints a one-line summary and "
                    + "exits 0 when all entries are valid."})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--servers", paramLabel = "DIR", defaultValue = "servers",
            description = "Directory of server entries (default: ${DEFAULT-VALUE}).")
    private Path servers;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). "
                    + "github prints workflow annotations for pull requests; json a machine-readable report.")
    private ReportFormat format;

    @Override
    public Integer call() throws IOException {
        String shownAs = servers.toString().replace('\\', '/');
        ValidationReport report;
        try {
            report = RegistryValidator.create().validateDirectory(servers, shownAs);
        } catch (NoSuchFileException e) {
            throw new ParameterException(spec.commandLine(),
                    "--servers: directory '" + shownAs + "' does not exist; run from the registry's root or pass "
                            + "--servers DIR");
        } catch (NotDirectoryException e) {
            throw new ParameterException(spec.commandLine(),
                    "--servers: '" + shownAs + "' is a file, not a directory of server entries");
        }
        format.write(report, spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return report.valid() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
