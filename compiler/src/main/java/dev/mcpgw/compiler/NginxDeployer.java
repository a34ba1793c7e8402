package dev.mcpgw.compiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Puts a rendered config live under an nginx prefix: test it with {@code nginx -t}, swap it in atomically
 * (keeping the previous one as {@code nginx.conf.previous}), then reload the running nginx or start one.
 * A config that fails the test never replaces the live one.
 */
public final class NginxDeployer {

    public static final String CONFIG = "nginx.conf";

    private final Nginx nginx;
    private final Path prefix;

    public NginxDeployer(Nginx nginx) {
        this.nginx = nginx;
        this.prefix = nginx.prefix();
    }

    /** What happened; {@code message} is for the person who ran the deploy. */
    public record Outcome(boolean ok, String message) {}

    public Path liveConfig() {
        return prefix.resolve(CONFIG);
    }

    /**
     * Deploys a compilation, with the upstream credentials its entries name read from {@code secrets}; a missing
     * secret deploys nothing. Once live, its gateway options are kept beside it ({@link GatewaySettingsFile}) for
     * the deployments {@code serve --apply} makes.
     */
    public Outcome deploy(GatewayCompiler.Result compiled, UpstreamCredentials.Secrets secrets, boolean startIfStopped)
            throws IOException, InterruptedException {
        String credentials;
        try {
            credentials = compiled.credentials(secrets);
        } catch (UpstreamCredentials.Unavailable missing) {
            return new Outcome(false, missing.getMessage());
        }
        Outcome outcome = deploy(compiled.config(), credentials, startIfStopped);
        if (outcome.ok()) {
            GatewaySettingsFile.write(prefix, compiled.settings());
        }
        return outcome;
    }

    public Outcome deploy(String config, boolean startIfStopped) throws IOException, InterruptedException {
        return deploy(config, null, startIfStopped);
    }

    /** @param credentials the credentials.conf {@code config} includes, or null when it includes none */
    private Outcome deploy(String config, String credentials, boolean startIfStopped)
            throws IOException, InterruptedException {
        if (!nginx.installed()) {
            return new Outcome(
                    false,
                    "nginx not found at " + nginx.binary() + "; install Debian's package "
                            + "(apt-get install nginx) or pass --nginx PATH");
        }
        nginx.preparePrefix();
        Path next = prefix.resolve(CONFIG + ".next");
        Files.writeString(next, config, StandardCharsets.UTF_8);
        // The live nginx reads credentials.conf only when reloaded, so it is replaced before the test and put
        // back if the test fails.
        Path credentialsFile = prefix.resolve(UpstreamCredentials.FILE);
        byte[] previousCredentials = Files.exists(credentialsFile) ? Files.readAllBytes(credentialsFile) : null;
        if (credentials != null) {
            writePrivately(credentialsFile, credentials.getBytes(StandardCharsets.UTF_8));
        }
        Nginx.Result test = nginx.test(next);
        if (!test.ok()) {
            Files.deleteIfExists(next);
            if (credentials != null) {
                if (previousCredentials == null) {
                    Files.deleteIfExists(credentialsFile);
                } else {
                    writePrivately(credentialsFile, previousCredentials);
                }
            }
            boolean noLua = test.output().contains("_module.so\" failed");
            return new Outcome(
                    false,
                    "nginx -t rejected the new config; the previous one stays live.\n"
                            + test.output().strip()
                            + (noLua
                                    ? "\n--auth needs nginx's Lua module: apt-get install " + "libnginx-mod-http-lua"
                                    : ""));
        }
        Path live = liveConfig();
        if (Files.exists(live)) {
            Files.copy(live, prefix.resolve(CONFIG + ".previous"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(next, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Optional<ProcessHandle> running = runningMaster();
        if (running.isPresent()) {
            Nginx.Result reload = nginx.run("-s", "reload", "-c", live.toString());
            return reload.ok()
                    ? new Outcome(
                            true,
                            "deployed " + live + " and reloaded nginx (pid "
                                    + running.get().pid() + ")")
                    : new Outcome(
                            false,
                            "deployed " + live + " but the reload failed:\n"
                                    + reload.output().strip());
        }
        if (!startIfStopped) {
            return new Outcome(
                    true,
                    "deployed " + live + "; nginx is not running, start it with: "
                            + String.join(" ", nginx.command("-c", live.toString())));
        }
        Nginx.Result start = nginx.run("-c", live.toString());
        return start.ok()
                ? new Outcome(true, "deployed " + live + " and started nginx")
                : new Outcome(
                        false,
                        "deployed " + live + " but nginx did not start:\n"
                                + start.output().strip());
    }

    /** Replaces {@code file} atomically with a file only its owner may read. */
    private static void writePrivately(Path file, byte[] content) throws IOException {
        Path temporary = Files.createTempFile(
                file.getParent(),
                ".credentials-",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(temporary, content);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
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

    /**
     * Stops the nginx running from this prefix, if any (fast shutdown), and returns once its master has exited -
     * after its workers, and after it last touches the prefix's files.
     */
    public void stop(Duration timeout) throws IOException {
        Optional<ProcessHandle> running = runningMaster();
        if (running.isEmpty()) {
            return;
        }
        ProcessHandle master = running.get();
        master.destroy();
        try {
            master.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("nginx (pid " + master.pid() + ") did not stop within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for nginx (pid " + master.pid() + ") to stop");
        } catch (ExecutionException e) {
            throw new IOException("waiting for nginx (pid " + master.pid() + ") to stop: " + e.getCause());
        }
    }
}
