package dev.mcpgw.cli;

import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.ValidationReport;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Mixin
    private ServersOption servers;

    @Mixin
    private FormatOption format;

    @Override
    public Integer call() throws IOException {
        ValidationReport report = RegistryValidator.create()
                .validateDirectory(servers.requireDirectory(spec), servers.shownAs());
        format.print(spec, report.problems(), report.summary(), report.files().size());
        return report.valid() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
