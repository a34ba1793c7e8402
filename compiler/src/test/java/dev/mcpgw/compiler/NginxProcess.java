package dev.mcpgw.compiler;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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

    /** The access log once a line matches (nginx flushes it every second); fails after 5 s naming its last lines. */
    List<String> awaitAccessLog(java.util.function.Predicate<String> expected) throws Exception {
        Path log = prefix.resolve("logs/access.log");
        AtomicReference<List<String>> lines = new AtomicReference<>(List.of());
        await("a matching line in nginx's access log " + log)
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    List<String> read = Files.exists(log) ? Files.readAllLines(log) : List.of();
                    lines.set(read);
                    if (read.stream().noneMatch(expected)) {
                        throw new AssertionError("no matching line in the access log; last lines: "
                                + read.subList(Math.max(0, read.size() - 5), read.size()));
                    }
                });
        return lines.get();
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
