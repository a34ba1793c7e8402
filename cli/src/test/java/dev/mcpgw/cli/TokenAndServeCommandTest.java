package dev.mcpgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenAndServeCommandTest {

    @TempDir
    Path work;

    @Test
    void tokensAreCreatedListedAndRevokedWithoutEverStoringTheToken() throws Exception {
        Path repo = work.resolve("registry");
        Files.createDirectories(repo);
        try (Git git =
                Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            assertThat(git.getRepository().getDirectory()).exists();
        }
        CommandRun created = CommandRun.of(
                "token",
                "create",
                "--repo",
                repo.toString(),
                "--user",
                "ci-bot",
                "--groups",
                "admins,deployers",
                "--expires",
                "30d",
                "--description",
                "CI pipeline");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String token = created.out().strip();
        assertThat(token).matches("mcpgw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
        String id = token.substring(6, 18);
        assertThat(created.err()).contains("token " + id + " for ci-bot", "not shown again");

        CommandRun listed = CommandRun.of("token", "list", "--repo", repo.toString());
        assertThat(listed.out())
                .contains(id, "ci-bot", "admins,deployers", "expires", "CI pipeline")
                .doesNotContain(token);

        assertThat(CommandRun.of("token", "revoke", "--repo", repo.toString(), id)
                        .exitCode())
                .isZero();
        assertThat(CommandRun.of("token", "list", "--repo", repo.toString(), "--json")
                        .out())
                .contains("\"revoked_at\" : \"", "\"active\" : false");
        CommandRun unknown = CommandRun.of("token", "revoke", "--repo", repo.toString(), "000000000000");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no token 000000000000");
    }

    @Test
    void badTokenRequestsAreUsageErrors() throws Exception {
        Path repo = work.resolve("registry");
        Files.createDirectories(repo);
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        CommandRun badUser = CommandRun.of("token", "create", "--repo", repo.toString(), "--user", "bad user\n");
        assertThat(badUser.exitCode()).isEqualTo(2);
        assertThat(badUser.err()).contains("user 'bad user");
        CommandRun tooLong =
                CommandRun.of("token", "create", "--repo", repo.toString(), "--user", "x", "--expires", "400d");
        assertThat(tooLong.exitCode()).isEqualTo(2);
        assertThat(tooLong.err()).contains("must expire within 366 days");
    }

    @Test
    void serveRefusesToStartWithoutSecretsUnlessToldItIsADevMachine() throws Exception {
        Path repo = work.resolve("registry");
        Files.createDirectories(repo);
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        assertThat(System.getenv("SECRET_KEY"))
                .as("this test needs an environment without SECRET_KEY")
                .isNull();
        CommandRun refused = CommandRun.of("serve", "--repo", repo.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("SECRET_KEY is not set", "openssl rand -hex 32", "--dev");
        CommandRun neverDeployed = CommandRun.of(
                "serve",
                "--repo",
                repo.toString(),
                "--apply",
                "--prefix",
                work.resolve("nowhere").toString(),
                "--dev");
        assertThat(neverDeployed.exitCode()).isEqualTo(2);
        assertThat(neverDeployed.err()).contains("was never deployed; run mcpgw deploy --prefix");
    }
}
