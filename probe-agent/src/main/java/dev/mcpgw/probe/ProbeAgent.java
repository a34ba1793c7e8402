package dev.mcpgw.probe;

import dev.mcpgw.core.concurrent.DaemonThreads;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.EgressPolicy;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.registry.RegistryReader;
import dev.mcpgw.core.registry.RegistryRevision;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.ValidationReport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One probe round: read the entries at the head of the config branch, probe every enabled one (at most
 * {@code concurrency} at a time, each bounded by its own timeout), write the status branch. The latest
 * observations stay in memory for whoever serves them live (check times included, which are committed only
 * with a change or a heartbeat).
 */
public final class ProbeAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeAgent.class);

    /** How long closing waits for probes in flight to end (each is bounded by its own timeout). */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);

    private final GitStore store;
    private final String configBranch;
    private final String remote;
    private final StatusWriter writer;
    private final McpProbe probe;
    private final ExecutorService pool;
    private final ScheduledExecutorService watchdog;
    private final RegistryReader reader;
    private final Map<String, ServerStatus> latest = new ConcurrentHashMap<>();
    private final Duration timeout;
    private final Clock clock;
    private Set<String> reportedProblems = Set.of();

    /**
     * How the agent runs.
     *
     * @param remote when set, the config branch is read from this remote (fetched each round) and the status
     *               branch is pushed to it
     * @param egress which upstream addresses may be contacted (others are recorded unreachable, never connected)
     */
    public record Settings(
            String configBranch,
            String statusBranch,
            int concurrency,
            Duration timeout,
            Duration heartbeat,
            String remote,
            EgressPolicy egress) {}

    public ProbeAgent(GitStore store, Settings settings, RegistryValidator validator, Clock clock) {
        this.store = store;
        this.configBranch = settings.configBranch();
        this.remote = settings.remote();
        this.writer = new StatusWriter(store, settings.statusBranch(), settings.heartbeat(), settings.remote());
        this.pool = Executors.newFixedThreadPool(settings.concurrency(), DaemonThreads.named("mcpgw-probe"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("mcpgw-probe-deadline"));
        this.probe = new McpProbe(settings.timeout(), clock, watchdog, settings.egress());
        this.timeout = settings.timeout();
        this.clock = clock;
        this.reader = new RegistryReader(store, validator);
    }

    /** What a round did: the valid entries it found, what it observed of them and what it wrote. */
    public record Round(
            String revision, List<ServerEntry> entries, List<ServerStatus> observed, StatusWriter.Written written) {}

    public Round runRound() throws IOException, InterruptedException {
        String configRef = "refs/heads/" + configBranch;
        if (remote != null) {
            configRef = "refs/remotes/" + remote + "/" + configBranch;
            store.fetch(remote, configBranch, configRef);
        }
        String shown = configRef;
        ObjectId tip = store.resolve(configRef)
                .orElseThrow(() -> new IOException(
                        shown + " does not exist in " + store.repository().getDirectory()));
        String revision = tip.name();
        RegistryRevision registry = reader.read(tip);
        ValidationReport report = registry.report();
        Set<String> registered = registry.ids();
        Set<String> problems = new TreeSet<>();
        report.problems().forEach(problem -> problems.add(problem.toString()));
        problems.stream()
                .filter(problem -> !reportedProblems.contains(problem))
                .forEach(problem -> LOG.warn("skipping invalid entry: {}", problem));
        reportedProblems = problems;

        List<Future<ServerStatus>> running = new ArrayList<>();
        for (ServerEntry entry : report.entries()) {
            running.add(pool.submit(() -> probe.probe(entry, revision)));
        }
        List<ServerStatus> observed = new ArrayList<>();
        // Each probe ends at its own deadline; this bound only guards the round against one that does not.
        long bound = timeout.toMillis() * 3 + 10_000;
        for (int i = 0; i < running.size(); i++) {
            Future<ServerStatus> future = running.get(i);
            ServerStatus status;
            try {
                status = future.get(bound, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stuck) {
                future.cancel(true);
                status = ServerStatus.builder(
                                report.entries().get(i).id().value(),
                                dev.mcpgw.core.status.Health.UNHEALTHY,
                                clock.instant())
                        .error("timeout", "no complete answer within " + timeout.toMillis() + " ms")
                        .observedRevision(revision)
                        .build();
            } catch (ExecutionException e) {
                throw new IOException("a probe failed unexpectedly", e.getCause());
            }
            observed.add(status);
        }
        StatusWriter.Written written = writer.write(observed, registered, revision);
        // What readers of the status branch see, not the raw observation: a server churning its tools, or
        // sending megabytes of them, costs the runtime's index no more than it costs the branch.
        latest.putAll(written.recorded());
        latest.keySet().retainAll(registered);
        written.changes().forEach(LOG::info);
        return new Round(revision, report.entries(), observed, written);
    }

    /**
     * Probes one server now (a refresh, or a server just enabled) and writes its status like a round does.
     *
     * @param registered the ids registered now; statuses of others are removed, as in a round
     */
    public ServerStatus probeNow(ServerEntry entry, String revision, Set<String> registered) throws IOException {
        ServerStatus status = probe.probe(entry, revision);
        StatusWriter.Written written = writer.write(List.of(status), registered, revision);
        ServerStatus recorded = written.recorded().getOrDefault(status.id(), status);
        latest.put(status.id(), recorded);
        written.changes().forEach(LOG::info);
        return recorded;
    }

    /** The latest observation of every registered server, check times included. */
    public Map<String, ServerStatus> latest() {
        return Map.copyOf(latest);
    }

    @Override
    public void close() {
        DaemonThreads.stop(pool, STOP_PATIENCE);
        DaemonThreads.stop(watchdog, STOP_PATIENCE);
    }
}
