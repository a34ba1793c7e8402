package dev.mcpgw.runtime;

import dev.mcpgw.runtime.auth.AuthRoutes;
import dev.mcpgw.runtime.auth.PasswordHash;
import dev.mcpgw.runtime.auth.SecretKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/** Real Git registries for the runtime's tests, and the settings to run a runtime on one. */
final class TestRegistry {

    static final String ADMIN = "admin";
    static final String PASSWORD = "correct horse battery staple";
    static final RuntimeSettings.Auth AUTH = new RuntimeSettings.Auth(
            new AuthRoutes.AdminAccount(ADMIN, PasswordHash.of(PASSWORD.toCharArray())),
            SecretKey.of("0123456789abcdef0123456789abcdef-test-only"),
            null);

    private TestRegistry() {}

    /** A repository whose main branch holds {@code files} (path to content), committed by "seed". */
    static Path create(Path repo, Map<String, String> files) throws IOException, GitAPIException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = repo.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        try (Git git =
                Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("seed")
                    .setAuthor("seed", "seed@example.com")
                    .setCommitter("seed", "seed@example.com")
                    .call();
        }
        return repo;
    }

    static String entry(String id, String url, boolean enabled) {
        return "name: " + id + " server\npath: /" + id + "\nproxy_pass_url: " + url + "\ntransport: streamable-http\n"
                + "description: The " + id + " server.\nenabled: " + enabled + "\n";
    }

    /**
     * The {@code mcpgw} entry as {@code servers/mcpgw.yaml} has it, for a runtime on {@code runtimePort}: mcpgw
     * learns the caller from a token bound to it ({@code forward_caller_token}).
     */
    static String mcpgwEntry(int runtimePort) {
        return entry("mcpgw", "http://127.0.0.1:" + runtimePort + "/mcpgw", true) + "forward_caller_token: true\n";
    }

    /**
     * A runtime on {@code repo} that probes every half second with a short timeout, without tool search; the
     * tests' MCP servers run on loopback, which the operator of these tests allows, and so do the gateways in
     * front of the runtime (trusted for forwarded headers, as {@code mcpgw up} trusts its own).
     */
    static RuntimeSettings.Builder settings(Path repo) {
        return RuntimeSettings.builder(repo, AUTH)
                .web(new RuntimeSettings.Web(
                        java.util.List.of(), java.util.List.of(), dev.mcpgw.runtime.http.TrustedProxies.LOOPBACK))
                .probing(new RuntimeSettings.Probing(true, Duration.ofMillis(500), Duration.ofSeconds(2)))
                .egress(dev.mcpgw.core.model.EgressPolicy.strict(
                        java.util.List.of("127.0.0.1/32"), java.util.List.of()))
                .search(false);
    }

    /** Asks {@code read} until {@code done} holds (up to 10 s), and returns the last answer; fails loudly otherwise. */
    static <T> T await(java.util.concurrent.Callable<T> read, java.util.function.Predicate<T> done) {
        return org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(50))
                .until(read, done::test);
    }
}
