package dev.mcpgw.cli;

import dev.mcpgw.compiler.GatewayCompiler;
import dev.mcpgw.compiler.GatewaySettings;
import dev.mcpgw.core.model.EgressPolicy;
import dev.mcpgw.core.model.SecretPolicy;
import dev.mcpgw.core.validation.RegistryValidator;
import java.io.IOException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What {@code compile} and {@code deploy} read: the entries, the gateway options, how to print problems. */
final class CompileInputs {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Mixin
    private ServersOption servers;

    @Mixin
    private GatewayOptions gateway;

    @Mixin
    private FormatOption format;

    @Mixin
    private SecretOptions secrets;

    @Mixin
    private EgressOptions egress;

    GatewaySettings gatewaySettings() {
        return gateway.settings(spec);
    }

    /**
     * Which upstreams the deployment may reach (--allow-upstream), never the gateway's own listener: an entry
     * pointing there would send each request through the gateway again, and again, until nginx runs out of
     * connections.
     */
    EgressPolicy egress() {
        return egress.policy(
                spec, java.util.List.of(), java.util.List.of(gatewaySettings().listen()));
    }

    /** Where the deployment may read upstream secrets; {@code deployment}: none unless the options allow some. */
    SecretPolicy secrets(boolean deployment) {
        return secrets.policy(spec, deployment);
    }

    /**
     * The compiled config, or null after printing every problem (secret references checked against {@code policy},
     * upstreams against {@code --allow-upstream}).
     */
    GatewayCompiler.Result compile(SecretPolicy policy) throws IOException {
        var settings = gatewaySettings();
        GatewayCompiler.Result result = new GatewayCompiler(RegistryValidator.create(policy, egress()))
                .compile(servers.requireDirectory(spec), servers.shownAs(), settings);
        if (!result.ok()) {
            int count = result.problems().size();
            format.print(
                    spec,
                    result.problems(),
                    count + (count == 1 ? " problem" : " problems") + "; nothing was written",
                    result.report().files().size());
            return null;
        }
        return result;
    }
}
