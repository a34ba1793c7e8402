package dev.mcpgw.cli;

import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.runtime.Runtime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcpgw serve}: the runtime, as far as it is built (live status, in-process probe, the site). */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header = "Run the runtime: in-process probe, live status over WebSocket, the website.",
        description = {
            "Probes the registry's servers every --interval (writing the status branch, as mcpgw probe does) and "
                    + "pushes changes of health, enabled state and tools to browsers over WS /ws/health_status. "
                    + "With --site it also serves a website made by mcpgw site. Sign-in and the registry API are "
                    + "not built yet, so nothing here changes the registry."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped", "1:the repository could not be used or the port is taken", "2:usage error"})
final class ServeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ProbeOptions probe;

    @Option(names = "--repo", paramLabel = "PATH", required = true, description = "The registry's Git repository.")
    private Path repo;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7860",
            description = "Where the runtime listens (default: ${DEFAULT-VALUE}).")
    private String listen;

    @Option(names = "--site", paramLabel = "DIR", description = "A website made by mcpgw site, served at /.")
    private Path site;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Time between probe rounds (default: ${DEFAULT-VALUE}).")
    private Duration interval;

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "1000",
            description = "Most browsers connected to the live status at once (default: ${DEFAULT-VALUE}).")
    private int maxClients;

    @Override
    public Integer call() throws Exception {
        HostPort at;
        try {
            at = HostPort.parse(listen);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
        }
        if (site != null && !Files.isDirectory(site)) {
            throw new ParameterException(spec.commandLine(), "--site: '" + site + "' is not a directory");
        }
        if (!Files.isDirectory(repo)) {
            throw new ParameterException(spec.commandLine(), "--repo: '" + repo + "' is not a directory");
        }
        if (interval.isZero() || probe.timeout.isZero() || maxClients < 1) {
            throw new ParameterException(spec.commandLine(), "--interval, --timeout and --max-clients must be positive");
        }
        var out = spec.commandLine().getOut();
        Runtime runtime;
        try {
            runtime = Runtime.start(new Runtime.Settings(repo, probe.branch, probe.statusBranch, at.host(), at.port(), site, interval,
                    probe.timeout, maxClients), line -> {
                        out.println(Instant.now() + " " + line);
                        out.flush();
                    });
        } catch (Exception e) {
            spec.commandLine().getErr().println("serve: could not start on " + at + ": " + e.getMessage());
            return ExitCodes.CHECK_FAILED;
        }
        out.println("runtime listening on http://" + at.host() + ":" + runtime.port()
                + " (live status: ws://" + at.host() + ":" + runtime.port() + "/ws/health_status)");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            stopped.countDown();
        }, "runtime-stop"));
        stopped.await();
        return ExitCodes.OK;
    }
}
