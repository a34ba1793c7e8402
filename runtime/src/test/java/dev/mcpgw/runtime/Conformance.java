package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.testing.NodeTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance}, pinned in test-tools/), run for
 * real against a URL, with the Node.js 22 it needs (Debian ships 20). {@code .ci/run} installs test-tools/ before
 * {@code mvn -B verify}; when they are missing (a first run by hand) this installs them with {@code npm ci}, and
 * fails loudly when npm is missing.
 */
final class Conformance {

    private static final Path RESULTS = Path.of("target", "conformance").toAbsolutePath();

    /** One check's outcome: its id, SUCCESS / FAILURE / WARNING / INFO / SKIPPED, and the suite's message. */
    record Check(String id, String status, String error) {}

    private Conformance() {}

    /** Runs {@code scenario} against the MCP endpoint {@code url} at {@code specVersion}; every check it made. */
    static List<Check> run(String url, String scenario, String specVersion) throws Exception {
        return suite(url, "--scenario", scenario, "--spec-version", specVersion).stream()
                .map(check ->
                        new Check(check.id().substring(check.id().indexOf('/') + 1), check.status(), check.error()))
                .toList();
    }

    /**
     * Runs every scenario {@code revision} requires ({@code --requirements}) against {@code url}; each check is
     * named {@code <scenario>/<check id>}.
     */
    static List<Check> requirements(String url, String revision) throws Exception {
        return suite(url, "--requirements", revision);
    }

    /** The suite's server mode against {@code url} with {@code options}; every check, named by its scenario. */
    private static List<Check> suite(String url, String... options) throws Exception {
        Files.createDirectories(RESULTS);
        Path out = Files.createTempDirectory(RESULTS, "results-");
        Path log = out.resolve("output.txt");
        List<String> command = new ArrayList<>(List.of(
                NodeTools.node().toString(),
                NodeTools.file("node_modules/@modelcontextprotocol/conformance/dist/index.js")
                        .toString(),
                "server",
                "--url",
                url,
                "-o",
                out.toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(process.waitFor(300, TimeUnit.SECONDS))
                .as("the conformance suite finished")
                .isTrue();
        List<Check> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path checks : files.filter(
                            file -> file.getFileName().toString().equals("checks.json"))
                    .toList()) {
                String scenario = checks.getParent()
                        .getFileName()
                        .toString()
                        .replaceFirst("^server-", "")
                        .replaceFirst("-\\d{4}-\\d{2}-\\d{2}T.*$", "");
                for (JsonNode check : JsonMapper.shared().readTree(checks.toFile())) {
                    found.add(new Check(
                            scenario + "/" + check.path("id").asString(),
                            check.path("status").asString(),
                            check.path("errorMessage").asString("")));
                }
            }
        }
        if (found.isEmpty()) {
            throw new AssertionError(
                    "the conformance suite wrote no checks.json: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return found;
    }
}
