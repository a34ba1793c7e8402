package dev.mcpgw.bench;

import dev.mcpgw.compiler.GatewayCompiler;
import dev.mcpgw.compiler.GatewaySettings;
import dev.mcpgw.compiler.Nginx;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.examples.CurrentTime;
import dev.mcpgw.examples.McpHttpServer;
import dev.mcpgw.runtime.auth.ApiTokens;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The same MCP load, direct to an upstream and through the compiled gateway, in one run: 50 concurrent
 * sessions (MCP Java SDK clients over Streamable HTTP) each calling {@code current_time} in a loop.
 * After discarded passes of each, rounds alternate direct / gateway so drift on a noisy machine hits both;
 * medians over rounds are reported.
 *
 * <p>With access checks ({@link Access#SERVER}: access.yaml grants the whole server; {@link Access#TOOLS}: it
 * names the tool, so every body is checked and every tools/list filtered) a runtime ({@code ./mcpgw serve})
 * answers the gateway's checks, and the check's own latency is measured afterwards, straight at the runtime.
 *
 * <p>{@link Arrangement#SHARED}: the load, nginx (and the runtime) compete for the same cores, so the gateway's CPU is
 * taken from the MCP work being measured. {@link Arrangement#ISOLATED}: this JVM (clients and upstream) runs on a
 * fixed budget of all cores but half a core, in both paths, and the gateway's processes outside it, as when the
 * gateway runs on machines of its own.
 */
final class GatewayOverhead {

    private static final int SESSIONS = 50;
    private static final int ROUNDS = 5;
    private static final int DISCARDED_PASSES = 2;
    private static final Duration WARM_UP = Duration.ofSeconds(3);

    /** Whether this run speaks 2026-07-28 (set by {@link #run}). */
    private static boolean era;

    private GatewayOverhead() {}

    /** @param proxyCpuMicrosPerCall CPU the gateway's nginx processes spent per call (0 for direct runs) */
    record Measurement(double callsPerSecond, double p50Millis, double p99Millis, double proxyCpuMicrosPerCall) {}

    /** Who the gateway lets through: everyone, or what access.yaml grants (the whole server, or named tools). */
    enum Access {
        OPEN(null),
        SERVER("\"*\""),
        TOOLS("[" + CurrentTime.TOOL + "]");

        private final String grant;

        Access(String grant) {
            this.grant = grant;
        }
    }

    /** Whether the gateway shares the load's CPUs or runs beside a fixed CPU budget for the load. */
    enum Arrangement {
        SHARED,
        ISOLATED
    }

    /**
     * @param modern the calls in MCP 2026-07-28's stateless form (each POST self-describing, no session) instead of
     *               2025 sessions opened by the MCP Java SDK's client
     */
    static void run(int seconds, String workerProcesses, Access access, Arrangement arrangement, boolean modern)
            throws Exception {
        era = modern;
        Path work = Files.createTempDirectory("mcpgw-bench-gateway-");
        Process runtime = null;
        try (McpHttpServer upstream = McpHttpServer.start(
                CurrentTime.definition(Clock.systemUTC(), null),
                McpHttpServer.Transport.STREAMABLE_HTTP,
                "127.0.0.1",
                0)) {
            Path repo = work.resolve("registry");
            Map<String, String> files = new java.util.HashMap<>(Map.of(
                    "servers/time.yaml",
                    "name: Time\npath: /time\n"
                            + "proxy_pass_url: http://127.0.0.1:" + upstream.port() + "\ntransport: streamable-http\n"
                            + "description: Benchmark upstream.\n"));
            if (access != Access.OPEN) {
                files.put(
                        "access.yaml", "groups:\n  bench:\n    servers:\n      time: {tools: " + access.grant + "}\n");
            }
            RuntimeBench.commit(repo, files);
            int port = RuntimeBench.freePort();
            GatewaySettings settings = GatewaySettings.defaults()
                    .withListen(new HostPort("127.0.0.1", port))
                    .withWorkerProcesses(workerProcesses);
            String token = null;
            String runtimeUrl = null;
            if (access != Access.OPEN) {
                try (GitStore store = GitStore.open(repo)) {
                    token = new ApiTokens(store, "tokens", null, Clock.systemUTC())
                            .create("bench", Set.of("bench"), Duration.ofHours(2), null, new PersonIdent("b", "b@b"))
                            .token();
                }
                int runtimePort = RuntimeBench.freePort();
                runtimeUrl = "http://127.0.0.1:" + runtimePort;
                runtime = RuntimeBench.serve(work, repo, runtimePort, List.of("--no-search"));
                RuntimeBench.awaitHealthy(runtimeUrl);
                settings = settings.withRuntime(UpstreamUrl.parse(runtimeUrl)).withAuth(true);
            }
            GatewayCompiler.Result compiled = new GatewayCompiler(RegistryValidator.create())
                    .compile(repo.resolve("servers"), "servers", settings);
            if (!compiled.ok()) {
                throw new IllegalStateException(compiled.problems().toString());
            }
            Nginx nginx = new Nginx(Nginx.DEFAULT_BINARY, work.resolve("gateway"));
            nginx.preparePrefix();
            Path config = Files.writeString(nginx.prefix().resolve("nginx.conf"), compiled.config());
            Process gateway = nginx.startForeground(config, port);
            CpuBudget budget = null;
            try {
                if (arrangement == Arrangement.ISOLATED) {
                    double loadCpus = Runtime.getRuntime().availableProcessors() - 0.5;
                    budget = CpuBudget.create("mcpgw-bench-load", loadCpus);
                    budget.confine(ProcessHandle.current()); // nginx and the runtime, already started, stay outside
                    System.out.printf(
                            "isolated: clients and upstream limited to %.1f CPUs, the gateway outside%n", loadCpus);
                }
                String direct = "http://127.0.0.1:" + upstream.port();
                String viaGateway = "http://127.0.0.1:" + port;
                List<Measurement> directRuns = new ArrayList<>();
                List<Measurement> gatewayRuns = new ArrayList<>();
                System.out.printf(
                        "nginx worker_processes %s, access %s; %d sessions, %d s measured per run after %d s "
                                + "warm-up%n| round | path | calls/s | p50 ms | p99 ms | nginx CPU µs/call |%n"
                                + "|---|---|---|---|---|---|%n",
                        workerProcesses, access, SESSIONS, seconds, WARM_UP.toSeconds());
                // Discarded passes first: the JIT (client, upstream) settles before anything is counted (with one,
                // the first measured round of both paths was still 20-50% slow).
                for (int pass = 0; pass < DISCARDED_PASSES; pass++) {
                    measure(direct, "/mcp", seconds, null, null);
                    measure(viaGateway, "/time/mcp", seconds, gateway.toHandle(), token);
                }
                for (int round = 1; round <= ROUNDS; round++) {
                    Measurement d = measure(direct, "/mcp", seconds, null, null);
                    print(round, "direct", d);
                    directRuns.add(d);
                    Measurement g = measure(viaGateway, "/time/mcp", seconds, gateway.toHandle(), token);
                    print(round, "gateway", g);
                    gatewayRuns.add(g);
                }
                double directThroughput = median(directRuns.stream()
                        .mapToDouble(Measurement::callsPerSecond)
                        .toArray());
                double gatewayThroughput = median(gatewayRuns.stream()
                        .mapToDouble(Measurement::callsPerSecond)
                        .toArray());
                System.out.printf(
                        "%nmedian throughput: direct %.0f calls/s, gateway %.0f calls/s, ratio %.3f%n",
                        directThroughput, gatewayThroughput, gatewayThroughput / directThroughput);
                System.out.printf(
                        "added latency (median over rounds): p50 %+.2f ms, p99 %+.2f ms%n",
                        median(gatewayRuns.stream()
                                        .mapToDouble(Measurement::p50Millis)
                                        .toArray())
                                - median(directRuns.stream()
                                        .mapToDouble(Measurement::p50Millis)
                                        .toArray()),
                        median(gatewayRuns.stream()
                                        .mapToDouble(Measurement::p99Millis)
                                        .toArray())
                                - median(directRuns.stream()
                                        .mapToDouble(Measurement::p99Millis)
                                        .toArray()));
                System.out.printf(
                        "nginx CPU per proxied call (median over rounds): %.0f µs%n",
                        median(gatewayRuns.stream()
                                .mapToDouble(Measurement::proxyCpuMicrosPerCall)
                                .toArray()));
                if (runtimeUrl != null) {
                    accessCheckLatency(runtimeUrl, token);
                }
                if (budget != null) {
                    System.out.println("load CPU budget: " + budget.throttling());
                }
            } finally {
                gateway.destroy();
                gateway.waitFor();
                if (budget != null) {
                    budget.close();
                }
            }
        } finally {
            if (runtime != null) {
                runtime.destroy();
                runtime.waitFor();
            }
            Registries.delete(work);
        }
    }

    /**
     * The access check as nginx asks it (a tools/call body, the caller's token), straight at the runtime from 4
     * threads: the round trip bounds the decision's own time from above.
     */
    private static void accessCheckLatency(String runtimeUrl, String token) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
        java.net.http.HttpRequest check = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(runtimeUrl + "/auth/check"))
                .header("Authorization", "Bearer " + token)
                .header("X-Mcpgw-Server", "time")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":3,"
                        + "\"method\":\"tools/call\",\"params\":{\"name\":\"" + CurrentTime.TOOL
                        + "\",\"arguments\":{\"timezone\":\"UTC\"}}}"))
                .build();
        int threads = 4;
        int perThread = 5_000;
        double[][] took = new double[threads][perThread];
        for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT and is discarded
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                double[] mine = took[t];
                Thread worker = new Thread(() -> {
                    try {
                        for (int i = 0; i < perThread; i++) {
                            long begin = System.nanoTime();
                            int status = http.send(check, java.net.http.HttpResponse.BodyHandlers.discarding())
                                    .statusCode();
                            mine[i] = (System.nanoTime() - begin) / 1e6;
                            if (status != 200) {
                                throw new IllegalStateException("the access check answered " + status);
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                worker.start();
                workers.add(worker);
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        Stats stats = Stats.of(java.util.Arrays.stream(took)
                .flatMapToDouble(java.util.Arrays::stream)
                .toArray());
        System.out.printf(
                "access check round trip (%d checks, %d threads): p50 %.2f ms, p99 %.2f ms%n",
                threads * perThread, threads, stats.percentile(50), stats.percentile(99));
        String metrics = http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(runtimeUrl + "/metrics"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        System.out.println("access decisions inside the runtime, over the whole run (cumulative buckets):");
        metrics.lines()
                .filter(line -> line.startsWith("mcpgw_access_decision_seconds"))
                .forEach(line -> System.out.println("  " + line));
    }

    private static void print(int round, String path, Measurement m) {
        System.out.printf(
                "| %d | %s | %.0f | %.2f | %.2f | %s |%n",
                round,
                path,
                m.callsPerSecond(),
                m.p50Millis(),
                m.p99Millis(),
                m.proxyCpuMicrosPerCall() == 0 ? "-" : String.format("%.0f", m.proxyCpuMicrosPerCall()));
    }

    /** Opens {@link #SESSIONS} sessions, warms up, then counts calls and latencies for {@code seconds}. */
    private static Measurement measure(String base, String endpoint, int seconds, ProcessHandle proxy, String token)
            throws Exception {
        if (era) {
            return measureStateless(base + endpoint, seconds, proxy, token);
        }
        List<McpSyncClient> clients = new ArrayList<>();
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < SESSIONS; i++) {
            McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(base)
                            .endpoint(endpoint)
                            .requestBuilder(request)
                            .build())
                    .requestTimeout(Duration.ofSeconds(30))
                    .clientInfo(McpSchema.Implementation.builder("bench", "1.0").build())
                    .build();
            client.initialize();
            clients.add(client);
        }
        McpSchema.CallToolRequest call = McpSchema.CallToolRequest.builder(CurrentTime.TOOL)
                .arguments(Map.of("timezone", "UTC"))
                .build();
        List<Call> sessions = new ArrayList<>();
        for (McpSyncClient client : clients) {
            sessions.add(() -> client.callTool(call));
        }
        Measurement measured = drive(sessions, seconds, proxy);
        clients.forEach(McpSyncClient::closeGracefully);
        return measured;
    }

    /** As {@link #measure}, each session a loop of 2026-07-28 tools/call POSTs (stateless: no session to open). */
    private static Measurement measureStateless(String url, int seconds, ProcessHandle proxy, String token)
            throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .executor(pool)
                .build();
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\""
                + CurrentTime.TOOL + "\",\"arguments\":{\"timezone\":\"UTC\"},\"_meta\":{"
                + "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2026-07-28")
                .header("Mcp-Method", "tools/call")
                .header("Mcp-Name", CurrentTime.TOOL)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        java.net.http.HttpRequest request = builder.build();
        java.net.http.HttpResponse<String> first =
                http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        if (first.statusCode() != 200 || !first.body().contains("\"result\"")) {
            throw new IllegalStateException(
                    "a 2026 call to " + url + " answered " + first.statusCode() + ": " + first.body());
        }
        List<Call> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            sessions.add(() -> {
                java.net.http.HttpResponse<String> answer =
                        http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("answered " + answer.statusCode());
                }
            });
        }
        Measurement measured = drive(sessions, seconds, proxy);
        pool.shutdown();
        return measured;
    }

    /** One call of a session, as the load makes it. */
    private interface Call {
        void call() throws Exception;
    }

    /**
     * Runs every session's calls in a loop on its own thread, warms up, then counts calls and their latencies for
     * {@code seconds}, and the CPU the gateway's nginx processes ({@code proxy}, or null) spent meanwhile.
     */
    private static Measurement drive(List<Call> sessions, int seconds, ProcessHandle proxy) throws Exception {
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        CyclicBarrier start = new CyclicBarrier(sessions.size() + 1);
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[sessions.size()];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            long[] mine = new long[1 << 20];
            latencies.add(mine);
            int index = i;
            Call session = sessions.get(i);
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    while (!stop.get()) {
                        long begin = System.nanoTime();
                        session.call();
                        long took = System.nanoTime() - begin;
                        if (measuring.get() && counts[index] < mine.length) {
                            mine[counts[index]++] = took;
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.await();
        Thread.sleep(WARM_UP.toMillis());
        measuring.set(true);
        long begin = System.nanoTime();
        long proxyCpuBefore = cpuNanos(proxy);
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long proxyCpu = cpuNanos(proxy) - proxyCpuBefore;
        double elapsed = (System.nanoTime() - begin) / 1e9;
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        return summary(latencies, counts, elapsed, proxyCpu, proxy);
    }

    private static Measurement summary(
            List<long[]> latencies, int[] counts, double elapsed, long proxyCpu, ProcessHandle proxy) {
        int total = 0;
        for (int count : counts) {
            total += count;
        }
        double[] all = new double[total];
        int at = 0;
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts[i]; j++) {
                all[at++] = latencies.get(i)[j] / 1e6;
            }
        }
        Stats stats = Stats.of(all);
        return new Measurement(
                total / elapsed,
                stats.percentile(50),
                stats.percentile(99),
                proxy == null ? 0 : proxyCpu / 1e3 / total);
    }

    /** CPU time of a process and all its descendants (nginx master and workers). */
    private static long cpuNanos(ProcessHandle process) {
        if (process == null) {
            return 0;
        }
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(process), process.descendants())
                .mapToLong(
                        p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .sum();
    }

    private static double median(double[] values) {
        return Stats.of(values).median();
    }
}
