package dev.mcpgw.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How long {@code ./mcpgw up} takes, from the command to a serving stack: the website, the gateway's health and
 * an MCP initialize through the gateway to the currenttime example all answer 200. Each run starts from an
 * empty state folder (a new registry repository, site and nginx prefix) with the repository's servers/.
 */
final class UpBench {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private UpBench() {}

    static void run(int runs) throws Exception {
        List<Double> seconds = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            Path state = Files.createTempDirectory("mcpgw-bench-up-");
            long begin = System.nanoTime();
            Process up = new ProcessBuilder("./mcpgw", "up", "--state", state.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(state.resolve("up.out").toFile())
                    .start();
            try {
                awaitServing(up, state);
                double took = (System.nanoTime() - begin) / 1e9;
                seconds.add(took);
                System.out.printf("run %d: serving after %.2f s%n", run, took);
            } finally {
                up.destroy();
                up.waitFor(30, TimeUnit.SECONDS);
                Registries.delete(state);
            }
        }
        Stats stats = Stats.of(seconds.stream().mapToDouble(Double::doubleValue).toArray());
        System.out.printf(
                "median %.2f s over %d runs (min %.2f, max %.2f)%n", stats.median(), runs, stats.min(), stats.max());
    }

    private static void awaitServing(Process up, Path state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        HttpRequest website =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/")).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/health"))
                .build();
        HttpRequest initialize = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/currenttime/mcp"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                        + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                        + "\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}"))
                .build();
        while (System.nanoTime() < deadline) {
            if (!up.isAlive()) {
                throw new IllegalStateException("up exited: " + Files.readString(state.resolve("up.out")));
            }
            if (ok(website) && ok(health) && ok(initialize)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("up was not serving after 120 s: " + Files.readString(state.resolve("up.out")));
    }

    private static boolean ok(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }
}
