package dev.mcpgw.bench;

import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.ToolInfo;
import dev.mcpgw.site.SiteGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders the website for 10,000 servers with 20 tools each (after one warm-up render), and reports the
 * weight of the index page for 1,000 servers.
 */
final class SiteBench {

    private SiteBench() {}

    static void run(int runs) throws Exception {
        Path work = Files.createTempDirectory("mcpgw-bench-site-");
        try {
            Fleet big = fleet(10_000);
            Fleet small = fleet(1_000);
            SiteGenerator generator = new SiteGenerator();
            SiteGenerator.Settings settings = new SiteGenerator.Settings("https://gateway.example.com", Instant.now());
            generator.generate(big.entries, big.statuses, settings, work.resolve("warm-up"));
            double[] seconds = new double[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                generator.generate(big.entries, big.statuses, settings, work.resolve("run-" + i));
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
            generator.generate(small.entries, small.statuses, settings, work.resolve("small"));
            Stats stats = Stats.of(seconds);
            long index = Files.size(work.resolve("small/index.html"));
            long gzip = gzipSize(work.resolve("small/index.html"));
            System.out.printf(
                    "10,000 servers x 20 tools: median %.2f s (min %.2f, max %.2f, %d runs after a warm-up)%n"
                            + "index.html for 1,000 servers: %,d bytes (%,d gzipped); assets %,d bytes%n",
                    stats.median(),
                    stats.min(),
                    stats.max(),
                    runs,
                    index,
                    gzip,
                    Files.size(work.resolve("small/assets/site.css"))
                            + Files.size(work.resolve("small/assets/site.js")));
        } finally {
            Registries.delete(work);
        }
    }

    private record Fleet(List<ServerEntry> entries, Map<String, ServerStatus> statuses) {}

    private static Fleet fleet(int size) {
        JsonNode schema = JsonMapper.shared()
                .readTree("{\"type\":\"object\",\"required\":[\"query\"],\"properties\":"
                        + "{\"query\":{\"type\":\"string\",\"description\":\"What to look up\"},"
                        + "\"limit\":{\"type\":\"integer\",\"description\":\"Most results to return\"}}}");
        List<ServerEntry> entries = new ArrayList<>();
        Map<String, ServerStatus> statuses = new HashMap<>();
        for (int i = 0; i < size; i++) {
            String id = "server-" + i;
            entries.add(ServerEntry.builder(
                            new ServerId(id),
                            "Server " + i,
                            "Tools for domain " + i + ": lookups, reports and updates for the team that owns it.",
                            UpstreamUrl.parse("http://10.0.0.1:8080"),
                            i % 3 == 0 ? Transport.SSE : Transport.STREAMABLE_HTTP)
                    .enabled(i % 10 != 0)
                    .tags(List.of("team-" + i % 40, "tools"))
                    .license("MIT")
                    .version("1.0.0")
                    .build());
            List<ToolInfo> tools = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                tools.add(new ToolInfo("tool_" + t + "_of_" + i, "Does task " + t + " for domain " + i + ".", schema));
            }
            statuses.put(
                    id,
                    ServerStatus.builder(id, Health.HEALTHY, Instant.now())
                            .latencyMs(5L)
                            .serverInfo(id, "1")
                            .protocolVersion("2025-11-25")
                            .observedRevision("rev")
                            .tools(tools, false)
                            .build());
        }
        return new Fleet(entries, statuses);
    }

    private static long gzipSize(Path file) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bytes)) {
            gzip.write(Files.readAllBytes(file));
        }
        return bytes.size();
    }
}
