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
    public record Result(
            ValidationReport report,
            List<Problem> problems,
            String config,
            GatewaySettings settings,
            Map<String, String> failed) {

        public Result {
            failed = java.util.Collections.unmodifiableMap(new TreeMap<>(failed));
        }

        public boolean ok() {
            return problems.isEmpty();
        }

        /** The entries the config routes to: the valid ones, less the failed. */
        public List<ServerEntry> deployed() {
            return report.entries().stream()
                    .filter(entry -> !failed.containsKey(entry.id().value()))
                    .toList();
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

    /**
     * Resolves the host names of an enabled entry's upstream (and replicas) now, recording the addresses in
     * {@code pins}; why the entry cannot be deployed, if one of them resolves to an address {@code egress} refuses
     * or does not resolve at all. The gateway then connects to these addresses only, so a name that changes
     * afterwards (DNS rebinding) cannot send it anywhere the check did not see.
     */
    private static java.util.Optional<String> pin(
            ServerEntry entry, EgressPolicy egress, Map<String, List<String>> pins) {
        List<HostPort> hosts = new java.util.ArrayList<>(entry.replicas());
        hosts.add(new HostPort(entry.proxyPassUrl().host(), entry.proxyPassUrl().port()));
        for (HostPort host : hosts) {
            if (GatewaySettings.isIpLiteral(host.host()) || pins.containsKey(host.host())) {
                continue; // a literal: validation judged it
            }
            try {
                List<String> addresses = new java.util.ArrayList<>();
                for (java.net.InetAddress address : java.net.InetAddress.getAllByName(host.host())) {
                    java.util.Optional<String> refused = replica(entry, host)
                            ? egress.refusal(address, host.port())
                            : egress.refusal(address, entry.proxyPassUrl());
                    if (refused.isPresent()) {
                        return java.util.Optional.of(host.host() + " resolves to " + refused.get());
                    }
                    String literal = address.getHostAddress().replaceFirst("%.*$", "");
                    addresses.add(address instanceof java.net.Inet6Address ? "[" + literal + "]" : literal);
                }
                pins.put(host.host(), List.copyOf(new java.util.TreeSet<>(addresses)));
            } catch (java.net.UnknownHostException unresolved) {
                return java.util.Optional.of(host.host() + " does not resolve now (the gateway connects only to"
                        + " addresses checked when it deploys; the entry goes live at the first deployment after"
                        + " it resolves)");
            }
        }
        return java.util.Optional.empty();
    }

    private static boolean replica(ServerEntry entry, HostPort host) {
        return !(host.host().equals(entry.proxyPassUrl().host())
                && host.port() == entry.proxyPassUrl().port());
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
     * As {@link #deployable(ValidationReport, GatewaySettings, UpstreamCredentials.Secrets)}; when {@code egress}
     * is enforced, also resolving the host names of enabled upstreams now and pinning the gateway to those
     * addresses: one that resolves to an address {@code egress} refuses, or not at all, answers 503 too.
     */
    public Result deployable(
            ValidationReport report,
            GatewaySettings settings,
            UpstreamCredentials.Secrets secrets,
            EgressPolicy egress) {
        Map<String, String> failed = new TreeMap<>();
        for (FileResult file : report.files()) {
            if (file.entry() == null) {
                String reason = file.problems().isEmpty()
                        ? "its file " + file.file() + " is invalid"
                        : file.problems().get(0).toString();
                failed.put(SourceFile.idFromName(file.file()), reason);
            }
        }
        for (Problem problem : report.problems()) { // rules across files: an id claimed twice
            failed.putIfAbsent(SourceFile.idFromName(problem.file()), problem.toString());
        }
        Map<String, List<String>> pins = new TreeMap<>();
        for (ServerEntry entry : report.entries()) {
            if (entry.enabled() && egress.enforced()) {
                pin(entry, egress, pins)
                        .ifPresent(reason -> failed.put(entry.id().value(), reason));
            }
            if (!entry.enabled()
                    || entry.upstreamHeaders().isEmpty()
                    || failed.containsKey(entry.id().value())) {
                continue;
            }
            try {
                UpstreamCredentials.render(List.of(entry), settings.auth(), secrets);
            } catch (UpstreamCredentials.Unavailable unavailable) {
                failed.put(entry.id().value(), unavailable.reason());
            }
        }
        List<ServerEntry> live = report.entries().stream()
                .filter(entry -> !failed.containsKey(entry.id().value()))
                .toList();
        return new Result(report, List.of(), renderer.render(live, failed.keySet(), pins, settings), settings, failed);
    }
}
