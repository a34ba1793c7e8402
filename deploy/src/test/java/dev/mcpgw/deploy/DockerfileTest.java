package dev.mcpgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The multi-stage Dockerfile, checked without Docker (none runs here): its stages are the ones the workflows and
 * manifests name, every COPY --from names an earlier stage, what it copies out of the build is what the Maven
 * build makes, and its mcpgw command lines are ones mcpgw accepts.
 */
class DockerfileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void stagesBuildOnEachOtherAndCopyWhatTheBuildMakes() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile")).replace("\\\n", " ");
        List<String> stages = new ArrayList<>();
        Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)\\s+AS\\s+(\\S+)").matcher(dockerfile);
        while (from.find()) {
            stages.add(from.group(2));
        }
        assertThat(stages).containsExactly("build", "runtime", "gateway-base", "gateway");
        assertThat(Files.readString(ROOT.resolve(".github/workflows/registry-pr.yml")))
                .contains("--target gateway-base");

        Matcher copy = Pattern.compile("(?m)^COPY --from=(\\S+)(?: --chown=\\S+)? (\\S+)")
                .matcher(dockerfile);
        int copies = 0;
        while (copy.find()) {
            String stage = copy.group(1);
            assertThat(stages.subList(0, stages.size()))
                    .as("COPY --from names a stage")
                    .contains(stage);
            String source = copy.group(2);
            if (source.startsWith("/src/cli/target/")) {
                assertThat(ROOT.resolve(source.substring("/src/".length())))
                        .as("the Maven build (cli module, package) makes " + source)
                        .exists();
            }
            copies++;
        }
        assertThat(copies).isGreaterThanOrEqualTo(3);
    }

    @Test
    void itsMcpgwCommandLinesAreValid() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile")).replace("\\\n", " ");
        Matcher compile = Pattern.compile("\\./mcpgw\\s+([^&\\n]+)").matcher(dockerfile);
        assertThat(compile.find()).isTrue();
        CommandLines.assertAccepted(CommandLines.words(compile.group(1)), "Dockerfile build stage");
        Matcher cmd = Pattern.compile("(?m)^CMD \\[(.+)]").matcher(dockerfile);
        assertThat(cmd.find()).isTrue();
        List<String> args = new ArrayList<>();
        for (String word : cmd.group(1).split(",")) {
            args.add(word.strip().replace("\"", ""));
        }
        CommandLines.assertAccepted(args, "Dockerfile runtime CMD");
    }
}
