package dev.mcpgw.cli;

import dev.mcpgw.core.access.AccessValidator;
import dev.mcpgw.core.validation.Problem;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.core.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcpgw validate}: the gate every pull request passes. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header = "Check server entries against the schema and the registry's rules.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every entry is valid",
            "1:problems were found (each printed)",
            "2:usage error (unknown option, missing directory)"
        },
        description = {
            "Checks every server entry (*.yaml, *.yml) under the servers directory: YAML syntax, the JSON Schema "
                    + "(schema/mcp-server.schema.json) and the rules that span files (file name equals id, unique "
                    + "paths, reserved paths).",
            "With access.yaml beside the servers directory (or --access FILE) it checks the access rules too: "
                    + "schema/access.schema.json, and that every server they grant is registered.",
            "Reports every problem as FILE:LINE:COL: FIELD: MESSAGE and exits 1; prints a one-line summary and "
                    + "exits 0 when all entries are valid."
        })
final class ValidateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServersOption servers;

    @Mixin
    private FormatOption format;

    @Mixin
    private SecretOptions secrets;

    @Mixin
    private EgressOptions egress;

    @Option(
            names = "--access",
            paramLabel = "FILE",
            description =
                    "Access rules to check too (default: access.yaml beside the servers directory, when present).")
    private Path access;

    @Override
    public Integer call() throws IOException {
        Path directory = servers.requireDirectory(spec);
        ValidationReport report = RegistryValidator.create(secrets.policy(spec, false), egress.policy(spec))
                .validateDirectory(directory, servers.shownAs());
        Path rules =
                access != null ? access : directory.toAbsolutePath().normalize().resolveSibling(AccessValidator.FILE);
        if (access != null && !Files.isRegularFile(access)) {
            throw new ParameterException(spec.commandLine(), "--access: '" + access + "' is not a file");
        }
        if (!Files.isRegularFile(rules)) {
            format.print(
                    spec, report.problems(), report.summary(), report.files().size());
            return report.valid() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }
        Set<String> registered = new TreeSet<>();
        report.files().forEach(file -> registered.add(SourceFile.idFromName(file.file())));
        String shown = access != null ? access.toString() : AccessValidator.FILE;
        AccessValidator.Result checked =
                new AccessValidator().validate(new SourceFile(shown, Files.readAllBytes(rules)), registered);
        List<Problem> problems = new ArrayList<>(report.problems());
        problems.addAll(checked.problems());
        String summary = problems.isEmpty()
                ? report.summary() + "; " + shown + " valid ("
                        + checked.policy().groups().size() + " groups)"
                : problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in "
                        + problems.stream().map(Problem::file).distinct().count() + " of "
                        + (report.files().size() + 1)
                        + " files";
        format.print(spec, problems, summary, report.files().size() + 1);
        return problems.isEmpty() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
