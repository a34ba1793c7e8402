package dev.mcpgw.core.git;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitStoreTest {

    private static final PersonIdent AUTHOR = new PersonIdent("test", "test@example.com");

    @TempDir
    Path work;

    private static GitStore.Change put(String path, String content) {
        return new GitStore.Change(Map.of(path, content.getBytes(UTF_8)), "write " + path);
    }

    @Test
    void writesABranchWithoutTouchingTheWorkingTree() throws Exception {
        Path repo = work.resolve("repo");
        try (Git git =
                Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repo.resolve("README"), "hello\n");
            git.add().addFilepattern("README").call();
            git.commit()
                    .setMessage("init")
                    .setAuthor(AUTHOR)
                    .setCommitter(AUTHOR)
                    .call();
        }
        try (GitStore store = GitStore.open(repo)) {
            GitStore.CommitOutcome first = store.commit("status", s -> put("servers/a.json", "{}\n"), AUTHOR);
            GitStore.CommitOutcome again = store.commit("status", s -> put("servers/a.json", "{}\n"), AUTHOR);

            assertThat(first.changed()).isTrue();
            assertThat(again.changed()).as("the same content makes no commit").isFalse();
            assertThat(again.commit()).isEqualTo(first.commit());
            assertThat(store.files(store.tip("status").orElseThrow(), "servers"))
                    .containsOnlyKeys("servers/a.json");
        }
        assertThat(repo.resolve("servers")).doesNotExist();
        try (Git git = Git.open(repo.toFile())) {
            assertThat(git.status().call().isClean()).isTrue();
            assertThat(git.getRepository().getBranch()).isEqualTo("main");
        }
    }

    @Test
    void concurrentWritersNeverLoseAnUpdate() throws Exception {
        Path repo = work.resolve("bare.git");
        Git.init().setBare(true).setDirectory(repo.toFile()).call().close();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> writes = new ArrayList<>();
        for (int writer = 0; writer < 4; writer++) {
            int id = writer;
            writes.add(pool.submit(() -> {
                try (GitStore store = GitStore.open(repo)) {
                    for (int i = 0; i < 25; i++) {
                        String path = "servers/w" + id + "-" + i + ".json";
                        String content = "{\"n\":" + i + "}\n";
                        store.commit("status", snapshot -> put(path, content), AUTHOR);
                    }
                }
                return null;
            }));
        }
        for (Future<?> write : writes) {
            write.get();
        }
        pool.shutdown();
        try (GitStore store = GitStore.open(repo);
                Git git = Git.open(repo.toFile())) {
            assertThat(store.files(store.tip("status").orElseThrow(), "servers"))
                    .hasSize(100);
            int commits = 0;
            for (var ignored : git.log().add(store.tip("status").orElseThrow()).call()) {
                commits++;
            }
            assertThat(commits).isEqualTo(100);
        }
    }

    @Test
    void deletesFilesAndRecomputesEditsOnTheCurrentTip() throws Exception {
        Path repo = work.resolve("bare.git");
        Git.init().setBare(true).setDirectory(repo.toFile()).call().close();
        try (GitStore store = GitStore.open(repo)) {
            store.commit(
                    "status",
                    s -> new GitStore.Change(
                            Map.of("servers/a.json", "a".getBytes(UTF_8), "servers/b.json", "b".getBytes(UTF_8)),
                            "two"),
                    AUTHOR);
            store.commit(
                    "status",
                    snapshot -> {
                        try {
                            assertThat(snapshot.files("servers")).containsOnlyKeys("servers/a.json", "servers/b.json");
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        java.util.Map<String, byte[]> edits = new java.util.HashMap<>();
                        edits.put("servers/a.json", null);
                        return new GitStore.Change(edits, "drop a");
                    },
                    AUTHOR);

            assertThat(store.files(store.tip("status").orElseThrow(), "servers"))
                    .containsOnlyKeys("servers/b.json");
        }
    }

    @Test
    void aHeldLockIsATypedRefusalNamingTheFileAndChangesNothing() throws Exception {
        Path repo = work.resolve("locked");
        try (Git git =
                Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repo.resolve("README"), "hello\n");
            git.add().addFilepattern("README").call();
            git.commit()
                    .setMessage("init")
                    .setAuthor(AUTHOR)
                    .setCommitter(AUTHOR)
                    .call();
        }
        Path lock = repo.resolve(".git/refs/heads/main.lock");
        Files.writeString(lock, "held");
        try (GitStore store = GitStore.open(repo)) {
            var before = store.tip("main").orElseThrow();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> store.commit("main", s -> put("a.txt", "x"), AUTHOR))
                    .isInstanceOfSatisfying(RepositoryLockedException.class, e -> {
                        assertThat(e.lockFile()).isEqualTo(lock.toAbsolutePath());
                        assertThat(e.getMessage()).contains("main.lock", "remove that file");
                    });
            assertThat(store.tip("main")).contains(before);
        }
    }

    @Test
    void aRefusalInsideTheChangeEndsTheWriteWithItsOwnException() throws Exception {
        Path repo = work.resolve("refusing");
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        try (GitStore store = GitStore.open(repo)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.commit(
                            "main",
                            s -> {
                                throw new java.io.FileNotFoundException("servers/x.yaml");
                            },
                            AUTHOR))
                    .isInstanceOf(java.io.FileNotFoundException.class);
            assertThat(store.tip("main")).isEmpty();
        }
    }
}
