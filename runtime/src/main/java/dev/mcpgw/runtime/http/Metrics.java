package dev.mcpgw.runtime.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The runtime's meters, scraped in the Prometheus text format at {@code /metrics}: requests by route and
 * status, commits by operation, probes by health, sign-ins, the gateway's access checks and the time they
 * take, gauges read when scraped, and the JVM's and Jetty's own meters. Label values come from our route
 * templates and enums, never from request text, so the number of series stays bounded.
 *
 * <p>Names are given as Prometheus shows them ({@code mcpgw_http_requests_total}); Micrometer's naming
 * convention turns the dotted names registered here back into exactly those.
 */
public final class Metrics implements AutoCloseable {

    /** Upper bounds of the access decision histogram's buckets. */
    private static final Duration[] DECISION_BUCKETS = {
        Duration.ofNanos(100_000),
        Duration.ofNanos(250_000),
        Duration.ofNanos(500_000),
        Duration.ofMillis(1),
        Duration.ofMillis(2),
        Duration.ofMillis(5),
        Duration.ofMillis(10)
    };

    private static final Map<String, String> COUNTERS = Map.of(
            "mcpgw_http_requests_total", "HTTP requests answered, by route template and status code.",
            "mcpgw_registry_commits_total", "Changes to the registry committed through the API, by operation.",
            "mcpgw_probes_total", "Probes of MCP servers made by this runtime, by resulting health.",
            "mcpgw_logins_total", "Sign-in attempts, by outcome.",
            "mcpgw_access_checks_total", "The gateway's access checks, by answer.",
            "mcpgw_tool_calls_total",
                    "Tool calls made through the gateway by mcpgw's call_tool, by server and outcome.");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer decisions;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics() {
        decisions = Timer.builder("mcpgw.access.decision")
                .description("Time the runtime takes to decide a gateway access check.")
                .serviceLevelObjectives(DECISION_BUCKETS)
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /** Jetty's connections (count, bytes, duration) and its request thread pool. */
    public void bindTo(Server server) {
        JettyConnectionMetrics.addToAllConnectors(server, registry);
        ThreadPool threads = server.getThreadPool();
        new JettyServerThreadPoolMetrics(threads, Tags.empty()).bindTo(registry);
    }

    /** One access decision for the gateway: its status, and how long the runtime took to reach it. */
    public void accessDecision(int status, long nanos) {
        increment("mcpgw_access_checks_total", "status", Integer.toString(status));
        decisions.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A gauge read when scraped. */
    public void gauge(String name, String help, IntSupplier value) {
        Gauge.builder(dotted(name), value, v -> v.getAsInt())
                .description(help)
                .strongReference(true)
                .register(registry);
    }

    /** @param labels pairs of label name and value, for example {@code "route", "/toggle/{path}"} */
    public void increment(String counter, String... labels) {
        String help = COUNTERS.get(counter);
        if (help == null) {
            throw new IllegalArgumentException("undeclared counter " + counter);
        }
        StringBuilder key = new StringBuilder(counter);
        Tag[] tags = new Tag[labels.length / 2];
        for (int i = 0; i + 1 < labels.length; i += 2) {
            key.append('\0').append(labels[i]).append('\0').append(labels[i + 1]);
            tags[i / 2] = Tag.of(labels[i], labels[i + 1]);
        }
        counters.computeIfAbsent(
                        key.toString(),
                        k -> Counter.builder(dotted(counter.substring(0, counter.length() - "_total".length())))
                                .description(help)
                                .tags(Tags.of(tags))
                                .register(registry))
                .increment();
    }

    /** Every meter in the Prometheus text format, version 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private static String dotted(String prometheusName) {
        return prometheusName.replace('_', '.');
    }
}
