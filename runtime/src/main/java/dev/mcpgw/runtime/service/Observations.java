package dev.mcpgw.runtime.service;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.StatusFiles;
import dev.mcpgw.probe.ProbeAgent;
import dev.mcpgw.runtime.http.Metrics;
import dev.mcpgw.runtime.registry.RegistryView;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest observation of every server, from a probe agent running in-process or from the status branch an
 * external {@code mcpgw probe} writes. Every change is announced to the listeners (browsers, search). Status
 * files that cannot be read are logged with their path once per revision and counted, never taken silently as
 * "no status".
 */
public final class Observations implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Observations.class);

    private final GitStore store;
    private final String statusBranch;
    private final ProbeAgent agent;
    private final RegistryView view;
    private final Metrics metrics;
    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, ServerStatus> observed = new ConcurrentHashMap<>();
    private final ExecutorService probes;
    private volatile ObjectId statusRevision;
    private volatile List<StatusFiles.Unreadable> unreadable = List.of();

    public Observations(GitStore store, String statusBranch, ProbeAgent agent, RegistryView view, Metrics metrics) {
        this.store = store;
        this.statusBranch = statusBranch;
        this.agent = agent;
        this.view = view;
        this.metrics = metrics;
        this.probes =
                Executors.newFixedThreadPool(4, dev.mcpgw.core.concurrent.DaemonThreads.named("mcpgw-runtime-probe"));
        metrics.gauge(
                "mcpgw_unreadable_status_files",
                "Status files of the status branch that could not be read.",
                () -> unreadable.size());
    }

    /** Calls {@code listener} after every change of an observation. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    /** The latest observed status of every server, by id (a live view). */
    public Map<String, ServerStatus> statuses() {
        return observed;
    }

    /** The status files of the last status-branch revision read that could not be read. */
    public List<StatusFiles.Unreadable> unreadable() {
        return unreadable;
    }

    /** Probes one server now, records and counts its status and announces it. */
    public ServerStatus probeNow(ServerEntry entry) throws IOException {
        RegistryView.Snapshot snapshot = view.current();
        ServerStatus status = agent.probeNow(
                entry, snapshot.revision().name(), snapshot.servers().keySet());
        metrics.increment("mcpgw_probes_total", "health", status.health().jsonName());
        observed.put(status.id(), status);
        changed();
        return status;
    }

    /** Probes one server in the background (a server just enabled); the result is announced. */
    public void probeSoon(String id) {
        probes.execute(() -> {
            try {
                Optional<RegistryView.Registered> server = view.current().server(id);
                if (server.isPresent()
                        && server.get().valid()
                        && server.get().entry().enabled()) {
                    probeNow(server.get().entry());
                }
            } catch (Exception e) {
                LOG.warn("probing /{} failed: {}", id, e.getMessage());
            }
        });
    }

    /** One in-process probe round of every enabled server. */
    public void round() {
        try {
            ProbeAgent.Round round = agent.runRound();
            Map<String, ServerStatus> latest = agent.latest();
            observed.putAll(latest);
            observed.keySet().retainAll(latest.keySet());
            round.observed()
                    .forEach(status -> metrics.increment(
                            "mcpgw_probes_total", "health", status.health().jsonName()));
            changed();
        } catch (Exception e) {
            LOG.error("probe round failed", e);
        }
    }

    /** Reads the status branch when it moved (an external probe writes it). */
    public void readStatusBranch() throws IOException {
        ObjectId tip = store.tip(statusBranch).orElse(null);
        if (tip == null || tip.equals(statusRevision)) {
            return;
        }
        StatusFiles read = StatusFiles.fromGit(store, tip);
        if (!Objects.equals(read.unreadable(), unreadable)) {
            read.unreadable()
                    .forEach(file -> LOG.warn(
                            "unreadable status file {} on {} at {}; the server shows no status "
                                    + "until it is rewritten",
                            file,
                            statusBranch,
                            tip.name().substring(0, 12)));
        }
        unreadable = read.unreadable();
        observed.putAll(read.byId());
        observed.keySet().retainAll(read.byId().keySet());
        statusRevision = tip;
        changed();
    }

    @Override
    public void close() {
        dev.mcpgw.core.concurrent.DaemonThreads.stop(probes, java.time.Duration.ofSeconds(10));
        agent.close();
    }
}
