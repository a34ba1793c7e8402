package dev.mcpgw.cli;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.probe.ProbeAgent;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcpgw probe}: health and tools of every registered server, written to the status branch. */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header = "Probe every registered MCP server and record what it saw on the status branch.",
        description = {
            "Reads servers/ at the head of the config branch, connects to every enabled server as a real MCP client "
                    + "(initialize, list all tools, close the session) and commits the observations to the status "
                    + "branch - one commit per round, and only when health, the kind of error, server info or tools "
                    + "changed. Disabled servers are recorded without being contacted; statuses of removed servers "
                    + "are deleted. Logs one line per change. SIGTERM finishes the current write and exits."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped cleanly (or --once finished)",
            "1:the repository or branch could not be used",
            "2:usage error"
        })
final class ProbeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private EgressOptions egress;

    @Mixin
    private ProbeOptions probe;

    @Option(
            names = "--repo",
            paramLabel = "PATH_OR_URL",
            required = true,
            description =
                    "The registry's Git repository: a local working copy or bare repository, or a URL "
                            + "(https://, ssh://, git@...), which is cloned bare into a temporary directory and implies --push.")
    private String repo;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Time between the starts of two rounds (default: ${DEFAULT-VALUE}).")
    private Duration interval;

    @Option(names = "--once", description = "Run one round and exit.")
    private boolean once;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            defaultValue = "32",
            description = "Servers probed at the same time (default: ${DEFAULT-VALUE}).")
    private int concurrency;

    @Option(
            names = "--heartbeat",
            paramLabel = "DURATION",
            defaultValue = "0s",
            converter = DurationConverter.class,
            description = "Also commit unchanged statuses when their last commit is this old, so check times stay "
                    + "fresh on the branch (default: never; the latest check times are kept in memory).")
    private Duration heartbeat;

    @Option(
            names = "--push",
            description = "Read the config branch from the remote 'origin' (fetched every round) "
                    + "and push the status branch there; a rejected push fetches, re-applies the round and retries.")
    private boolean push;

    @Override
    public Integer call() throws Exception {
        if (concurrency < 1 || concurrency > 1024) {
            throw new ParameterException(spec.commandLine(), "--concurrency: use 1 to 1024");
        }
        if (probe.timeout.isZero() || interval.isZero()) {
            throw new ParameterException(spec.commandLine(), "--timeout and --interval must be longer than zero");
        }
        boolean remoteUrl = repo.matches("^(https?|ssh|git|file)://.+|^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+:.+");
        Path directory;
        if (remoteUrl) {
            directory = Files.createTempDirectory("mcpgw-probe-");
            try {
                org.eclipse.jgit.api.Git.cloneRepository()
                        .setURI(repo)
                        .setBare(true)
                        .setDirectory(directory.toFile())
                        .call()
                        .close();
            } catch (org.eclipse.jgit.api.errors.GitAPIException e) {
                spec.commandLine().getErr().println("probe: could not clone " + repo + ": " + e.getMessage());
                return ExitCodes.CHECK_FAILED;
            }
        } else {
            directory = Path.of(repo);
            if (!Files.isDirectory(directory)) {
                throw new ParameterException(spec.commandLine(), "--repo: '" + repo + "' is not a directory");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        Object writing = new Object();
        try (GitStore store = GitStore.open(directory);
                ProbeAgent agent = new ProbeAgent(
                        store,
                        new ProbeAgent.Settings(
                                probe.branches.branch,
                                probe.branches.statusBranch,
                                concurrency,
                                probe.timeout,
                                heartbeat,
                                push || remoteUrl ? "origin" : null,
                                egress.policy(spec)),
                        // What changed is logged on standard error, one record per line (logback.xml).
                        RegistryValidator.create(),
                        Clock.systemUTC())) {
            Thread shutdown = new Thread(
                    () -> {
                        stopped.countDown();
                        synchronized (writing) {
                            // waits for a round's write in progress to finish
                        }
                    },
                    "probe-stop");
            Runtime.getRuntime().addShutdownHook(shutdown);
            do {
                long started = System.nanoTime();
                synchronized (writing) {
                    if (stopped.getCount() == 0) {
                        break;
                    }
                    agent.runRound();
                }
                long wait = interval.toNanos() - (System.nanoTime() - started);
                if (once || stopped.await(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
                    break;
                }
            } while (true);
            if (stopped.getCount() != 0) {
                Runtime.getRuntime().removeShutdownHook(shutdown);
            }
        } catch (org.eclipse.jgit.errors.RepositoryNotFoundException e) {
            spec.commandLine().getErr().println("probe: --repo: no Git repository at " + repo);
            return ExitCodes.CHECK_FAILED;
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("probe: " + e.getMessage());
            return ExitCodes.CHECK_FAILED;
        }
        return ExitCodes.OK;
    }
}
