package dev.mcpgw.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live website under change, run as {@code ./mcpgw serve --site} in its own process: {@code pages} open pages
 * follow {@code WS /ws/registry} exactly as the site's script does (a card whose version moved is fetched again
 * from {@code /site/cards/<id>}), while one server's description is edited through the API {@code changes} times.
 * Reports change-to-page latency (from sending the edit to every page holding the new card), the bytes each page
 * received per change, and the runtime's CPU per change (its process's CPU time during the changes, less what it
 * spends idle over the same time).
 */
final class LiveSiteBench {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final long TICK_NANOS = 10_000_000L; // /proc/<pid>/stat counts in 1/100 s

    private LiveSiteBench() {}

    static void run(int servers, int pages, int changes) throws Exception {
        Path work = Files.createTempDirectory("mcpgw-bench-live-");
        Path repo = RuntimeBench.registry(work, servers);
        String token = RuntimeBench.adminToken(repo);
        Path site = Files.createDirectories(work.resolve("site"));
        int port = RuntimeBench.freePort();
        Process serve = RuntimeBench.serve(
                work,
                repo,
                port,
                List.of(
                        "--site",
                        site.toString(),
                        "--external-probe",
                        "--no-search",
                        "--max-clients",
                        Integer.toString(pages + 10)));
        try {
            String base = "http://127.0.0.1:" + port;
            RuntimeBench.awaitHealthy(base);
            long pid = RuntimeBench.pidOf(port);
            // The statuses come from the status branch a moment after start: measure once they are in.
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); ; Thread.sleep(200)) {
                String card = HTTP.send(
                                HttpRequest.newBuilder(URI.create(base + "/site/cards/server-1"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                if (card.contains("healthy") || System.nanoTime() > until) {
                    break;
                }
            }
            List<Page> open = new ArrayList<>();
            for (int i = 0; i < pages; i++) {
                Page page = new Page(base);
                HTTP.newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/registry"), page)
                        .get(30, TimeUnit.SECONDS);
                open.add(page);
            }
            for (Page page : open) {
                page.ready.await(60, TimeUnit.SECONDS);
            }
            String target = "server-" + (servers / 2);
            int warmUp = Integer.getInteger("bench.warmup", 200);
            for (int i = 0; i < warmUp; i++) { // warm-up: the JIT compiles the paths a change takes
                change(base, token, target, "warm-up " + i, open);
            }
            Thread.sleep(5000); // what the runtime does after start (compiling, collecting) settles
            long idleStart = System.nanoTime();
            long idleCpu = cpuNanos(pid);
            Thread.sleep(5000);
            double idleRate = (cpuNanos(pid) - idleCpu) / (double) (System.nanoTime() - idleStart);

            List<Double> latencies = new ArrayList<>();
            long bytesBefore = open.stream().mapToLong(page -> page.bytes.get()).sum();
            long cpuBefore = cpuNanos(pid);
            long systemBefore = systemNanos(pid);
            long wallBefore = System.nanoTime();
            for (int i = 0; i < changes; i++) {
                latencies.addAll(change(base, token, target, "bench change " + i, open));
            }
            long wall = System.nanoTime() - wallBefore;
            double cpuPerChange = (cpuNanos(pid) - cpuBefore - idleRate * wall) / changes / 1e6;
            double systemPerChange = (systemNanos(pid) - systemBefore) / (double) changes / 1e6;
            double bytesPerPage =
                    (open.stream().mapToLong(page -> page.bytes.get()).sum() - bytesBefore) / (double) changes / pages;
            Stats stats =
                    Stats.of(latencies.stream().mapToDouble(Double::doubleValue).toArray());
            System.out.printf(
                    "%,d servers, %d open pages, %d changes: change-to-page p50 %.1f ms, p99 %.1f ms "
                            + "(min %.1f, max %.1f); runtime CPU per change %.1f ms (%.1f ms of it in the kernel; idle %.1f%% of a core taken off); "
                            + "%.0f bytes per page per change%n",
                    servers,
                    pages,
                    changes,
                    stats.median(),
                    stats.percentile(99),
                    stats.min(),
                    stats.max(),
                    cpuPerChange,
                    systemPerChange,
                    idleRate * 100,
                    bytesPerPage);
            open.forEach(Page::close);
        } finally {
            serve.destroy();
            serve.waitFor(10, TimeUnit.SECONDS);
            Registries.delete(work);
        }
    }

    /** Edits {@code id}'s description to {@code text}; the milliseconds until each page held the new card. */
    private static List<Double> change(String base, String token, String id, String text, List<Page> pages)
            throws Exception {
        pages.forEach(page -> page.await(id, text));
        long start = System.nanoTime();
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/edit/" + id))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("description", text))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("edit answered " + answer.statusCode() + ": " + answer.body());
        }
        List<Double> latencies = new ArrayList<>();
        for (Page page : pages) {
            long arrived = page.arrival(Duration.ofSeconds(20));
            latencies.add((arrived - start) / 1e6);
        }
        return latencies;
    }

    /** The CPU time the process has used so far (user and system), in nanoseconds. */
    private static long cpuNanos(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS; // utime, stime
    }

    /** The CPU time the process has spent in the kernel so far, in nanoseconds. */
    private static long systemNanos(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[12]) * TICK_NANOS;
    }

    /** One open page, doing what site.js does: follow the feed, fetch a card whose version moved. */
    private static final class Page implements WebSocket.Listener {
        final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        final AtomicLong bytes = new AtomicLong();
        private final String base;
        private final Map<String, Long> versions = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;
        private volatile String awaitedId;
        private volatile String awaitedText;
        private volatile java.util.concurrent.CompletableFuture<Long> arrived =
                new java.util.concurrent.CompletableFuture<>();

        Page(String base) {
            this.base = base;
        }

        void await(String id, String text) {
            arrived = new java.util.concurrent.CompletableFuture<>();
            awaitedId = id;
            awaitedText = text;
        }

        long arrival(Duration timeout) throws Exception {
            return arrived.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                bytes.addAndGet(message.length());
                handle(JSON.readTree(message));
            }
            webSocket.request(1);
            return null;
        }

        private void handle(JsonNode message) {
            boolean state = message.path("type").asString("").equals("state");
            for (Map.Entry<String, JsonNode> server : message.path("servers").properties()) {
                long version = server.getValue().path("version").asLong(0);
                Long known = versions.put(server.getKey(), version);
                if (!state && (known == null || version > known)) {
                    fetchCard(server.getKey());
                }
            }
            if (state) {
                ready.countDown();
            }
        }

        private void fetchCard(String id) {
            HTTP.sendAsync(
                            HttpRequest.newBuilder(URI.create(base + "/site/cards/" + id))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .thenAccept(card -> {
                        bytes.addAndGet(card.body().length());
                        if (id.equals(awaitedId) && card.body().contains(awaitedText)) {
                            arrived.complete(System.nanoTime());
                        }
                    });
        }

        void close() {
            if (socket != null) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            }
        }
    }
}
