package dev.mcpgw.cli;

import dev.mcpgw.core.model.FieldException;
import dev.mcpgw.core.model.SecretPolicy;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --secret-env-prefix} and {@code --secrets-dir}: where the gateway may read the secrets entries name in
 * {@code upstream_headers}. The operator's choice, on the command line, never an entry's.
 */
final class SecretOptions {

    @Option(
            names = "--secret-env-prefix",
            paramLabel = "PREFIX",
            description = "Entries may read upstream secrets from environment variables whose names start with "
                    + "PREFIX (for example UPSTREAM_); repeatable. The runtime's own configuration (SECRET_KEY, "
                    + "ADMIN_*, MCPGW_*, OIDC_*) is never readable.")
    List<String> envPrefixes = List.of();

    @Option(
            names = "--secrets-dir",
            paramLabel = "DIR",
            description = "Entries may read upstream secrets from files inside DIR (for example /run/secrets); "
                    + "repeatable.")
    List<Path> directories = List.of();

    /**
     * The policy the options give; without any, {@code deployment} commands read no secret at all, and checks
     * that do not know the deployment refuse only the runtime's own configuration.
     */
    SecretPolicy policy(CommandSpec spec, boolean deployment) {
        if (envPrefixes.isEmpty() && directories.isEmpty()) {
            return deployment ? SecretPolicy.NONE : SecretPolicy.RESERVED_ONLY;
        }
        try {
            return SecretPolicy.allowing(
                    envPrefixes, directories.stream().map(Path::toAbsolutePath).toList());
        } catch (FieldException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    (e.field().equals("envPrefixes") ? "--secret-env-prefix" : "--secrets-dir") + ": "
                            + e.getMessage());
        }
    }
}
