package dev.mcpgw.runtime.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Counters in the Prometheus text format (version 0.0.4): requests by route and status, commits by
 * operation, probes by health, gauges read when scraped, and the time of the gateway's access decisions. Label values come from our own route
 * templates and enums, never from request text, so the number of series stays bounded.
 */
public final class Metrics {

    private record Family(String help, Map<String, LongAdder> series) {}

    /** Upper bounds, in seconds, of the access decision histogram's buckets. */
    private static final double[] DECISION_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01};

    private final Map<String, Family> counters = new ConcurrentHashMap<>();
    private final LongAdder[] decisionBuckets = new LongAdder[DECISION_BUCKETS.length + 1];
    private final LongAdder decisionNanos = new LongAdder();
    private final Map<String, IntSupplier> gauges = new ConcurrentHashMap<>();
    private final Map<String, String> gaugeHelp = new ConcurrentHashMap<>();

    public Metrics() {
        declare("mcpgw_http_requests_total", "HTTP requests answered, by route template and status code.");
        declare("mcpgw_registry_commits_total", "Changes to the registry committed through the API, by operation.");
        declare("mcpgw_probes_total", "Probes of MCP servers made by this runtime, by resulting health.");
        declare("mcpgw_logins_total", "Sign-in attempts, by outcome.");
        declare("mcpgw_access_checks_total", "The gateway's access checks, by answer.");
        for (int i = 0; i < decisionBuckets.length; i++) {
            decisionBuckets[i] = new LongAdder();
        }
    }

    /** One access decision for the gateway: its status, and how long the runtime took to reach it. */
    public void accessDecision(int status, long nanos) {
        increment("mcpgw_access_checks_total", "status", Integer.toString(status));
        int bucket = 0;
        while (bucket < DECISION_BUCKETS.length && nanos / 1e9 > DECISION_BUCKETS[bucket]) {
            bucket++;
        }
        decisionBuckets[bucket].increment();
        decisionNanos.add(nanos);
    }

    private void declare(String name, String help) {
        counters.put(name, new Family(help, new ConcurrentHashMap<>()));
    }

    public void gauge(String name, String help, IntSupplier value) {
        gauges.put(name, value);
        gaugeHelp.put(name, help);
    }

    /** @param labels pairs of label name and value, for example {@code "route", "/toggle/{path}"} */
    public void increment(String counter, String... labels) {
        Family family = counters.get(counter);
        if (family == null) {
            throw new IllegalArgumentException("undeclared counter " + counter);
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            key.append(key.isEmpty() ? "" : ",").append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
        }
        family.series().computeIfAbsent(key.toString(), k -> new LongAdder()).increment();
    }

    public String scrape() {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(counters).forEach((name, family) -> {
            out.append("# HELP ").append(name).append(' ').append(family.help()).append('\n');
            out.append("# TYPE ").append(name).append(" counter\n");
            new TreeMap<>(family.series()).forEach((labels, value) -> out.append(name)
                    .append(labels.isEmpty() ? "" : "{" + labels + "}").append(' ').append(value.sum()).append('\n'));
        });
        String histogram = "mcpgw_access_decision_seconds";
        out.append("# HELP ").append(histogram).append(" Time the runtime takes to decide a gateway access check.\n")
                .append("# TYPE ").append(histogram).append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i < decisionBuckets.length; i++) {
            cumulative += decisionBuckets[i].sum();
            out.append(histogram).append("_bucket{le=\"")
                    .append(i < DECISION_BUCKETS.length ? Double.toString(DECISION_BUCKETS[i]) : "+Inf")
                    .append("\"} ").append(cumulative).append('\n');
        }
        out.append(histogram).append("_sum ").append(decisionNanos.sum() / 1e9).append('\n')
                .append(histogram).append("_count ").append(cumulative).append('\n');
        new TreeMap<>(gauges).forEach((name, value) -> {
            out.append("# HELP ").append(name).append(' ').append(gaugeHelp.get(name)).append('\n');
            out.append("# TYPE ").append(name).append(" gauge\n");
            out.append(name).append(' ').append(value.getAsInt()).append('\n');
        });
        return out.toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
