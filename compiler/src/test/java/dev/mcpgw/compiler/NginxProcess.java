package dev.mcpgw.compiler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx, started for real on a loopback port with a compiled config under a temporary prefix.
 * Fails loudly when nginx is not installed: the tests that need it are not optional.
 */
final class NginxProcess implements AutoCloseable {

    static final Path NGINX = Path.of("/usr/sbin/nginx");

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
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("temp"));
        Path file = Files.writeString(prefix.resolve("nginx.conf"), config);
        Process check = new ProcessBuilder(NGINX.toString(), "-t", "-q", "-p", prefix.toString(),
                "-e", "logs/error.log", "-c", file.toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
            throw new AssertionError("nginx -t failed:\n" + output);
        }
        return output;
    }

    static NginxProcess start(Path prefix, String config, int port) throws Exception {
        test(prefix, config);
        Process process = new ProcessBuilder(NGINX.toString(), "-p", prefix.toString(), "-e", "logs/error.log",
                "-c", prefix.resolve("nginx.conf").toString(), "-g", "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(prefix.resolve("logs/stdout.log").toFile())
                .start();
        NginxProcess nginx = new NginxProcess(prefix, process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited at start:\n" + nginx.errorLog());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return nginx;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        nginx.close();
        throw new AssertionError("nginx did not listen on port " + port + ":\n" + nginx.errorLog());
    }

    String errorLog() throws IOException {
        Path log = prefix.resolve("logs/error.log");
        return Files.exists(log) ? Files.readString(log) : "";
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
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
