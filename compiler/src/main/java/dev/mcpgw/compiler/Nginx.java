package dev.mcpgw.compiler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The nginx binary, run unprivileged against one prefix: every path of our configs is relative to it. */
public final class Nginx {

    public static final Path DEFAULT_BINARY = Path.of("/usr/sbin/nginx");

    private final Path binary;
    private final Path prefix;

    public Nginx(Path binary, Path prefix) {
        this.binary = binary;
        this.prefix = prefix.toAbsolutePath().normalize();
    }

    /** What an nginx command printed and how it exited. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    public boolean installed() {
        return Files.isExecutable(binary);
    }

    public Path binary() {
        return binary;
    }

    public Path prefix() {
        return prefix;
    }

    /** The command line for {@code args} against this prefix, logging to logs/error.log inside it. */
    public List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-p", prefix + "/", "-e", "logs/error.log"));
        command.addAll(List.of(args));
        return command;
    }

    /** Creates logs/ and temp/ under the prefix. */
    public void preparePrefix() throws IOException {
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("temp"));
    }

    /** {@code nginx -t} on {@code config}; nginx's messages on failure. */
    public Result test(Path config) throws IOException, InterruptedException {
        preparePrefix();
        return run("-t", "-q", "-c", config.toAbsolutePath().toString());
    }

    public Result run(String... args) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(command(args)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "nginx did not finish within 120 s");
        }
        return new Result(process.exitValue(), output);
    }

    /**
     * Starts nginx in the foreground (a child of this JVM) with {@code config} and waits until it accepts
     * connections on {@code port} of 127.0.0.1.
     */
    public Process startForeground(Path config, int port) throws IOException, InterruptedException {
        preparePrefix();
        Process process = new ProcessBuilder(
                        command("-c", config.toAbsolutePath().toString(), "-g", "daemon off;"))
                .redirectErrorStream(true)
                .redirectOutput(prefix.resolve("logs/stdout.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited at start:\n" + errorLog());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return process;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroy();
        throw new IOException("nginx did not listen on port " + port + " within 10 s:\n" + errorLog());
    }

    public String errorLog() throws IOException {
        Path log = prefix.resolve("logs/error.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
