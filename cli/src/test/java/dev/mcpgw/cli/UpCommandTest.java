package dev.mcpgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mcpgw up} refusing to start: each time it says why and what to do, and starts nothing. */
@org.junit.jupiter.api.Tag("nginx")
class UpCommandTest {

    @TempDir
    Path work;

    @Test
    void withoutNginxItNamesThePackageToInstall() {
        CommandRun run = CommandRun.of(
                "up",
                "--servers",
                "../servers",
                "--state",
                work.resolve("state").toString(),
                "--nginx",
                work.resolve("no-nginx").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("nginx is not installed", "apt-get install nginx");
        assertThat(work.resolve("state")).doesNotExist();
    }

    @Test
    void aTakenPortIsNamedWithTheOptionThatMovesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CommandRun run = CommandRun.of(
                    "up",
                    "--servers",
                    "../servers",
                    "--state",
                    work.resolve("state").toString(),
                    "--port",
                    Integer.toString(taken.getLocalPort()));

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err())
                    .contains(
                            "port " + taken.getLocalPort() + " on 127.0.0.1 is taken by another " + "program",
                            "--port");
        }
        assertThat(work.resolve("state/registry.git")).as("nothing was created").doesNotExist();
    }

    @Test
    void invalidEntriesAreReportedBeforeAnythingStarts() throws Exception {
        Path servers = Files.createDirectories(work.resolve("servers"));
        Files.writeString(servers.resolve("time.yaml"), "name: [\n");

        CommandRun run = CommandRun.of(
                "up",
                "--servers",
                servers.toString(),
                "--state",
                work.resolve("state").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("time.yaml:2:1: invalid YAML", "fix servers/ first");
    }
}
