package dev.mcpgw.bench;

import dev.mcpgw.compiler.Nginx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Times whole {@code ./mcpgw} runs, JVM start included, on generated registries of 1,000 and 10,000 entries:
 * one warm-up run, then {@code runs} timed runs per size; prints medians and the 10k/1k ratio. For
 * {@code compile} it also times {@code nginx -t} on the 10,000-entry output.
 */
final class CliTimings {

    private static final int[] SIZES = {1_000, 10_000};

    private CliTimings() {}

    static void run(String command, int runs) throws Exception {
        Path launcher = Path.of("mcpgw").toAbsolutePath();
        if (!Files.isExecutable(launcher) || !Files.exists(Path.of("cli", "target", "mcpgw.jar"))) {
            throw new IllegalStateException("run from the repository root after: mvn -B -q package -DskipTests");
        }
        List<double[]> results = new ArrayList<>();
        double[] nginxTest = null;
        for (int size : SIZES) {
            Path registry = Registries.generate(size);
            Path out = Files.createTempFile("mcpgw-bench-", ".conf");
            List<String> args = command.equals("compile")
                    ? List.of(
                            launcher.toString(),
                            "compile",
                            "--servers",
                            registry.toString(),
                            "--out",
                            out.toString(),
                            "--resolver",
                            "127.0.0.53")
                    : List.of(launcher.toString(), "validate", "--servers", registry.toString());
            try {
                time(args);
                double[] seconds = new double[runs];
                for (int i = 0; i < runs; i++) {
                    seconds[i] = time(args);
                }
                results.add(seconds);
                if (command.equals("compile") && size == SIZES[SIZES.length - 1]) {
                    nginxTest = nginxTest(out, runs);
                }
            } finally {
                Registries.delete(registry);
                Files.deleteIfExists(out);
            }
        }
        System.out.printf(
                "mcpgw %s, JVM start included%n| entries | median s | min s | max s | runs |%n"
                        + "|---|---|---|---|---|%n",
                command);
        for (int i = 0; i < SIZES.length; i++) {
            Stats s = Stats.of(results.get(i));
            System.out.printf("| %,d | %.3f | %.3f | %.3f | %d |%n", SIZES[i], s.median(), s.min(), s.max(), runs);
        }
        System.out.printf(
                "%nratio 10,000 / 1,000 (medians): %.2f%n",
                Stats.of(results.get(1)).median() / Stats.of(results.get(0)).median());
        if (nginxTest != null) {
            Stats s = Stats.of(nginxTest);
            System.out.printf(
                    "nginx -t on the 10,000-entry config: median %.3f s (min %.3f, max %.3f, %d runs)%n",
                    s.median(), s.min(), s.max(), runs);
        }
    }

    private static double[] nginxTest(Path config, int runs) throws Exception {
        Path prefix = Files.createTempDirectory("mcpgw-bench-nginx-");
        Nginx nginx = new Nginx(Nginx.DEFAULT_BINARY, prefix);
        nginx.preparePrefix();
        List<String> args = nginx.command("-t", "-q", "-c", config.toString());
        time(args);
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            seconds[i] = time(args);
        }
        Registries.delete(prefix);
        return seconds;
    }

    private static double time(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit "
                    + (process.isAlive() ? "timeout" : process.exitValue()) + ")");
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
