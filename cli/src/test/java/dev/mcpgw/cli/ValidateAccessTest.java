package dev.mcpgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateAccessTest {

    @TempDir
    Path root;

    private Path servers;

    @BeforeEach
    void registry() throws Exception {
        servers = Files.createDirectories(root.resolve("servers"));
        Files.writeString(
                servers.resolve("time.yaml"),
                "name: Time\npath: /time\nproxy_pass_url: http://127.0.0.1:8000\n"
                        + "transport: streamable-http\ndescription: Time.\n");
    }

    @Test
    void accessRulesBesideTheServersAreCheckedToo() throws Exception {
        Files.writeString(
                root.resolve("access.yaml"),
                "groups:\n  ops:\n    servers:\n      time: {tools: \"*\"}\n"
                        + "  readers:\n    servers:\n      \"*\": {tools: [current_time]}\n");
        CommandRun run = CommandRun.of("validate", "--allow-upstream", "127.0.0.1/32", "--servers", servers.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("1 server entry valid (1 enabled, 0 disabled); access.yaml valid (2 groups)\n");
    }

    @Test
    void aGrantToAnUnknownServerFailsTheCheck() throws Exception {
        Files.writeString(root.resolve("access.yaml"), "groups:\n  ops:\n    servers:\n      tme: {tools: \"*\"}\n");
        CommandRun run = CommandRun.of("validate", "--allow-upstream", "127.0.0.1/32", "--servers", servers.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .isEqualTo("access.yaml:4:7: groups.ops.servers: grants server 'tme', which is not "
                        + "registered in servers/; fix the id or remove the grant\n1 problem in 1 of 2 files\n");
    }

    @Test
    void anExplicitFileThatIsMissingIsAUsageError() {
        CommandRun run = CommandRun.of(
                "validate",
                "--allow-upstream",
                "127.0.0.1/32",
                "--servers",
                servers.toString(),
                "--access",
                root.resolve("nope.yaml").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--access:", "is not a file");
    }
}
