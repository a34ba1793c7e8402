package dev.mcpgw.compiler;

import static dev.mcpgw.compiler.NginxQuote.quote;

import dev.mcpgw.core.model.SecretPolicy;
import dev.mcpgw.core.model.SecretReference;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.UpstreamHeader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The credentials entries ask the gateway to add upstream ({@code upstream_headers}). nginx.conf only names them:
 * for each header one {@code proxy_set_header <Name> $mcpgw_credential_<name>}, and an
 * {@code include credentials.conf}. The values live in that second file, which {@code mcpgw deploy} writes
 * (mode 0600, beside nginx.conf, never in Git) from the environment variables and files the entries name; a
 * server that sets no such header passes the client's own header on, as nginx would.
 */
public final class UpstreamCredentials {

    public static final String FILE = "credentials.conf";

    /** First line of the stand-in {@code mcpgw compile} writes so that {@code nginx -t} can test its output. */
    static final String PLACEHOLDER_MARK = "# mcpgw compile: placeholder";

    /** Reads one secret; {@code null} when it is not there. */
    @FunctionalInterface
    public interface Secrets {
        String read(SecretReference reference) throws IOException;
    }

    /** A secret that cannot be used: missing, unreadable or not a valid header value. Names no value. */
    public static final class Unavailable extends Exception {
        private final String reason;

        /** @param reason which entry, header and variable or file, and what is wrong with it */
        public Unavailable(String reason) {
            super(reason + ". Nothing was deployed", null, false, false);
            this.reason = reason;
        }

        /** What is wrong, without what it means for a deployment that reads every secret. */
        public String reason() {
            return reason;
        }
    }

    /** A secret reference the operator's policy does not allow. */
    private static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private UpstreamCredentials() {}

    /** The header names some enabled entry sets, lower-cased, in order. */
    static List<String> headerNames(List<ServerEntry> servers) {
        return servers.stream()
                .filter(ServerEntry::enabled)
                .flatMap(server -> server.upstreamHeaders().stream())
                .map(header -> header.name().toLowerCase(Locale.ROOT))
                .distinct()
                .sorted()
                .toList();
    }

    /** The variable nginx.conf uses for {@code header} (lower-case). */
    static String variable(String header) {
        return "$mcpgw_credential_" + header.replace('-', '_');
    }

    /**
     * credentials.conf for {@code servers}: one map per header name, from the server id to its value.
     *
     * @param auth whether the gateway checks access; then a server without its own Authorization header passes
     *             none of the caller's token on
     */
    public static String render(List<ServerEntry> servers, boolean auth, Secrets secrets) throws Unavailable {
        return render(servers, auth, (server, header) -> header.prefix() + read(server, header, secrets));
    }

    private interface Values {
        String of(ServerEntry server, UpstreamHeader header) throws Unavailable;
    }

    private static String render(List<ServerEntry> servers, boolean auth, Values values) throws Unavailable {
        Map<String, List<String>> rows = new TreeMap<>();
        for (ServerEntry server : servers.stream()
                .filter(ServerEntry::enabled)
                .sorted(Comparator.comparing(ServerEntry::id))
                .toList()) {
            for (UpstreamHeader header : server.upstreamHeaders()) {
                String value = values.of(server, header);
                rows.computeIfAbsent(header.name().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                        .add(quote(server.id().value()) + " " + NginxQuote.secret(value));
            }
        }
        ConfigWriter w = new ConfigWriter(1024);
        w.comment("Upstream credentials, written by mcpgw deploy from the environment and secret files the entries")
                .comment("name. Secret: keep this file 0600 and out of Git.")
                .open("geo $mcpgw_dollar")
                .line("default \"$\"")
                .close();
        rows.forEach((header, lines) -> {
            w.open("map $mcpgw_request_id " + variable(header));
            String passOn = auth && header.equals("authorization")
                    ? "$mcpgw_authorization"
                    : "$http_" + header.replace('-', '_');
            w.line("default " + passOn);
            lines.forEach(w::line);
            w.close();
        });
        return w.toString();
    }

    /** The stand-in for {@code mcpgw compile --out}: every value empty, so {@code nginx -t} can test the config. */
    public static String placeholder(List<ServerEntry> servers, boolean auth) {
        try {
            return PLACEHOLDER_MARK + " - mcpgw deploy writes the real values.\n"
                    + render(servers, auth, (server, header) -> "");
        } catch (Unavailable impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Whether {@code file} is a placeholder (or absent), so writing a new placeholder loses no secret. */
    public static boolean replaceable(Path file) throws IOException {
        if (!Files.exists(file)) {
            return true;
        }
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.findFirst().orElse("").startsWith(PLACEHOLDER_MARK);
        }
    }

    /**
     * Secrets from this process's environment and files, where {@code policy} (the operator's choice) allows them;
     * a file's trailing line breaks are dropped. A reference the policy refuses is never read: it cannot be, even
     * if an entry that names it got into the registry some other way.
     */
    public static Secrets fromEnvironment(Map<String, String> environment, SecretPolicy policy) {
        return reference -> {
            java.util.Optional<String> refusal = policy.refusal(reference);
            if (refusal.isPresent()) {
                throw new Refused(refusal.get());
            }
            if (reference instanceof SecretReference.Env env) {
                return environment.get(env.variable());
            }
            Path file = Path.of(((SecretReference.File) reference).path());
            if (Files.exists(file)) {
                // A link inside an allowed directory must not lead out of it.
                java.util.Optional<String> outside = policy.fileRefusal(file.toRealPath());
                if (outside.isPresent()) {
                    throw new Refused(file + " leads (through a link) outside what is allowed: " + outside.get());
                }
            }
            return Files.isReadable(file)
                    ? Files.readString(file, StandardCharsets.UTF_8).replaceAll("[\r\n]+$", "")
                    : null;
        };
    }

    private static String read(ServerEntry server, UpstreamHeader header, Secrets secrets) throws Unavailable {
        String where = header.valueFrom() instanceof SecretReference.Env env
                ? "environment variable " + env.variable()
                : "file " + ((SecretReference.File) header.valueFrom()).path();
        String field = server.id().value() + ": upstream_headers " + header.name() + " reads the " + where;
        String value;
        try {
            value = secrets.read(header.valueFrom());
        } catch (Refused e) {
            throw new Unavailable(field + ", which is refused: " + e.getMessage());
        } catch (IOException e) {
            throw new Unavailable(field + ", which could not be read (" + e.getMessage() + ")");
        }
        if (value == null || value.isEmpty()) {
            throw new Unavailable(field
                    + (header.valueFrom() instanceof SecretReference.Env
                            ? ", which is not set or empty on this machine; set it"
                            : ", which does not exist, cannot be read or is empty on this machine; create it")
                    + " where mcpgw deploy (or serve --apply) runs");
        }
        if (!value.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw new Unavailable(
                    field + ", whose value holds characters a header cannot carry (only printable " + "ASCII may)");
        }
        return value;
    }
}
