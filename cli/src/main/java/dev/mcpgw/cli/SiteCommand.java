package dev.mcpgw.cli;

import dev.mcpgw.core.contract.RegistryV01;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.StatusFiles;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.ValidationReport;
import dev.mcpgw.site.SiteGenerator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcpgw site}: the registry website and servers.json, static files. */
@Command(
        name = "site",
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header = "Render the static registry website from the entries and their status.",
        description = {
            "Validates the entries like mcpgw validate and writes a website any static host can serve: index.html "
                    + "(cards, filters, search, themes), a page per server (tools, input schemas, client "
                    + "configuration), servers.json and the MCP Registry v0.1 API under v0.1/. Servers without a "
                    + "status show as unknown."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the site was written",
            "1:entries are invalid or the status could not be read",
            "2:usage error"
        })
final class SiteCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServersOption servers;

    @Option(
            names = "--status",
            paramLabel = "REF_OR_DIR",
            description = "Observations to show: a directory of <id>.json files (for example a checkout of the "
                    + "status branch's servers/), or a branch of the Git repository --repo (default: none).")
    private String status;

    @Option(
            names = "--repo",
            paramLabel = "PATH",
            defaultValue = ".",
            description = "Repository whose branch --status names (default: the current directory).")
    private Path repo;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "site",
            description = "Where to write the site (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(
            names = "--gateway-url",
            paramLabel = "URL",
            defaultValue = "http://127.0.0.1:8080",
            description =
                    "The gateway's public URL, for endpoints and client configuration (default: ${DEFAULT-VALUE}).")
    private String gatewayUrl;

    @Option(
            names = "--runtime-url",
            paramLabel = "URL",
            description = "The runtime (or the gateway in front of it) whose live status the pages follow over "
                    + "WebSocket; without it the site is a read-only snapshot.")
    private String runtimeUrl;

    @Option(
            names = "--namespace",
            paramLabel = "REVERSE_DNS",
            description = "Namespace of server names in the v0.1 registry API, e.g. com.example (default: the gateway "
                    + "URL's host name reversed, or local.mcpgw for an address).")
    private String namespace;

    @Mixin
    private FormatOption format;

    @Override
    public Integer call() throws IOException {
        String gateway = checkedUrl("--gateway-url", gatewayUrl);
        String runtime = runtimeUrl == null ? null : checkedUrl("--runtime-url", runtimeUrl);
        ValidationReport report =
                RegistryValidator.create().validateDirectory(servers.requireDirectory(spec), servers.shownAs());
        if (!report.valid()) {
            format.print(
                    spec,
                    report.problems(),
                    report.summary() + "; nothing was written",
                    report.files().size());
            return ExitCodes.CHECK_FAILED;
        }
        Map<String, ServerStatus> statuses;
        try {
            statuses = status == null ? Map.of() : readStatuses();
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("site: --status " + status + ": " + e.getMessage());
            return ExitCodes.CHECK_FAILED;
        }
        SiteGenerator.Settings settings = new SiteGenerator.Settings(
                gateway, Instant.now(), namespace == null ? RegistryV01.defaultNamespace(gateway) : namespace, runtime);
        try {
            new SiteGenerator().generate(report.entries(), statuses, settings, out);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--namespace: " + e.getMessage());
        }
        spec.commandLine()
                .getErr()
                .println("wrote " + out + ": " + report.entries().size() + " servers, " + statuses.size()
                        + " with a status");
        return ExitCodes.OK;
    }

    /** An http(s) URL with a host and nothing after the path, without a trailing slash; or a usage error. */
    private String checkedUrl(String option, String url) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null) {
                throw new java.net.URISyntaxException(url, "not an http(s) URL with a host");
            }
        } catch (java.net.URISyntaxException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    option + ": " + e.getReason() + "; give for example https://gateway.example.com");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The statuses --status names; each unreadable file is named on standard error and shows as unknown. */
    private Map<String, ServerStatus> readStatuses() throws IOException {
        Path directory = Path.of(status);
        StatusFiles read;
        if (Files.isDirectory(directory)) {
            read = StatusFiles.fromDirectory(directory);
        } else {
            try (GitStore store = GitStore.open(repo)) {
                var tip = store.tip(status)
                        .orElseThrow(() ->
                                new IOException("no directory or branch of that name in " + repo.toAbsolutePath()));
                read = StatusFiles.fromGit(store, tip);
            }
        }
        read.unreadable()
                .forEach(file -> spec.commandLine()
                        .getErr()
                        .println("site: skipping unreadable status file " + file + " (the server shows as unknown)"));
        return read.byId();
    }
}
