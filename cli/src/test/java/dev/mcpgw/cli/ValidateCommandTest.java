package dev.mcpgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ValidateCommandTest {

    private static final String VALID = """
            name: Current Time
            path: /time
            proxy_pass_url: http://127.0.0.1:8001
            transport: streamable-http
            description: Tells the time.
            """;

    @TempDir
    Path servers;

    /** Two broken files: a typo, a bad transport and a reserved path, and a file named after another id. */
    private String brokenRegistry() throws Exception {
        Files.writeString(servers.resolve("time.yaml"), VALID.replace("streamable-http", "http") + "tgas: [x]\n");
        Files.writeString(servers.resolve("api.yaml"), VALID.replace("/time", "/api"));
        Files.writeString(servers.resolve("clock.yaml"), VALID);
        return servers.toString();
    }

    @Test
    void acceptsTheRepositoryExamplesWithAOneLineSummary() {
        CommandRun run = CommandRun.of("validate", "--allow-upstream", "127.0.0.1/32", "--servers", "../servers");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("3 server entries valid (3 enabled, 0 disabled)\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void reportsEveryProblemWithFileLineAndColumnAndExits1() throws Exception {
        String dir = brokenRegistry();

        CommandRun run = CommandRun.of("validate", "--allow-upstream", "127.0.0.1/32", "--servers", dir);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .isEqualTo(String.join(
                        "\n",
                        dir + "/api.yaml:2:7: path: /api is reserved by the gateway and registry; choose another id "
                                + "(reserved: /api, /assets, /auth, /delete, /edit, /favicon.ico, /health, /healthz, "
                                + "/login, /logout, /metrics, /oauth, /oauth2, /readyz, /register, /robots.txt, /search, "
                                + "/servers, /site, /static, /status, /toggle, /tools, /v0, /v0.1, /ws, /.well-known)",
                        dir + "/clock.yaml:2:7: path: '/time' does not match the file name; name the file time.yaml or "
                                + "set path: /clock",
                        dir + "/time.yaml:4:12: transport: must be one of streamable-http, sse (got 'http')",
                        dir + "/time.yaml:6:1: tgas: unknown field; did you mean 'tags'? allowed here: name, path, "
                                + "proxy_pass_url, transport, description, enabled, tags, license, version, owner, "
                                + "homepage, repository, replicas, forward_caller_token, upstream_headers",
                        "4 problems in 3 of 3 files",
                        ""));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void printsGithubAnnotationsWithEscapedProperties() throws Exception {
        Files.writeString(servers.resolve("time.yaml"), VALID.replace("Tells the time.", "\"100% 'x\\a'\""));

        CommandRun run = CommandRun.of(
                "validate", "--allow-upstream", "127.0.0.1/32", "--servers", servers.toString(), "--format", "github");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .isEqualTo("::error file=" + servers.toString().replace(":", "%3A")
                        + "/time.yaml,line=5,col=14,title=description::contains a control character (U+0007) at "
                        + "character 8; no string may contain control, invisible or bidirectional formatting characters "
                        + "(write descriptions on one line)\n1 problem in 1 of 1 file\n");
    }

    @Test
    void escapesPercentAndNewlinesInGithubMessages() throws Exception {
        Files.writeString(servers.resolve("time.yaml"), VALID + "\"100%\": 1\n");

        CommandRun run = CommandRun.of(
                "validate", "--allow-upstream", "127.0.0.1/32", "--servers", servers.toString(), "--format=github");

        assertThat(run.out()).contains(",line=6,col=1,title=100%25::unknown field;");
    }

    @Test
    void printsAMachineReadableReport() throws Exception {
        String dir = brokenRegistry();

        CommandRun run =
                CommandRun.of("validate", "--allow-upstream", "127.0.0.1/32", "--servers", dir, "--format", "json");

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode report = JsonMapper.shared().readTree(run.out());
        assertThat(report.path("valid").asBoolean()).isFalse();
        assertThat(report.path("files").asInt()).isEqualTo(3);
        assertThat(report.path("summary").asString()).isEqualTo("4 problems in 3 of 3 files");
        JsonNode first = report.path("problems").get(2);
        assertThat(first.path("file").asString()).isEqualTo(dir + "/time.yaml");
        assertThat(first.path("line").asInt()).isEqualTo(4);
        assertThat(first.path("column").asInt()).isEqualTo(12);
        assertThat(first.path("field").asString()).isEqualTo("transport");
        assertThat(first.path("message").asString()).isEqualTo("must be one of streamable-http, sse (got 'http')");
    }

    @Test
    void printsAValidJsonReportToo() {
        CommandRun run = CommandRun.of(
                "validate", "--allow-upstream", "127.0.0.1/32", "--servers", "../servers", "--format", "json");

        assertThat(run.exitCode()).isZero();
        assertThat(JsonMapper.shared().readTree(run.out()).path("problems").isEmpty())
                .isTrue();
    }

    @Test
    void reportsAnEmptyDirectoryAsAFailedCheck() {
        CommandRun run = CommandRun.of("validate", "--allow-upstream", "127.0.0.1/32", "--servers", servers.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith(servers + ": no server entries (*.yaml, *.yml) found;");
    }

    @Test
    void treatsAMissingDirectoryAsAUsageError() {
        CommandRun run = CommandRun.of(
                "validate",
                "--allow-upstream",
                "127.0.0.1/32",
                "--servers",
                servers.resolve("nope").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo(
                        "validate: --servers: directory '" + servers.resolve("nope") + "' does not "
                                + "exist; run from the registry's root or pass --servers DIR\nRun 'mcpgw validate --help' for usage.\n");
        assertThat(run.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void treatsAFileAsAUsageError() throws Exception {
        Path file = Files.writeString(servers.resolve("time.yaml"), VALID);

        CommandRun run = CommandRun.of("validate", "--allow-upstream", "127.0.0.1/32", "--servers", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("is a file, not a directory of server entries");
    }

    @Test
    void rejectsUnknownOptionsAndFormatsWithUsageExitCode() {
        assertThat(CommandRun.of("validate", "--srevers", "x").exitCode()).isEqualTo(2);
        CommandRun badFormat = CommandRun.of("validate", "--format", "xml");
        assertThat(badFormat.exitCode()).isEqualTo(2);
        assertThat(badFormat.err())
                .contains("Invalid value for option '--format'")
                .contains("text, github, json");
    }

    @Test
    void refusesUpstreamsInsideThisMachineOrACloudUnlessTheOperatorAllowsThem(@TempDir Path dir) throws Exception {
        Path servers = Files.createDirectories(dir.resolve("servers"));
        String[][] attacks = {
            {"own", "http://127.0.0.1:7860"},
            {"meta", "http://169.254.169.254/latest"},
            {"hidden", "http://2130706433:80"},
            {"mapped", "http://[::ffff:127.0.0.1]:80"},
            {"named", "http://localhost:80"}
        };
        for (String[] attack : attacks) {
            Files.writeString(
                    servers.resolve(attack[0] + ".yaml"),
                    "name: " + attack[0] + "\npath: /" + attack[0] + "\nproxy_pass_url: " + attack[1]
                            + "\ntransport: streamable-http\ndescription: An attempt.\n");
        }
        CommandRun refused = CommandRun.of("validate", "--servers", servers.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        for (String[] attack : attacks) {
            assertThat(refused.out()).contains("servers/" + attack[0] + ".yaml:3:17: proxy_pass_url: ");
        }
        assertThat(refused.out())
                .contains(
                        "--allow-upstream",
                        "cloud metadata",
                        "IPv4 address in its usual form",
                        "written inside IPv6",
                        "names this machine");
        CommandRun allowed = CommandRun.of(
                "validate",
                "--allow-upstream",
                "127.0.0.1/32",
                "--allow-upstream",
                "localhost",
                "--servers",
                servers.toString());
        assertThat(allowed.out())
                .contains("meta.yaml", "hidden.yaml", "mapped.yaml")
                .doesNotContain("own.yaml", "named.yaml");
        assertThat(CommandRun.of("validate", "--allow-upstream", "0x7f.1", "--servers", servers.toString())
                        .exitCode())
                .as("an allowance that hides an address is a usage error")
                .isEqualTo(2);
    }

    @Test
    void documentsItself() throws Exception {
        Golden.assertMatches("mcpgw-help.txt", CommandRun.of("--help").out());
        Golden.assertMatches(
                "mcpgw-validate-help.txt", CommandRun.of("validate", "--help").out());
    }

    @Test
    void everySubcommandDocumentsItselfAsPinned() throws Exception {
        java.util.Set<String> names =
                new java.util.TreeSet<>(Mcpgw.commandLine().getSubcommands().keySet());
        names.remove("help");
        assertThat(names).contains("validate", "compile", "serve", "search", "up", "token");
        for (String name : names) {
            CommandRun help = CommandRun.of(name, "--help");
            assertThat(help.exitCode()).as(name).isZero();
            Golden.assertMatches("help/mcpgw-" + name + ".txt", help.out());
        }
        CommandLine token = Mcpgw.commandLine().getSubcommands().get("token");
        for (String sub : new java.util.TreeSet<>(token.getSubcommands().keySet())) {
            Golden.assertMatches(
                    "help/mcpgw-token-" + sub + ".txt",
                    CommandRun.of("token", sub, "--help").out());
        }
    }
}
