package dev.mcpgw.runtime;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.probe.ProbeAgent;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The runtime, as far as it is built: an in-process probe agent writing the status branch, live status for
 * browsers over {@code WS /ws/health_status}, and the website when one is given.
 */
public final class Runtime implements AutoCloseable {

    private final Javalin app;
    private final ProbeAgent agent;
    private final StatusHub hub;
    private final GitStore store;
    private final ScheduledExecutorService rounds;
    private final Consumer<String> log;

    /** How the runtime runs; {@code site} may be null. */
    public record Settings(Path repo, String configBranch, String statusBranch, String host, int port, Path site,
                           Duration interval, Duration timeout, int maxClients) {}

    private Runtime(Settings settings, Consumer<String> log) throws IOException {
        this.log = log;
        this.store = GitStore.open(settings.repo());
        this.agent = new ProbeAgent(store, new ProbeAgent.Settings(settings.configBranch(), settings.statusBranch(),
                32, settings.timeout(), Duration.ZERO, null), RegistryValidator.create(), Clock.systemUTC(), log);
        this.hub = new StatusHub(settings.maxClients(), 64, log);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            if (settings.site() != null) {
                config.staticFiles.add(settings.site().toAbsolutePath().toString(), Location.EXTERNAL, java.util.Set.of());
            }
            config.routes.ws("/ws/health_status", ws -> {
                ws.onConnect(hub::connected);
                ws.onClose(hub::disconnected);
                ws.onError(hub::disconnected);
            });
        });
        this.rounds = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mcpgw-runtime-probe");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts serving and probing; the first round starts at once. */
    public static Runtime start(Settings settings, Consumer<String> log) throws IOException {
        Runtime runtime = new Runtime(settings, log);
        runtime.app.start(settings.host(), settings.port());
        runtime.rounds.scheduleWithFixedDelay(runtime::round, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        return runtime;
    }

    public int port() {
        return app.port();
    }

    public StatusHub hub() {
        return hub;
    }

    private void round() {
        try {
            ProbeAgent.Round round = agent.runRound();
            Map<String, Boolean> enabled = new TreeMap<>();
            round.entries().forEach(entry -> enabled.put(entry.path(), entry.enabled()));
            hub.publish(enabled, agent.latest());
        } catch (Exception e) {
            log.accept("probe round failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        rounds.shutdownNow();
        app.stop();
        agent.close();
        store.close();
    }
}
