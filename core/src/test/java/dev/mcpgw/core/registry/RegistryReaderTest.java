package dev.mcpgw.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.validation.FileResult;
import dev.mcpgw.core.validation.RegistryValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After its first read, the reader looks only at what changed; what it answers never differs from a fresh read. */
class RegistryReaderTest {

    private static final PersonIdent AUTHOR = new PersonIdent("t", "t@example.com");

    @TempDir
    Path work;

    private static String entry(String id, String description) {
        return "name: " + id + "\npath: /" + id + "\nproxy_pass_url: http://10.0.0.1:8080\n"
                + "transport: streamable-http\ndescription: " + description + "\n";
    }

    private static ObjectId commit(GitStore store, Map<String, String> files) throws Exception {
        Map<String, byte[]> edits = new HashMap<>();
        files.forEach((path, text) -> edits.put(path, text == null ? null : text.getBytes(StandardCharsets.UTF_8)));
        return store.commit("main", snapshot -> new GitStore.Change(edits, "change"), AUTHOR)
                .commit();
    }

    private static List<String> shown(RegistryRevision revision) {
        return revision.report().files().stream()
                .map(file -> file.file() + "="
                        + (file.entry() == null
                                ? "invalid " + file.problems()
                                : file.entry().description()))
                .toList();
    }

    @Test
    void incrementalReadsAnswerWhatAFreshReadAnswers() throws Exception {
        Git.init()
                .setBare(true)
                .setDirectory(work.toFile())
                .setInitialBranch("main")
                .call()
                .close();
        try (GitStore store = GitStore.open(work)) {
            ObjectId first = commit(
                    store,
                    Map.of(
                            "servers/a.yaml",
                            entry("a", "A."),
                            "servers/b.yaml",
                            entry("b", "B."),
                            "servers/c.yaml",
                            entry("c", "C."),
                            "README.md",
                            "not an entry"));
            ObjectId second = commit(
                    store,
                    Map.of(
                            "servers/b.yaml",
                            entry("b", "B, changed."),
                            "servers/d.yaml",
                            entry("d", "D."),
                            "servers/e.yaml",
                            "name: [broken"));
            Map<String, String> removal = new HashMap<>();
            removal.put("servers/a.yaml", null);
            ObjectId third = commit(store, removal);

            RegistryReader reader = new RegistryReader(store, RegistryValidator.create());
            RegistryRevision before = reader.read(first);
            FileResult unchanged = before.report().files().get(2); // c.yaml
            for (ObjectId revision : List.of(second, third, first, third)) { // forwards, back, and forwards again
                RegistryRevision incremental = reader.read(revision);
                RegistryRevision fresh = new RegistryReader(store, RegistryValidator.create()).read(revision);
                assertThat(shown(incremental)).isEqualTo(shown(fresh));
                assertThat(incremental.report().problems())
                        .isEqualTo(fresh.report().problems());
                assertThat(incremental.report().files())
                        .as("an unchanged file is not validated again")
                        .anyMatch(file -> file == unchanged);
            }
            assertThat(shown(reader.read(third)))
                    .containsExactly(
                            "servers/b.yaml=B, changed.",
                            "servers/c.yaml=C.",
                            "servers/d.yaml=D.",
                            "servers/e.yaml=invalid "
                                    + reader.read(third).report().files().get(3).problems());
        }
    }
}
