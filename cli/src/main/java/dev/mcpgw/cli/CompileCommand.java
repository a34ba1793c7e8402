package dev.mcpgw.cli;

import dev.mcpgw.compiler.GatewayCompiler;
import dev.mcpgw.compiler.UpstreamCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcpgw compile}: the registry's entries as one complete nginx.conf. */
@Command(
        name = "compile",
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header = "Render the gateway's nginx.conf from the server entries.",
        description = {
            "Validates every entry (exactly as mcpgw validate does) and, only when all are valid, renders one "
                    + "complete nginx configuration. It runs unprivileged as: nginx -p PREFIX -c FILE (every log, "
                    + "pid and temp path is relative to PREFIX). The output is byte-identical for the same input."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the config was written",
            "1:entries are invalid (each problem printed, nothing written)",
            "2:usage error"
        })
final class CompileCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private CompileInputs inputs;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write nginx.conf (default: standard output).")
    private Path out;

    @Override
    public Integer call() throws IOException {
        GatewayCompiler.Result result = inputs.compile(inputs.secrets(false));
        if (result == null) {
            return ExitCodes.CHECK_FAILED;
        }
        if (out == null) {
            spec.commandLine().getOut().print(result.config());
            spec.commandLine().getOut().flush();
        } else {
            writeAtomically(out, result.config());
            spec.commandLine()
                    .getErr()
                    .println("wrote " + out + ": " + result.report().summary());
            // Paths in the config are relative to the prefix: with these, nginx -t -p DIR -c DIR/nginx.conf
            // (and nginx -p DIR) work on the output as it is.
            Path prefix = out.toAbsolutePath().getParent();
            Files.createDirectories(prefix.resolve("temp"));
            Files.createDirectories(prefix.resolve("logs"));
            String placeholder = result.placeholderCredentials();
            if (placeholder != null) {
                Path credentials = out.toAbsolutePath().resolveSibling(UpstreamCredentials.FILE);
                if (UpstreamCredentials.replaceable(credentials)) {
                    writeAtomically(credentials, placeholder);
                    spec.commandLine()
                            .getErr()
                            .println("wrote " + credentials + " with empty values, so nginx -t "
                                    + "can test the config; mcpgw deploy writes the real upstream credentials");
                } else {
                    spec.commandLine().getErr().println("kept " + credentials + ": it holds deployed credentials");
                }
            }
        }
        return ExitCodes.OK;
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temporary = Files.createTempFile(absolute.getParent(), ".mcpgw-", ".tmp");
        try {
            Files.writeString(temporary, content);
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
