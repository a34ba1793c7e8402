package dev.mcpgw.compiler;

import dev.mcpgw.core.model.EgressPolicy;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.validation.FileResult;
import dev.mcpgw.core.validation.Problem;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.core.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Validates the registry and, only when it is valid, renders the gateway's nginx.conf. */
public final class GatewayCompiler {

    private final RegistryValidator validator;
    private final NginxConfigRenderer renderer = new NginxConfigRenderer();

    public GatewayCompiler(RegistryValidator validator) {
        this.validator = validator;
    }

    /**
     * @param config the rendered nginx.conf, or null when {@code problems} is not empty
     * @param failed servers that answer 503 instead of being deployed, by id, with the reason (a deployment's
     *               compilation only; empty otherwise)
     */
    public record Result(ValidationReport report, List<Problem> problems, String config, GatewaySettings settings,
                         Map<String, String> failed) {

        public Result {
            failed = java.util.Collections.unmodifiableMap(new TreeMap<>(failed));
        }

        public boolean ok() {
            return problems.isEmpty();
        }

        /** The entries the config routes to: the valid ones, less the failed. */
        public List<ServerEntry> deployed() {
            return report.entries().stream().filter(entry -> !failed.containsKey(entry.id().value())).toList();
        }

        /** Whether nginx.conf includes {@link UpstreamCredentials#FILE}. */
        public boolean needsCredentials() {
            return !UpstreamCredentials.headerNames(deployed()).isEmpty();
        }

        /** credentials.conf with the values read from {@code secrets}, or null when no entry sets a header. */
        public String credentials(UpstreamCredentials.Secrets secrets) throws UpstreamCredentials.Unavailable {
            return needsCredentials() ? UpstreamCredentials.render(deployed(), settings.auth(), secrets) : null;
        }

        /** The stand-in credentials.conf written beside a compiled nginx.conf, or null when none is needed. */
        public String placeholderCredentials() {
            return needsCredentials() ? UpstreamCredentials.placeholder(deployed(), settings.auth()) : null;
        }
    }

    public Result compile(Path servers, String shownAs, GatewaySettings settings) throws IOException {
        return compile(validator.validateDirectory(servers, shownAs), settings);
    }

    /** Compiles the registry made of {@code sources}, for example the files of a branch. */
    public Result compile(List<SourceFile> sources, GatewaySettings settings) {
        return compile(validator.validate(sources), settings);
    }

    /** Why an enabled entry's upstream (or a replica) resolves to an address {@code egress} refuses, if it does. */
    private static java.util.Optional<String> refusedAddress(ServerEntry entry, EgressPolicy egress) {
        if (!egress.enforced()) {
            return java.util.Optional.empty();
        }
        List<HostPort> hosts = new java.util.ArrayList<>(entry.replicas());
        hosts.add(new HostPort(entry.proxyPassUrl().host(), entry.proxyPassUrl().port()));
        for (HostPort host : hosts) {
            if (host.host().startsWith("[") || host.host().matches("[0-9.]+")) {
                continue; // a literal: validation judged it
            }
            try {
                for (java.net.InetAddress address : java.net.InetAddress.getAllByName(host.host())) {
                    java.util.Optional<String> refused = egress.refusal(address, host.port());
                    if (refused.isPresent()) {
                        return java.util.Optional.of(host.host() + " resolves to " + refused.get());
                    }
                }
            } catch (java.net.UnknownHostException unresolved) {
                // not resolvable now: nginx answers 502 until it is, which the probe reports
            }
        }
        return java.util.Optional.empty();
    }

    /** Compiles an already validated registry (for example a {@code RegistryRevision}'s report). */
    public Result compile(ValidationReport report, GatewaySettings settings) {
        if (!report.problems().isEmpty()) {
            return new Result(report, report.problems(), null, settings, Map.of());
        }
        return new Result(report, List.of(), renderer.render(report.entries(), settings), settings, Map.of());
    }

    /**
     * What a deployment puts live: every valid entry whose upstream secrets {@code secrets} can read. An invalid
     * entry, or one whose secret is missing or refused, answers 503 and is named in {@link Result#failed()} with
     * the reason - it never keeps the others (an emergency disable among them) from going live.
     */
    public Result deployable(ValidationReport report, GatewaySettings settings, UpstreamCredentials.Secrets secrets) {
        return deployable(report, settings, secrets, EgressPolicy.UNCHECKED);
    }

    /**
     * As {@link #deployable(ValidationReport, GatewaySettings, UpstreamCredentials.Secrets)}, also resolving the
     * host names of enabled upstreams now: one whose addresses {@code egress} refuses answers 503 too. (nginx
     * resolves names again per request; a name that changes after this check is not caught here.)
     */
    public Result deployable(ValidationReport report, GatewaySettings settings, UpstreamCredentials.Secrets secrets,
                             EgressPolicy egress) {
        Map<String, String> failed = new TreeMap<>();
        for (FileResult file : report.files()) {
            if (file.entry() == null) {
                String reason = file.problems().isEmpty() ? "its file " + file.file() + " is invalid"
                        : file.problems().get(0).toString();
                failed.put(SourceFile.idFromName(file.file()), reason);
            }
        }
        for (Problem problem : report.problems()) { // rules across files: an id claimed twice
            failed.putIfAbsent(SourceFile.idFromName(problem.file()), problem.toString());
        }
        for (ServerEntry entry : report.entries()) {
            if (entry.enabled()) {
                refusedAddress(entry, egress).ifPresent(reason -> failed.put(entry.id().value(), reason));
            }
            if (!entry.enabled() || entry.upstreamHeaders().isEmpty() || failed.containsKey(entry.id().value())) {
                continue;
            }
            try {
                UpstreamCredentials.render(List.of(entry), settings.auth(), secrets);
            } catch (UpstreamCredentials.Unavailable unavailable) {
                failed.put(entry.id().value(), unavailable.reason());
            }
        }
        List<ServerEntry> live = report.entries().stream().filter(entry -> !failed.containsKey(entry.id().value()))
                .toList();
        return new Result(report, List.of(), renderer.render(live, failed.keySet(), settings), settings, failed);
    }
}
