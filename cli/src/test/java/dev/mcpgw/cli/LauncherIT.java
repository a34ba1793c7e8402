package dev.mcpgw.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's way of running mcpgw: the ./mcpgw launcher on the packaged distribution. */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("..", "mcpgw").toAbsolutePath().normalize();

    record Result(int exitCode, String output) {}

    private static Result run(Path launcher, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(LAUNCHER.getParent().toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void validatesTheRepositoryExamples() throws Exception {
        Result result = run(LAUNCHER, "validate", "--allow-upstream", "127.0.0.1/32");

        assertThat(result.output()).isEqualTo("3 server entries valid (3 enabled, 0 disabled)\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void reportsProblemsWithExitCode1AndNoLogNoise(@TempDir Path servers) throws Exception {
        Files.writeString(servers.resolve("time.yaml"), "name: [\n");

        Result result = run(LAUNCHER, "validate", "--servers", servers.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output())
                .startsWith(servers + "/time.yaml:2:1: invalid YAML:")
                .endsWith("1 problem in 1 of 1 file\n")
                .doesNotContain("SLF4J", "WARN", "Exception");
    }

    @Test
    void printsItsVersion() throws Exception {
        Result result = run(LAUNCHER, "--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).startsWith("mcpgw ");
    }

    @Test
    void probeWritesTheStatusBranchOfAClonedUrlAndStopsCleanlyOnSigterm(@TempDir Path work) throws Exception {
        Path remote = work.resolve("registry.git");
        Path seed = work.resolve("seed");
        git(work, "init", "-q", "--bare", "-b", "main", remote.toString());
        git(work, "clone", "-q", remote.toString(), seed.toString());
        Files.createDirectories(seed.resolve("servers"));
        Files.writeString(
                seed.resolve("servers/off.yaml"),
                "name: off\npath: /off\nproxy_pass_url: http://127.0.0.1:9\n"
                        + "transport: sse\ndescription: Switched off.\nenabled: false\n");
        git(seed, "add", "servers");
        git(seed, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "off");
        git(seed, "push", "-q", "origin", "main");

        Path log = work.resolve("probe.log");
        Process probe = new ProcessBuilder(
                        LAUNCHER.toString(), "probe", "--repo", remote.toUri().toString(), "--interval", "1h")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await("probe pushes the status branch")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> git(work, "--git-dir", remote.toString(), "branch", "--list", "status")
                        .contains("status"));
        probe.destroy(); // SIGTERM
        assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log);

        assertThat(output).contains("off: first seen, disabled").doesNotContain("Exception");
        assertThat(git(work, "--git-dir", remote.toString(), "show", "status:servers/off.json"))
                .contains("\"health\" : \"disabled\"");
    }

    private static String git(Path directory, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void saysHowToBuildWhenTheDistributionIsMissing(@TempDir Path elsewhere) throws Exception {
        Path copy = Files.copy(LAUNCHER, elsewhere.resolve("mcpgw"));

        Result result = run(copy, "validate");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output())
                .contains("is missing; build it first with:")
                .contains("mvn -B -q package -DskipTests");
    }
}
