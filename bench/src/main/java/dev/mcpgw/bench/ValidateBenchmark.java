package dev.mcpgw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Times {@code ./mcpgw validate} end to end, JVM start included, on generated registries of 1,000 and
 * 10,000 entries: one warm-up run (file cache, CDS), then {@code runs} timed runs each; prints medians and
 * the 10k/1k ratio as a Markdown table for BENCHMARKS.md.
 *
 * <p>Run from the repository root after {@code mvn -B -q package -DskipTests}:
 * {@code java -cp bench/target/classes dev.mcpgw.bench.ValidateBenchmark [runs]}
 */
public final class ValidateBenchmark {

    private static final int[] SIZES = {1_000, 10_000};

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path launcher = Path.of("mcpgw").toAbsolutePath();
        if (!Files.isExecutable(launcher) || !Files.exists(Path.of("cli", "target", "mcpgw.jar"))) {
            System.err.println("Run from the repository root after: mvn -B -q package -DskipTests");
            System.exit(2);
        }
        List<double[]> results = new ArrayList<>();
        for (int size : SIZES) {
            Path registry = generate(size);
            try {
                time(launcher, registry); // warm-up
                double[] seconds = new double[runs];
                for (int i = 0; i < runs; i++) {
                    seconds[i] = time(launcher, registry);
                }
                results.add(seconds);
            } finally {
                delete(registry);
            }
        }
        System.out.printf("| entries | median s | min s | max s | runs |%n|---|---|---|---|---|%n");
        for (int i = 0; i < SIZES.length; i++) {
            double[] s = results.get(i).clone();
            java.util.Arrays.sort(s);
            System.out.printf("| %,d | %.3f | %.3f | %.3f | %d |%n", SIZES[i], median(s), s[0], s[s.length - 1], runs);
        }
        System.out.printf("%nratio 10,000 / 1,000 (medians): %.2f%n",
                median(sorted(results.get(1))) / median(sorted(results.get(0))));
    }

    private static double time(Path launcher, Path registry) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(launcher.toString(), "validate", "--servers", registry.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("mcpgw validate failed on " + registry + " (exit "
                    + (process.isAlive() ? "timeout" : process.exitValue()) + ")");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Entries as a real registry has them: both transports, tags, owners, some replicas and secret headers. */
    static Path generate(int size) throws IOException {
        Path directory = Files.createTempDirectory("mcpgw-bench-" + size + "-");
        for (int i = 0; i < size; i++) {
            String id = "server-" + i;
            StringBuilder yaml = new StringBuilder()
                    .append("# yaml-language-server: $schema=../schema/mcp-server.schema.json\n")
                    .append("name: Server ").append(i).append('\n')
                    .append("path: /").append(id).append('\n')
                    .append("proxy_pass_url: http://10.").append(i / 65536 % 256).append('.')
                    .append(i / 256 % 256).append('.').append(i % 256).append(":8080/mcp-base\n")
                    .append("transport: ").append(i % 3 == 0 ? "sse" : "streamable-http").append('\n')
                    .append("description: Tools for domain number ").append(i)
                    .append(", with lookups, reports and updates for the teams that own it.\n")
                    .append("enabled: ").append(i % 10 != 0).append('\n')
                    .append("tags: [team-").append(i % 40).append(", domain-").append(i % 7).append(", tools]\n")
                    .append("license: Apache-2.0\nversion: \"1.").append(i % 20).append(".0\"\n")
                    .append("owner:\n  name: Team ").append(i % 40).append("\n  email: team")
                    .append(i % 40).append("@example.com\n");
            if (i % 5 == 0) {
                yaml.append("replicas: [\"10.1.0.").append(i % 250 + 1).append(":8080\", \"10.2.0.")
                        .append(i % 250 + 1).append(":8080\"]\n");
            }
            if (i % 4 == 0) {
                yaml.append("upstream_headers:\n  - name: Authorization\n    prefix: \"Bearer \"\n")
                        .append("    value_from: {env: TOKEN_").append(i).append("}\n");
            }
            Files.writeString(directory.resolve(id + ".yaml"), yaml);
        }
        return directory;
    }

    private static double[] sorted(double[] values) {
        double[] copy = values.clone();
        java.util.Arrays.sort(copy);
        return copy;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
