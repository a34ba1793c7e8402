package dev.mcpgw.bench;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.StatusJson;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.runtime.auth.ApiTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runtime under load, run as {@code ./mcpgw serve} in its own process: one status change reaching many
 * WebSocket clients, the runtime's resident memory with them connected, and toggle-to-commit latency under 50
 * concurrent requests. With {@code apply}, request-to-live latency through a real nginx.
 */
final class RuntimeBench {

    private static final String SECRET = "bench-secret-key-0123456789abcdef0123";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RuntimeBench() {}

    static void run(int servers, int clients) throws Exception {
        Path work = Files.createTempDirectory("mcpgw-bench-runtime-");
        Path repo = registry(work, servers);
        String token = adminToken(repo);
        int port = freePort();
        // search aside, as the issue measures it: the embedding model alone adds about 184 MiB (BENCHMARKS.md)
        Process serve = serve(
                work,
                repo,
                port,
                List.of("--external-probe", "--no-search", "--max-clients", Integer.toString(clients + 10)));
        try {
            String base = "http://127.0.0.1:" + port;
            awaitHealthy(base);
            fanOut(base, port, clients, token);
            toggleLatency(base, token, 50, 20);
        } finally {
            serve.destroy();
            serve.waitFor(10, TimeUnit.SECONDS);
            System.out.println("runtime log: " + work.resolve("serve.log"));
        }
    }

    /** How long a status change takes to reach every client, and the runtime's memory with them connected. */
    private static void fanOut(String base, int port, int clients, String token) throws Exception {
        List<Receiver> receivers = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws/health_status");
        List<java.util.concurrent.CompletableFuture<WebSocket>> connecting = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Receiver receiver = new Receiver();
            connecting.add(HTTP.newWebSocketBuilder().buildAsync(uri, receiver));
            receivers.add(receiver);
            if (connecting.size() % 50 == 0) {
                connecting.get(connecting.size() - 1).get(30, TimeUnit.SECONDS); // a few dozen at a time
            }
        }
        for (var connection : connecting) {
            sockets.add(connection.get(30, TimeUnit.SECONDS));
        }
        // A client whose connection failed before its first message reconnects, as the site's page does.
        int reconnects = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            long greetingDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (Receiver receiver : receivers) {
                receiver.initial.await(Math.max(1, greetingDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            for (int i = 0; i < receivers.size(); i++) {
                if (receivers.get(i).initial.getCount() > 0) {
                    System.out.println("reconnecting a client: " + receivers.get(i).closed);
                    Receiver fresh = new Receiver();
                    sockets.set(
                            i, HTTP.newWebSocketBuilder().buildAsync(uri, fresh).get(10, TimeUnit.SECONDS));
                    receivers.set(i, fresh);
                    reconnects++;
                }
            }
        }
        System.out.printf(
                "%d WebSocket clients connected (%d reconnected after a failed first connection)%n",
                clients, reconnects);
        List<Double> deliveries = new ArrayList<>();
        List<Double> spreads = new ArrayList<>();
        int trials = 21;
        for (int trial = 0; trial < trials; trial++) {
            CountDownLatch all = new CountDownLatch(clients);
            receivers.forEach(receiver -> receiver.expect("\"/server-1\"", all));
            long start = System.nanoTime();
            HttpResponse<String> answer =
                    post(base + "/toggle/server-1", "{\"enabled\":" + (trial % 2 == 0 ? "false" : "true") + "}", token);
            if (answer.statusCode() != 200 || !all.await(30, TimeUnit.SECONDS)) {
                long neverGreeted =
                        receivers.stream().filter(r -> r.initial.getCount() > 0).count();
                List<String> closed = receivers.stream()
                        .filter(r -> r.closed != null)
                        .map(r -> r.closed)
                        .toList();
                throw new IllegalStateException("toggle " + answer.statusCode() + " " + answer.body()
                        + "; clients still waiting: " + all.getCount() + ", never greeted: " + neverGreeted
                        + ", closed: " + closed);
            }
            if (trial == 0) {
                continue; // warm-up
            }
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (Receiver receiver : receivers) {
                deliveries.add((receiver.arrival - start) / 1e6);
                first = Math.min(first, receiver.arrival);
                last = Math.max(last, receiver.arrival);
            }
            spreads.add((last - first) / 1e6);
        }
        Stats total =
                Stats.of(deliveries.stream().mapToDouble(Double::doubleValue).toArray());
        Stats spread =
                Stats.of(spreads.stream().mapToDouble(Double::doubleValue).toArray());
        long rss = rssOf(port);
        System.out.printf(
                "status change to %d WebSocket clients (%d changes): from the toggle request (Git commit "
                        + "included) to each client p50 %.1f ms, p99 %.1f ms; first to last client per change median "
                        + "%.1f ms, max %.1f ms%n",
                clients, trials - 1, total.median(), total.percentile(99), spread.median(), spread.max());
        System.out.printf("runtime resident memory with %d clients connected: %d MiB%n", clients, rss / 1024);
        sockets.forEach(socket -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
    }

    /** {@code concurrency} clients each toggling their own server {@code rounds} times; latency per request. */
    private static void toggleLatency(String base, String token, int concurrency, int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<List<Double>>> results = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            String server = "server-" + (101 + c);
            results.add(pool.submit(() -> {
                List<Double> latencies = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    long start = System.nanoTime();
                    HttpResponse<String> answer = post(
                            base + "/toggle/" + server, "{\"enabled\":" + (r % 2 == 0 ? "false" : "true") + "}", token);
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException(answer.statusCode() + " " + answer.body());
                    }
                    latencies.add((System.nanoTime() - start) / 1e6);
                }
                return latencies;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> result : results) {
            all.addAll(result.get());
        }
        pool.shutdown();
        Stats stats = Stats.of(all.stream().mapToDouble(Double::doubleValue).toArray());
        System.out.printf(
                "toggle to commit under %d concurrent clients (%d requests): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                concurrency, all.size(), stats.median(), stats.percentile(99), stats.max());
    }

    /** With --apply: from the toggle request until the gateway answers differently for that server. */
    static void apply(int trials) throws Exception {
        Path nginx = Path.of("/usr/sbin/nginx");
        if (!Files.isExecutable(nginx)) {
            throw new IllegalStateException("nginx is not installed: apt-get install nginx");
        }
        Path work = Files.createTempDirectory("mcpgw-bench-apply-");
        Map<String, String> files = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            files.put(
                    "servers/server-" + i + ".yaml",
                    "name: Server " + i + "\npath: /server-" + i
                            + "\nproxy_pass_url: http://127.0.0.1:9\ntransport: streamable-http\ndescription: Bench.\nenabled: false\n");
        }
        Path repo = commit(work.resolve("registry"), files);
        String token = adminToken(repo);
        int gatewayPort = freePort();
        Path prefix = work.resolve("gateway");
        int deployed = new ProcessBuilder(
                        "./mcpgw",
                        "deploy",
                        "--servers",
                        repo.resolve("servers").toString(),
                        "--prefix",
                        prefix.toString(),
                        "--listen",
                        "127.0.0.1:" + gatewayPort,
                        "--worker-processes",
                        "1",
                        "--start")
                .inheritIO()
                .start()
                .waitFor();
        if (deployed != 0) {
            throw new IllegalStateException("mcpgw deploy failed");
        }
        int port = freePort();
        Process serve = serve(work, repo, port, List.of("--external-probe", "--apply", "--prefix", prefix.toString()));
        try {
            String base = "http://127.0.0.1:" + port;
            awaitHealthy(base);
            List<Double> latencies = new ArrayList<>();
            for (int trial = 0; trial <= trials; trial++) {
                boolean enable = trial % 2 == 0;
                int wanted = enable ? 502 : 503; // an enabled server whose upstream is down answers 502
                long start = System.nanoTime();
                HttpResponse<String> answer = post(base + "/toggle/server-1", "{\"enabled\":" + enable + "}", token);
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException(answer.statusCode() + " " + answer.body());
                }
                while (gatewayStatus(gatewayPort) != wanted) {
                    if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(30)) {
                        throw new IllegalStateException("the gateway never answered " + wanted);
                    }
                    Thread.sleep(2);
                }
                if (trial > 0) {
                    latencies.add((System.nanoTime() - start) / 1e6);
                }
            }
            Stats stats =
                    Stats.of(latencies.stream().mapToDouble(Double::doubleValue).toArray());
            System.out.printf(
                    "--apply, toggle request to live in nginx (%d toggles): median %.0f ms, p90 %.0f ms, max %.0f ms%n",
                    latencies.size(), stats.median(), stats.percentile(90), stats.max());
        } finally {
            serve.destroy();
            serve.waitFor(10, TimeUnit.SECONDS);
            new ProcessBuilder(
                            nginx.toString(),
                            "-p",
                            prefix + "/",
                            "-c",
                            prefix.resolve("nginx.conf").toString(),
                            "-s",
                            "stop")
                    .inheritIO()
                    .start()
                    .waitFor();
            Registries.delete(work);
        }
    }

    private static int gatewayStatus(int port) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/server-1/mcp"))
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** A registry of {@code servers} generated entries, with a status branch holding ten tools per server. */
    static Path registry(Path work, int servers) throws Exception {
        Path generated = Registries.generate(servers);
        Map<String, String> files = new HashMap<>();
        try (var listing = Files.list(generated)) {
            for (Path file : listing.toList()) {
                files.put("servers/" + file.getFileName(), Files.readString(file));
            }
        }
        Registries.delete(generated);
        Path repo = commit(work.resolve("registry"), files);
        try (GitStore store = GitStore.open(repo)) {
            Map<String, byte[]> statuses = new HashMap<>();
            Instant now = Instant.now();
            for (int i = 0; i < servers; i++) {
                List<ToolInfo> tools = new ArrayList<>();
                for (int t = 0; t < 10; t++) {
                    tools.add(new ToolInfo(
                            "tool_" + t,
                            "Looks up record " + t + " of domain " + i + " and reports it.",
                            JsonMapper.shared()
                                    .readTree("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}}}")));
                }
                ServerStatus status = ServerStatus.builder("server-" + i, Health.HEALTHY, now)
                        .latencyMs(12L)
                        .serverInfo("Server " + i, "1.0.0")
                        .protocolVersion("2025-11-25")
                        .observedRevision(store.tip("main").orElseThrow().name())
                        .tools(tools, false)
                        .build();
                statuses.put(StatusJson.path(status.id()), StatusJson.write(status));
            }
            store.commit(
                    "status", snapshot -> new GitStore.Change(statuses, "bench status"), new PersonIdent("b", "b@b"));
        }
        return repo;
    }

    static Path commit(Path repo, Map<String, String> files) throws Exception {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = repo.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        try (Git git =
                Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("bench")
                    .setAuthor("b", "b@b")
                    .setCommitter("b", "b@b")
                    .call();
        }
        return repo;
    }

    static String adminToken(Path repo) throws IOException {
        try (GitStore store = GitStore.open(repo)) {
            return new ApiTokens(store, "tokens", null, Clock.systemUTC())
                    .create("bench", Set.of("admins"), Duration.ofHours(2), null, new PersonIdent("b", "b@b"))
                    .token();
        }
    }

    static Process serve(Path work, Path repo, int port, List<String> extra) throws IOException {
        // The bench's gateway runs on this machine: trusted for forwarded headers and the access check.
        List<String> command = new ArrayList<>(List.of(
                "./mcpgw",
                "serve",
                "--repo",
                repo.toString(),
                "--listen",
                "127.0.0.1:" + port,
                "--trusted-proxy",
                "127.0.0.1"));
        command.addAll(extra);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("serve.log").toFile());
        builder.environment().put("SECRET_KEY", SECRET);
        builder.environment().put("ADMIN_PASSWORD", "bench-password");
        return builder.start();
    }

    static void awaitHealthy(String base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(
                                        HttpRequest.newBuilder(URI.create(base + "/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the runtime did not start; see its serve.log");
    }

    private static HttpResponse<String> post(String url, String json, String token) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The process listening on {@code port}: the runtime's JVM (the launcher script's child). */
    static long pidOf(int port) throws Exception {
        Process lsof = new ProcessBuilder(
                        "sh",
                        "-c",
                        "ss -ltnpH 'sport = :" + port + "' | sed -n 's/.*pid=\\([0-9]*\\).*/\\1/p' | head -1")
                .redirectErrorStream(true)
                .start();
        String pid = new String(lsof.getInputStream().readAllBytes()).strip();
        lsof.waitFor();
        return Long.parseLong(pid);
    }

    /** The resident memory (KiB) of the process listening on {@code port}: the runtime's JVM. */
    private static long rssOf(int port) throws Exception {
        long pid = pidOf(port);
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Records when the message it waits for arrives. */
    private static final class Receiver implements WebSocket.Listener {
        final CountDownLatch initial = new CountDownLatch(1);
        private final StringBuilder partial = new StringBuilder();
        private volatile String awaited;
        private volatile CountDownLatch done;
        volatile long arrival;
        volatile String closed;

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed = statusCode + " " + reason;
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed = "error " + error + ": " + error.getMessage();
        }

        void expect(String fragment, CountDownLatch latch) {
            done = latch;
            awaited = fragment;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.nanoTime();
                String message = partial.toString();
                partial.setLength(0);
                initial.countDown();
                String fragment = awaited;
                if (fragment != null && message.contains(fragment)) {
                    awaited = null;
                    arrival = now;
                    done.countDown();
                }
            }
            socket.request(1);
            return null;
        }
    }
}
