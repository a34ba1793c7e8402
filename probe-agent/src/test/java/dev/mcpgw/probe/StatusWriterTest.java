package dev.mcpgw.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.StatusJson;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusWriterTest {

    private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

    @TempDir
    Path work;

    private static ServerStatus seen(Instant at, Health health, String errorKind, String error, long latency) {
        return ServerStatus.builder("x", health, at)
                .error(errorKind, error)
                .latencyMs(latency)
                .serverInfo("x", "1")
                .protocolVersion("2025-11-25")
                .observedRevision("rev")
                .build();
    }

    @Test
    void ignoresCheckTimesLatenciesAndErrorWordingButNotTheKindOfError() throws Exception {
        Git.init().setBare(true).setDirectory(work.toFile()).call().close();
        try (GitStore store = GitStore.open(work)) {
            StatusWriter writer = new StatusWriter(store, "status", Duration.ZERO, null);
            Set<String> registered = Set.of("x");

            assertThat(writer.write(List.of(seen(T0, Health.UNHEALTHY, "http_500", "HTTP 500", 5)), registered, "rev")
                            .committed())
                    .isTrue();
            assertThat(writer.write(
                                    List.of(seen(
                                            T0.plusSeconds(60), Health.UNHEALTHY, "http_500", "HTTP 500 again", 9)),
                                    registered,
                                    "rev")
                            .committed())
                    .isFalse();
            StatusWriter.Written kind = writer.write(
                    List.of(seen(T0.plusSeconds(120), Health.UNHEALTHY, "timeout", "no answer", 9)), registered, "rev");

            assertThat(kind.committed()).isTrue();
            assertThat(kind.changes()).containsExactly("x: still unhealthy (no answer), was: HTTP 500");
        }
    }

    private static ServerStatus withTools(Instant at, String... names) {
        return seen(at, Health.HEALTHY, null, null, 5).toBuilder()
                .tools(
                        java.util.Arrays.stream(names)
                                .map(name -> new dev.mcpgw.core.status.ToolInfo(
                                        name,
                                        "does " + name,
                                        tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()))
                                .toList(),
                        false)
                .build();
    }

    @Test
    void aServerChurningItsToolsGetsOneRecordedChangePerInterval() throws Exception {
        Git.init().setBare(true).setDirectory(work.toFile()).call().close();
        try (GitStore store = GitStore.open(work)) {
            StatusWriter writer = new StatusWriter(store, "status", Duration.ZERO, null);
            Set<String> registered = Set.of("x");
            writer.write(List.of(withTools(T0, "a")), registered, "rev");
            StatusWriter.Written first =
                    writer.write(List.of(withTools(T0.plusSeconds(60), "a", "b")), registered, "rev");
            assertThat(first.changes()).containsExactly("x: tools added b");
            // Changed again a minute later, and again: held back, the list of the last recorded change stays.
            for (int minute = 2; minute < 11; minute++) {
                StatusWriter.Written churn = writer.write(
                        List.of(withTools(T0.plusSeconds(60L * minute), "a", "c" + minute)), registered, "rev");
                assertThat(churn.committed()).as("minute %d", minute).isFalse();
                assertThat(churn.recorded().get("x").tools())
                        .extracting(dev.mcpgw.core.status.ToolInfo::name)
                        .containsExactly("a", "b");
            }
            // Once the interval since the last recorded change has passed, the list as it is then.
            StatusWriter.Written later =
                    writer.write(List.of(withTools(T0.plusSeconds(60 + 601), "a", "z")), registered, "rev");
            assertThat(later.changes()).containsExactly("x: tools added z; removed b");
            // Health is never held back.
            assertThat(writer.write(
                                    List.of(seen(T0.plusSeconds(700), Health.UNHEALTHY, "timeout", "no answer", 5)),
                                    registered,
                                    "rev")
                            .committed())
                    .isTrue();
        }
    }

    @Test
    void commitsUnchangedStatusesOnceTheHeartbeatIsDue() throws Exception {
        Git.init().setBare(true).setDirectory(work.toFile()).call().close();
        try (GitStore store = GitStore.open(work)) {
            StatusWriter writer = new StatusWriter(store, "status", Duration.ofHours(1), null);
            Set<String> registered = Set.of("x");
            writer.write(List.of(seen(T0, Health.HEALTHY, null, null, 5)), registered, "rev");

            boolean early = writer.write(
                            List.of(seen(T0.plus(Duration.ofMinutes(30)), Health.HEALTHY, null, null, 5)),
                            registered,
                            "rev")
                    .committed();
            StatusWriter.Written due = writer.write(
                    List.of(seen(T0.plus(Duration.ofMinutes(61)), Health.HEALTHY, null, null, 5)), registered, "rev");

            assertThat(early).isFalse();
            assertThat(due.committed()).isTrue();
            assertThat(due.changes()).isEmpty();
            ServerStatus stored = StatusJson.read(
                    "x",
                    store.files(store.tip("status").orElseThrow(), "servers").get("servers/x.json"));
            assertThat(stored.checkedAt()).isEqualTo(T0.plus(Duration.ofMinutes(61)));
            assertThat(stored.healthSince())
                    .as("healthy since the first check that saw it")
                    .isEqualTo(T0);
        }
    }
}
