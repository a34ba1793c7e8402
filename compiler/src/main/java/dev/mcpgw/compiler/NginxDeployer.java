package dev.mcpgw.compiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Puts a rendered config live under an nginx prefix: test it with {@code nginx -t}, swap it in atomically
 * (keeping the previous one as {@code nginx.conf.previous}), then reload the running nginx or start one.
 * A config that fails the test never replaces the live one.
 */
public final class NginxDeployer {

    public static final String CONFIG = "nginx.conf";

    private final Path nginx;
    private final Path prefix;

    public NginxDeployer(Path nginx, Path prefix) {
        this.nginx = nginx;
        this.prefix = prefix.toAbsolutePath().normalize();
    }

    /** What happened; {@code message} is for the person who ran the deploy. */
    public record Outcome(boolean ok, String message) {}

    public Path liveConfig() {
        return prefix.resolve(CONFIG);
    }

    public Outcome deploy(String config, boolean startIfStopped) throws IOException, InterruptedException {
        if (!Files.isExecutable(nginx)) {
            return new Outcome(false, "nginx not found at " + nginx + "; install Debian's package "
                    + "(apt-get install nginx) or pass --nginx PATH");
        }
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("temp"));
        Path next = prefix.resolve(CONFIG + ".next");
        Files.writeString(next, config, StandardCharsets.UTF_8);
        Result test = run("-t", "-q", "-c", next.toString());
        if (test.exitCode() != 0) {
            Files.deleteIfExists(next);
            return new Outcome(false, "nginx -t rejected the new config; the previous one stays live.\n"
                    + test.output().strip());
        }
        Path live = liveConfig();
        if (Files.exists(live)) {
            Files.copy(live, prefix.resolve(CONFIG + ".previous"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(next, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Optional<ProcessHandle> running = runningMaster();
        if (running.isPresent()) {
            Result reload = run("-s", "reload", "-c", live.toString());
            return reload.exitCode() == 0
                    ? new Outcome(true, "deployed " + live + " and reloaded nginx (pid " + running.get().pid() + ")")
                    : new Outcome(false, "deployed " + live + " but the reload failed:\n" + reload.output().strip());
        }
        if (!startIfStopped) {
            return new Outcome(true, "deployed " + live + "; nginx is not running, start it with: "
                    + String.join(" ", command("-c", live.toString())));
        }
        Result start = run("-c", live.toString());
        return start.exitCode() == 0
                ? new Outcome(true, "deployed " + live + " and started nginx")
                : new Outcome(false, "deployed " + live + " but nginx did not start:\n" + start.output().strip());
    }

    /** The master process named by the prefix's pid file, when it is alive. */
    public Optional<ProcessHandle> runningMaster() throws IOException {
        Path pidFile = prefix.resolve("logs/nginx.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private record Result(int exitCode, String output) {}

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(nginx.toString(), "-p", prefix + "/", "-e", "logs/error.log"));
        command.addAll(List.of(args));
        return command;
    }

    private Result run(String... args) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "nginx did not finish within 120 s");
        }
        return new Result(process.exitValue(), output);
    }
}
