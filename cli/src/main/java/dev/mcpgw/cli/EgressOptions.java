package dev.mcpgw.cli;

import dev.mcpgw.core.model.EgressPolicy;
import dev.mcpgw.core.model.FieldException;
import dev.mcpgw.core.model.HostPort;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --allow-upstream}: what the operator allows upstreams to be beyond ordinary and private addresses. */
final class EgressOptions {

    @Option(
            names = "--allow-upstream",
            paramLabel = "NET_OR_HOST",
            description = "Allow upstreams in this network or at this host although they are refused by default "
                    + "(loopback, link-local, cloud metadata, localhost), for example 127.0.0.1/32 for servers on "
                    + "this machine; repeatable, or several separated by commas (an empty value allows nothing). "
                    + "Private networks are always allowed; IPv4 in unusual forms (2130706433, 0x7f.1, "
                    + "[::ffff:...]) never.")
    List<String> allowances = List.of();

    /** The policy: the default refusals, less what the options allow (and {@code extra}), never {@code own}. */
    EgressPolicy policy(CommandSpec spec, List<String> extra, List<HostPort> own) {
        List<String> all = new ArrayList<>(extra);
        for (String value : allowances) {
            for (String allowance : value.split("[,\\s]+")) {
                if (!allowance.isEmpty()) {
                    all.add(allowance);
                }
            }
        }
        try {
            return EgressPolicy.strict(all, own);
        } catch (FieldException e) {
            throw new ParameterException(spec.commandLine(), "--allow-upstream: " + e.getMessage());
        }
    }

    EgressPolicy policy(CommandSpec spec) {
        return policy(spec, List.of(), List.of());
    }
}
