package dev.mcpgw.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two agents pushing the status branch to one bare remote: a rejected push fetches, re-applies and retries. */
class StatusPushTest {

    @TempDir
    Path work;

    private static ServerStatus status(String id, Health health) {
        return ServerStatus.builder(id, health, Instant.parse("2026-11-24T12:00:00Z"))
                .latencyMs(5L)
                .observedRevision("rev")
                .build();
    }

    @Test
    void twoAgentsPushingAtOnceBothLand() throws Exception {
        Path remote = work.resolve("remote.git");
        Git.init()
                .setBare(true)
                .setInitialBranch("main")
                .setDirectory(remote.toFile())
                .call()
                .close();
        Path one = work.resolve("one");
        Path two = work.resolve("two");
        Git.cloneRepository()
                .setURI(remote.toUri().toString())
                .setDirectory(one.toFile())
                .call()
                .close();
        Git.cloneRepository()
                .setURI(remote.toUri().toString())
                .setDirectory(two.toFile())
                .call()
                .close();
        Set<String> registered = Set.of("alpha", "beta");

        try (GitStore first = GitStore.open(one);
                GitStore second = GitStore.open(two)) {
            StatusWriter writerOne = new StatusWriter(first, "status", Duration.ZERO, "origin");
            StatusWriter writerTwo = new StatusWriter(second, "status", Duration.ZERO, "origin");
            for (int round = 0; round < 5; round++) {
                Health health = round % 2 == 0 ? Health.HEALTHY : Health.UNHEALTHY;
                CompletableFuture<?> a =
                        CompletableFuture.runAsync(() -> write(writerOne, status("alpha", health), registered));
                CompletableFuture<?> b =
                        CompletableFuture.runAsync(() -> write(writerTwo, status("beta", health), registered));
                a.get(60, TimeUnit.SECONDS);
                b.get(60, TimeUnit.SECONDS);
            }
        }
        Process show = new ProcessBuilder(
                        "git", "--git-dir", remote.toString(), "ls-tree", "--name-only", "status", "servers/")
                .redirectErrorStream(true)
                .start();
        String files = new String(show.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(show.waitFor()).isZero();
        assertThat(files.lines()).containsExactly("servers/alpha.json", "servers/beta.json");
        Process alpha = new ProcessBuilder("git", "--git-dir", remote.toString(), "show", "status:servers/beta.json")
                .redirectErrorStream(true)
                .start();
        assertThat(new String(alpha.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("\"health\" : \"healthy\"");
    }

    private static void write(StatusWriter writer, ServerStatus status, Set<String> registered) {
        try {
            writer.write(List.of(status), registered, "rev");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
