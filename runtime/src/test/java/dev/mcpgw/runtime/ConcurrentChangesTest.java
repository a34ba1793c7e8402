package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.runtime.auth.ApiTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hundred concurrent changes through a runtime, committing locally or pushing to a bare remote: every one
 * lands as its own commit, none is lost, and the final registry is exactly what they asked for.
 */
class ConcurrentChangesTest {

    private static final int SERVERS = 50;

    @TempDir
    Path work;

    @Test
    void aHundredConcurrentTogglesAndRegistrationsAllLandOnTheRemote() throws Exception {
        aHundredConcurrentChanges(true);
    }

    @Test
    void aHundredConcurrentTogglesAndRegistrationsAllLandLocally() throws Exception {
        aHundredConcurrentChanges(false);
    }

    private void aHundredConcurrentChanges(boolean push) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < SERVERS; i++) {
            files.put(
                    String.format("servers/s%02d.yaml", i),
                    TestRegistry.entry(String.format("s%02d", i), "http://127.0.0.1:9", false));
        }
        Path seed = TestRegistry.create(work.resolve("seed"), files);
        Path remote = work.resolve("remote.git");
        Git.cloneRepository()
                .setBare(true)
                .setURI(seed.toUri().toString())
                .setDirectory(remote.toFile())
                .call()
                .close();
        Path clone = push ? work.resolve("clone.git") : remote;
        if (push) {
            Git.cloneRepository()
                    .setBare(true)
                    .setURI(remote.toUri().toString())
                    .setDirectory(clone.toFile())
                    .call()
                    .close();
        }
        String seedTip;
        try (Git git = Git.open(remote.toFile())) {
            seedTip = git.getRepository().resolve("refs/heads/main").name();
        }

        String token;
        try (GitStore store = GitStore.open(clone)) {
            token = new ApiTokens(store, "tokens", push ? "origin" : null, Clock.systemUTC())
                    .create("loadtest", Set.of("admins"), Duration.ofHours(1), null, new PersonIdent("t", "t@t"))
                    .token();
        }
        RuntimeSettings.Builder settings = TestRegistry.settings(clone)
                .probing(new RuntimeSettings.Probing(false, Duration.ofHours(1), Duration.ofSeconds(2)))
                .remote(push ? "origin" : null, Duration.ofSeconds(1));
        try (RegistryRuntime runtime = RegistryRuntime.start(settings)) {
            Http http = new Http(runtime);
            String auth = "Bearer " + token;
            List<Callable<Integer>> requests = new ArrayList<>();
            for (int i = 0; i < SERVERS; i++) {
                String id = String.format("%02d", i);
                requests.add(() -> http.form("/toggle/s" + id, Map.of("enabled", "on"), "Authorization", auth)
                        .status());
                requests.add(() -> http.json(
                                "/register",
                                "{\"name\":\"New " + id + "\",\"path\":\"/n" + id
                                        + "\",\"proxy_pass_url\":\"http://127.0.0.1:9\",\"description\":\"New server "
                                        + id
                                        + ".\",\"enabled\":true}",
                                "Authorization",
                                auth)
                        .status());
            }
            ExecutorService pool = Executors.newFixedThreadPool(requests.size());
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : pool.invokeAll(requests)) {
                statuses.add(answer.get());
            }
            pool.shutdown();
            assertThat(statuses).containsOnly(200, 201);
            assertThat(statuses).filteredOn(status -> status == 201).hasSize(SERVERS);
        }

        try (Git git = Git.open(remote.toFile())) {
            List<String> messages = new ArrayList<>();
            for (RevCommit commit : git.log()
                    .addRange(
                            git.getRepository().resolve(seedTip),
                            git.getRepository().resolve("refs/heads/main"))
                    .call()) {
                messages.add(commit.getShortMessage());
                assertThat(commit.getParentCount())
                        .as("a straight history, no merges")
                        .isEqualTo(1);
            }
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < SERVERS; i++) {
                expected.add(String.format("Enable /s%02d", i));
                expected.add(String.format("Register /n%02d (New %02d)", i, i));
            }
            assertThat(messages).hasSize(2 * SERVERS);
            assertThat(new HashSet<>(messages)).isEqualTo(expected);
        }
        try (GitStore store = GitStore.open(remote)) {
            Map<String, byte[]> tree = store.files(store.tip("main").orElseThrow(), "servers");
            assertThat(tree).hasSize(2 * SERVERS);
            tree.forEach((path, bytes) -> assertThat(new String(bytes, StandardCharsets.UTF_8))
                    .as(path)
                    .contains("enabled: true"));
        }
    }
}
