package dev.mcpgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Process process = new ProcessBuilder(command).directory(LAUNCHER.getParent().toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void validates_the_repository_examples() throws Exception {
        Result result = run(LAUNCHER, "validate");

        assertThat(result.output()).isEqualTo("3 server entries valid (3 enabled, 0 disabled)\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void reports_problems_with_exit_code_1_and_no_log_noise(@TempDir Path servers) throws Exception {
        Files.writeString(servers.resolve("time.yaml"), "name: [\n");

        Result result = run(LAUNCHER, "validate", "--servers", servers.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).startsWith(servers + "/time.yaml:2:1: invalid YAML:")
                .endsWith("1 problem in 1 of 1 file\n")
                .doesNotContain("SLF4J", "WARN", "Exception");
    }

    @Test
    void prints_its_version() throws Exception {
        Result result = run(LAUNCHER, "--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).startsWith("mcpgw ");
    }

    @Test
    void says_how_to_build_when_the_distribution_is_missing(@TempDir Path elsewhere) throws Exception {
        Path copy = Files.copy(LAUNCHER, elsewhere.resolve("mcpgw"));

        Result result = run(copy, "validate");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("is missing; build it first with:")
                .contains("mvn -B -q package -DskipTests");
    }
}
