package dev.mcpgw.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native crash found in a bench run (SIGBUS inside libonnxruntime on the search-index thread, 2.9 s into
 * {@code mcpgw up}): the JVM exited - running the native library's destructors - while another thread was
 * inside it, loading the model. Here JVMs set up as the CLI are sent SIGTERM at moments spread over the model's
 * loading and use; each must end as SIGTERM ends a JVM (status 143), with no crash log.
 */
class ModelShutdownTest {

    @TempDir
    Path work;

    @Test
    void stoppingWhileTheModelLoadsOrEmbedsNeverCrashesTheJvm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (long after : new long[] {50, 300, 600, 900, 1200, 1500, 1800, 2500}) {
            Process jvm = new ProcessBuilder(
                            java,
                            "-Xmx512m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            ExitDuringModelLoad.class.getName())
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("out-" + after + ".txt").toFile())
                    .start();
            Thread.sleep(after);
            jvm.destroy(); // SIGTERM, as a service manager or Ctrl-C (SIGINT) stops mcpgw up
            assertThat(jvm.waitFor(60, TimeUnit.SECONDS))
                    .as("exit after %d ms", after)
                    .isTrue();
            assertThat(jvm.exitValue())
                    .as("SIGTERM after %d ms: %s", after, Files.readString(work.resolve("out-" + after + ".txt")))
                    .isEqualTo(143);
        }
        try (Stream<Path> files = Files.list(work)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).noneMatch(name -> name.startsWith("hs_err"));
        }
    }
}
