package dev.mcpgw.core.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the gateway may read upstream secrets from ({@code upstream_headers[].value_from}), as the operator
 * chose on the command line of {@code deploy}, {@code serve} and {@code up}: environment variables whose names
 * start with an allowed prefix, files inside an allowed directory. Never the runtime's own configuration
 * ({@link #RESERVED}), whatever the prefixes: an entry in Git must not be able to read the key sessions are
 * signed with.
 *
 * @param restricted   false only where the operator's choice is not known (a pull request check without
 *                     options): then only the reserved names are refused
 * @param envPrefixes  allowed prefixes of environment variable names
 * @param directories  allowed directories (absolute, normalized) of secret files
 */
public record SecretPolicy(boolean restricted, List<String> envPrefixes, List<Path> directories) {

    /** Names the runtime and its tools are configured with: never an upstream's secret. */
    public static final List<String> RESERVED = List.of(
            "SECRET_KEY", "ADMIN_USER", "ADMIN_PASSWORD", "MCPGW_DEBUG", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");
    /** Prefixes of configuration names: never an upstream's secret either. */
    public static final List<String> RESERVED_PREFIXES = List.of("MCPGW_", "OIDC_", "ADMIN_");

    private static final Pattern PREFIX = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    /** Where a process's own environment and devices live: never a secret file, whatever the directories. */
    private static final List<Path> SYSTEM_PATHS = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

    /** No secret may be read: the default of deploy and serve until the operator allows some. */
    public static final SecretPolicy NONE = new SecretPolicy(true, List.of(), List.of());

    /** Only the reserved names are refused: for checking entries where the deployment's choice is not known. */
    public static final SecretPolicy RESERVED_ONLY = new SecretPolicy(false, List.of(), List.of());

    public SecretPolicy {
        envPrefixes = List.copyOf(envPrefixes);
        for (String prefix : envPrefixes) {
            if (!PREFIX.matcher(prefix).matches()) {
                throw new FieldException(
                        "envPrefixes",
                        "'" + prefix + "' is not a prefix of environment variable "
                                + "names: upper-case letters, digits and '_', starting with a letter");
            }
            RESERVED.stream()
                    .filter(name -> name.startsWith(prefix))
                    .findFirst()
                    .ifPresent(name -> {
                        throw new FieldException(
                                "envPrefixes",
                                "'" + prefix + "' would let entries read " + name
                                        + ", the runtime's own configuration; choose a prefix for upstream secrets only, such as "
                                        + "UPSTREAM_");
                    });
            RESERVED_PREFIXES.stream()
                    .filter(reserved -> reserved.startsWith(prefix) || prefix.startsWith(reserved))
                    .findFirst()
                    .ifPresent(reserved -> {
                        throw new FieldException(
                                "envPrefixes",
                                "'" + prefix + "' overlaps " + reserved
                                        + "*, the runtime's own configuration; choose a prefix for upstream secrets only, "
                                        + "such as UPSTREAM_");
                    });
        }
        directories = directories.stream()
                .map(directory -> {
                    if (!directory.isAbsolute()) {
                        throw new FieldException("directories", "'" + directory + "' is not an absolute path");
                    }
                    return directory.normalize();
                })
                .toList();
    }

    /** The operator's choice: these prefixes and directories, nothing else. */
    public static SecretPolicy allowing(List<String> envPrefixes, List<Path> directories) {
        return new SecretPolicy(true, envPrefixes, directories);
    }

    /** Why {@code reference} may not be read, or empty when it may. */
    public Optional<String> refusal(SecretReference reference) {
        if (reference instanceof SecretReference.Env env) {
            String name = env.variable();
            if (RESERVED.contains(name) || RESERVED_PREFIXES.stream().anyMatch(name::startsWith)) {
                return Optional.of(name + " is the runtime's own configuration, never an upstream's secret; name "
                        + "a variable set for this upstream");
            }
            if (!restricted || envPrefixes.stream().anyMatch(name::startsWith)) {
                return Optional.empty();
            }
            return Optional.of(name + " is not an environment variable the operator allows for upstream secrets ("
                    + (envPrefixes.isEmpty()
                            ? "none are; the operator allows some with --secret-env-prefix PREFIX"
                            : "allowed: names starting with " + String.join(", ", envPrefixes))
                    + ")");
        }
        return fileRefusal(Path.of(((SecretReference.File) reference).path()));
    }

    /** Why the file at {@code path} may not be read (check the real path too, after links), or empty when it may. */
    public Optional<String> fileRefusal(Path path) {
        Path file = path.normalize();
        if (SYSTEM_PATHS.stream().anyMatch(file::startsWith)) {
            return Optional.of(file + " is a system path (process environments, devices), never an upstream's secret");
        }
        if (!restricted
                || directories.stream()
                        .anyMatch(directory -> inside(file, directory) || inside(file, realPath(directory)))) {
            return Optional.empty();
        }
        return Optional.of(file + " is outside the directories the operator allows for upstream secrets ("
                + (directories.isEmpty()
                        ? "none are; the operator allows one with --secrets-dir DIR"
                        : "allowed: "
                                + String.join(
                                        ", ",
                                        directories.stream().map(Path::toString).toList()))
                + ")");
    }

    private static boolean inside(Path file, Path directory) {
        return file.startsWith(directory) && !file.equals(directory);
    }

    /** The directory with its links resolved (an allowed directory may itself be a link), or as given. */
    private static Path realPath(Path directory) {
        try {
            return directory.toRealPath();
        } catch (java.io.IOException | SecurityException absent) {
            return directory;
        }
    }

    /** How the policy reads in a log line or an error. */
    public String describe() {
        if (!restricted) {
            return "any but the runtime's own configuration";
        }
        if (envPrefixes.isEmpty() && directories.isEmpty()) {
            return "none";
        }
        return "environment variables " + (envPrefixes.isEmpty() ? "none" : String.join("*, ", envPrefixes) + "*")
                + "; files in "
                + (directories.isEmpty()
                        ? "none"
                        : String.join(
                                ", ", directories.stream().map(Path::toString).toList()));
    }
}
