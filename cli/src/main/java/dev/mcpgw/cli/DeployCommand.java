package dev.mcpgw.cli;

import dev.mcpgw.compiler.GatewayCompiler;
import dev.mcpgw.compiler.Nginx;
import dev.mcpgw.compiler.NginxDeployer;
import dev.mcpgw.compiler.UpstreamCredentials;
import dev.mcpgw.core.model.SecretPolicy;
import dev.mcpgw.core.validation.RegistryValidator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcpgw deploy}: compile, nginx -t, swap atomically, reload. */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header = "Compile the entries and put the result live in a running nginx.",
        description = {
            "Compiles like mcpgw compile, tests the result with nginx -t, swaps it into PREFIX/nginx.conf "
                    + "atomically (the old one is kept as nginx.conf.previous) and reloads the nginx running from "
                    + "PREFIX (or starts it with --start). When nginx -t fails, the previous config stays live and "
                    + "nginx's message is printed. The gateway options are kept in PREFIX/mcpgw-gateway.json, so "
                    + "mcpgw serve --apply redeploys with the same ones."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:deployed",
            "1:invalid entries, or nginx -t or the reload failed (nothing changed)",
            "2:usage error"
        })
final class DeployCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private CompileInputs inputs;

    @Option(
            names = "--prefix",
            paramLabel = "DIR",
            defaultValue = "gateway",
            description = "nginx prefix: holds nginx.conf, logs/ and temp/ (default: ${DEFAULT-VALUE}).")
    private Path prefix;

    @Option(
            names = "--nginx",
            paramLabel = "PATH",
            defaultValue = "/usr/sbin/nginx",
            description = "The nginx binary (default: ${DEFAULT-VALUE}).")
    private Path nginx;

    @Option(names = "--start", description = "Start nginx when none is running from PREFIX.")
    private boolean start;

    @Override
    public Integer call() throws Exception {
        SecretPolicy secrets = inputs.secrets(true);
        GatewayCompiler.Result checked = inputs.compile(secrets);
        if (checked == null) {
            return ExitCodes.CHECK_FAILED;
        }
        // A server whose secret is missing answers 503; it never keeps the others from going live.
        UpstreamCredentials.Secrets readable = UpstreamCredentials.fromEnvironment(System.getenv(), secrets);
        GatewayCompiler.Result result = new GatewayCompiler(RegistryValidator.create())
                .deployable(checked.report(), checked.settings(), readable, inputs.egress());
        NginxDeployer.Outcome outcome = new NginxDeployer(new Nginx(nginx, prefix)).deploy(result, readable, start);
        (outcome.ok() ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(outcome.message());
        result.failed()
                .forEach((id, reason) -> spec.commandLine()
                        .getErr()
                        .println("deploy: /" + id + " is not deployed (it answers 503): " + reason));
        return outcome.ok() && result.failed().isEmpty() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
