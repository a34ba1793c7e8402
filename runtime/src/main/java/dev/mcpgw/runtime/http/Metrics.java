package dev.mcpgw.runtime.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Counters in the Prometheus text format (version 0.0.4): requests by route and status, commits by
 * operation, probes by health, and gauges read when scraped. Label values come from our own route
 * templates and enums, never from request text, so the number of series stays bounded.
 */
public final class Metrics {

    private record Family(String help, Map<String, LongAdder> series) {}

    private final Map<String, Family> counters = new ConcurrentHashMap<>();
    private final Map<String, IntSupplier> gauges = new ConcurrentHashMap<>();
    private final Map<String, String> gaugeHelp = new ConcurrentHashMap<>();

    public Metrics() {
        declare("mcpgw_http_requests_total", "HTTP requests answered, by route template and status code.");
        declare("mcpgw_registry_commits_total", "Changes to the registry committed through the API, by operation.");
        declare("mcpgw_probes_total", "Probes of MCP servers made by this runtime, by resulting health.");
        declare("mcpgw_logins_total", "Sign-in attempts, by outcome.");
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
