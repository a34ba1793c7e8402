package dev.mcpgw.compiler;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx, started for real on a loopback port with a compiled config under a temporary prefix
 * (through {@link Nginx}, as the product starts it).
 * Fails loudly when nginx is not installed: the tests that need it are not optional.
 */
final class NginxProcess implements AutoCloseable {

    static final Path NGINX = Nginx.DEFAULT_BINARY;

    private final Path prefix;
    private final Process process;

    private NginxProcess(Path prefix, Process process) {
        this.prefix = prefix;
        this.process = process;
    }

    static void requireNginx() {
        if (!Files.isExecutable(NGINX)) {
            throw new AssertionError("nginx is not installed at " + NGINX
                    + "; install Debian's package: apt-get install -y nginx (.ci/run does this)");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs {@code nginx -t} on {@code config}; returns nginx's output, or throws with it when the test fails. */
    static String test(Path prefix, String config) throws IOException, InterruptedException {
        requireNginx();
        Files.createDirectories(prefix);
        Path file = Files.writeString(prefix.resolve("nginx.conf"), config);
        Nginx.Result result = new Nginx(NGINX, prefix).test(file);
        if (!result.ok()) {
            throw new AssertionError("nginx -t failed:\n" + result.output());
        }
        return result.output();
    }

    static NginxProcess start(Path prefix, String config, int port) throws Exception {
        test(prefix, config);
        Process process = new Nginx(NGINX, prefix).startForeground(prefix.resolve("nginx.conf"), port);
        return new NginxProcess(prefix, process);
    }

    /** The access log once a line matches (nginx flushes it every second), or an assertion error. */
    List<String> awaitAccessLog(java.util.function.Predicate<String> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Path log = prefix.resolve("logs/access.log");
        while (true) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            if (lines.stream().anyMatch(expected)) {
                return lines;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching line in the access log; last lines: "
                        + lines.subList(Math.max(0, lines.size() - 5), lines.size()));
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
