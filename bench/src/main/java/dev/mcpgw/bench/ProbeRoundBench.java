package dev.mcpgw.bench;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.examples.CurrentTime;
import dev.mcpgw.examples.McpHttpServer;
import dev.mcpgw.probe.ProbeAgent;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.jgit.api.Git;

/**
 * Probe rounds over many registered healthy servers: one MCP server process (the currenttime example) answers
 * on {@code /s<N>/mcp} for every N, each registered as its own entry in a real Git repository. Prints each
 * round's wall time, whether it committed, heap after the rounds and the process's peak resident memory.
 */
final class ProbeRoundBench {

    private static final int ROUNDS = 4;

    private ProbeRoundBench() {}

    static void run(int servers, int concurrency) throws Exception {
        Path work = Files.createTempDirectory("mcpgw-bench-probe-");
        try (McpHttpServer upstream = McpHttpServer.start(
                CurrentTime.definition(Clock.systemUTC(), null),
                McpHttpServer.Transport.STREAMABLE_HTTP,
                "127.0.0.1",
                0)) {
            Path repo = work.resolve("registry");
            Files.createDirectories(repo.resolve("servers"));
            for (int i = 0; i < servers; i++) {
                Files.writeString(
                        repo.resolve("servers/s" + i + ".yaml"),
                        "name: Server " + i + "\npath: /s" + i
                                + "\nproxy_pass_url: http://127.0.0.1:" + upstream.port() + "/s" + i
                                + "\ntransport: streamable-http\ndescription: Benchmark server " + i + ".\n");
            }
            try (Git git = Git.init()
                    .setDirectory(repo.toFile())
                    .setInitialBranch("main")
                    .call()) {
                git.add().addFilepattern("servers").call();
                git.commit()
                        .setMessage("servers")
                        .setAuthor("bench", "bench@example.com")
                        .setCommitter("bench", "bench@example.com")
                        .call();
            }
            System.out.printf(
                    "%,d servers, concurrency %d, timeout 10 s%n| round | seconds | healthy | committed |%n"
                            + "|---|---|---|---|%n",
                    servers, concurrency);
            double[] seconds = new double[ROUNDS];
            try (GitStore store = GitStore.open(repo);
                    ProbeAgent agent = new ProbeAgent(
                            store,
                            new ProbeAgent.Settings(
                                    "main",
                                    "status",
                                    concurrency,
                                    Duration.ofSeconds(10),
                                    Duration.ZERO,
                                    null,
                                    dev.mcpgw.core.model.EgressPolicy.UNCHECKED),
                            RegistryValidator.create(),
                            Clock.systemUTC())) {
                for (int round = 0; round < ROUNDS; round++) {
                    long start = System.nanoTime();
                    ProbeAgent.Round result = agent.runRound();
                    seconds[round] = (System.nanoTime() - start) / 1e9;
                    long healthy = result.observed().stream()
                            .filter(s -> s.health() == Health.HEALTHY)
                            .count();
                    System.out.printf(
                            "| %d | %.2f | %d | %s |%n",
                            round + 1, seconds[round], healthy, result.written().committed());
                }
            }
            Stats stats = Stats.of(seconds);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf(
                    "%nmedian round %.2f s (min %.2f, max %.2f); heap in use after the rounds %d MiB; "
                            + "peak resident memory of the process (probe, upstream and Git together) %s%n",
                    stats.median(), stats.min(), stats.max(), heap / (1024 * 1024), peakResident());
        } finally {
            Registries.delete(work);
        }
    }

    private static String peakResident() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return line.substring("VmHWM:".length()).strip();
            }
        }
        return "unknown";
    }
}
