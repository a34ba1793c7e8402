package dev.mcpgw.runtime.registry;

import dev.mcpgw.compiler.GatewayCompiler;
import dev.mcpgw.compiler.GatewaySettings;
import dev.mcpgw.compiler.GatewaySettingsFile;
import dev.mcpgw.compiler.Nginx;
import dev.mcpgw.compiler.NginxDeployer;
import dev.mcpgw.compiler.UpstreamCredentials;
import dev.mcpgw.core.concurrent.DaemonThreads;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.EgressPolicy;
import dev.mcpgw.core.model.SecretPolicy;
import dev.mcpgw.core.registry.RegistryReader;
import dev.mcpgw.core.validation.RegistryValidator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve --apply}: compiles the config branch and deploys it to the local nginx, as {@code mcpgw deploy}
 * does and with the gateway options it was last deployed with, whenever the branch moves. One deployment runs at a time; requests made while one is waiting share
 * it, and a request made while one runs gets the next, which reads the branch afresh, so a burst of changes
 * costs at most two deployments and none is missed.
 */
public final class GatewayApplier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayApplier.class);

    private final GitStore store;
    private final String branch;
    private final java.nio.file.Path prefix;
    private final NginxDeployer deployer;
    private final GatewayCompiler compiler;
    private final RegistryReader reader;
    private final SecretPolicy secrets;
    private final EgressPolicy egress;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(DaemonThreads.named("mcpgw-apply"));
    private CompletableFuture<Applied> waiting;
    private ObjectId lastApplied;
    private String lastConfig;
    /** The servers the live config answers 503 for, with why; empty before the first deployment. */
    private volatile java.util.Map<String, String> notDeployed = java.util.Map.of();

    /** What a deployment did; {@code revision} is the config commit it compiled. */
    public record Applied(boolean ok, String revision, String message) {}

    /** @param secrets where upstream secrets may be read from: no other reference is ever read */
    public GatewayApplier(
            GitStore store,
            String branch,
            Nginx nginx,
            RegistryValidator validator,
            SecretPolicy secrets,
            EgressPolicy egress) {
        this.store = store;
        this.secrets = secrets;
        this.egress = egress;
        this.branch = branch;
        this.prefix = nginx.prefix();
        this.deployer = new NginxDeployer(nginx);
        this.compiler = new GatewayCompiler(validator);
        this.reader = new RegistryReader(store, validator);
    }

    /** The servers the live gateway does not route to (their entry is invalid here, or a secret is missing), with why. */
    public java.util.Map<String, String> notDeployed() {
        return notDeployed;
    }

    /** Deploys the branch as it is when the deployment starts; completes when it is live (or refused). */
    public synchronized CompletableFuture<Applied> request() {
        if (waiting == null) {
            CompletableFuture<Applied> next = new CompletableFuture<>();
            waiting = next;
            worker.execute(() -> run(next));
        }
        return waiting;
    }

    private void run(CompletableFuture<Applied> mine) {
        synchronized (this) {
            waiting = null;
        }
        try {
            mine.complete(applyNow());
        } catch (Exception e) {
            LOG.error("apply failed: {}", e.getMessage());
            mine.complete(new Applied(false, null, "could not deploy: " + e.getMessage()));
        }
    }

    private Applied applyNow() throws Exception {
        ObjectId tip = store.tip(branch).orElse(null);
        if (tip == null) {
            return new Applied(false, null, "branch " + branch + " does not exist");
        }
        if (tip.equals(lastApplied) && !egress.enforced()) {
            return new Applied(true, tip.name(), "already live");
        }
        GatewaySettings settings = GatewaySettingsFile.read(prefix);
        UpstreamCredentials.Secrets readable = UpstreamCredentials.fromEnvironment(System.getenv(), secrets);
        // Under an egress policy upstream names are resolved afresh each time: the same commit deploys again when
        // what its names resolve to has changed (the gateway is pinned to the addresses checked here).
        GatewayCompiler.Result result = compiler.deployable(reader.read(tip).report(), settings, readable, egress);
        if (tip.equals(lastApplied)
                && java.util.Objects.equals(result.config(), lastConfig)
                && result.failed().equals(notDeployed)) {
            return new Applied(true, tip.name(), "already live");
        }
        result.failed()
                .forEach((id, reason) -> LOG.warn(
                        "apply {}: /{} is not deployed (it answers 503): {}",
                        tip.name().substring(0, 12),
                        id,
                        reason));
        NginxDeployer.Outcome outcome = deployer.deploy(result, readable, false);
        LOG.info("apply {}: {}", tip.name().substring(0, 12), outcome.message());
        if (outcome.ok()) {
            lastApplied = tip;
            lastConfig = result.config();
            notDeployed = result.failed();
        }
        return new Applied(outcome.ok(), tip.name(), outcome.message());
    }

    @Override
    public void close() {
        DaemonThreads.stop(worker, java.time.Duration.ofSeconds(10));
    }
}
