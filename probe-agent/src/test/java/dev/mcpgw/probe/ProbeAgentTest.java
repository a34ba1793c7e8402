package dev.mcpgw.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.logging.LogCapture;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.examples.CurrentTime;
import dev.mcpgw.examples.FinInfo;
import dev.mcpgw.examples.McpHttpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe agent against real MCP servers (healthy, slow, broken, changing) and a real Git repository,
 * read back with the git command.
 */
class ProbeAgentTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path work;

    private Path repo;
    private Git git;
    private final List<AutoCloseable> running = new ArrayList<>();
    private McpHttpServer time;
    private ServerSocket silent;

    @BeforeEach
    void setUp() throws Exception {
        repo = work.resolve("registry");
        git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
        time = McpHttpServer.start(
                CurrentTime.definition(Clock.systemUTC(), null),
                McpHttpServer.Transport.STREAMABLE_HTTP,
                "127.0.0.1",
                0);
        McpHttpServer fin = McpHttpServer.start(FinInfo.definition(null), McpHttpServer.Transport.SSE, "127.0.0.1", 0);
        running.add(time);
        running.add(fin);
        silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            List<Socket> held = new ArrayList<>();
            while (!silent.isClosed()) {
                try {
                    held.add(silent.accept()); // accepts and never answers
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        HttpServer broken = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        broken.createContext("/error", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        broken.createContext("/garbage", exchange -> {
            byte[] body = "{\"jsonrpc\": \"2.0\", \"id\": [oops".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        broken.start();
        running.add(() -> broken.stop(0));

        entry("time", "http://127.0.0.1:" + time.port(), "streamable-http", true);
        entry("fin", "http://127.0.0.1:" + fin.port(), "sse", true);
        entry("off", "http://127.0.0.1:9", "streamable-http", false);
        entry("refused", "http://127.0.0.1:" + freePort(), "streamable-http", true);
        entry("silent", "http://127.0.0.1:" + silent.getLocalPort(), "streamable-http", true);
        entry("error", "http://127.0.0.1:" + broken.getAddress().getPort() + "/error", "streamable-http", true);
        entry("garbage", "http://127.0.0.1:" + broken.getAddress().getPort() + "/garbage", "streamable-http", true);
        commitConfig("add servers");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable server : running) {
            server.close();
        }
        silent.close();
        git.close();
    }

    private void entry(String id, String url, String transport, boolean enabled) throws IOException {
        Files.createDirectories(repo.resolve("servers"));
        Files.writeString(
                repo.resolve("servers/" + id + ".yaml"),
                "name: " + id + "\npath: /" + id
                        + "\nproxy_pass_url: " + url + "\ntransport: " + transport
                        + "\ndescription: Test server.\nenabled: "
                        + enabled + "\n");
    }

    private void commitConfig(String message) throws Exception {
        git.add().addFilepattern("servers").call();
        git.add().addFilepattern("servers").setUpdate(true).call();
        git.commit()
                .setMessage(message)
                .setAuthor("Test", "test@example.com")
                .setCommitter("Test", "test@example.com")
                .call();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private ProbeAgent agent(GitStore store) {
        return new ProbeAgent(
                store,
                new ProbeAgent.Settings(
                        "main",
                        "status",
                        8,
                        TIMEOUT,
                        Duration.ZERO,
                        null,
                        dev.mcpgw.core.model.EgressPolicy.strict(
                                java.util.List.of("127.0.0.1/32"), java.util.List.of())),
                RegistryValidator.create(),
                Clock.systemUTC());
    }

    /** Runs the git command in the registry and returns its output. */
    private String gitCommand(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void recordsHealthToolsAndFailuresOnTheStatusBranch() throws Exception {
        try (GitStore store = GitStore.open(repo);
                ProbeAgent agent = agent(store)) {
            long start = System.nanoTime();
            ProbeAgent.Round round = agent.runRound();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

            assertThat(seconds)
                    .as("a silent server costs its own timeout, not the round's")
                    .isLessThan(8);
            Map<String, ServerStatus> byId =
                    round.observed().stream().collect(Collectors.toMap(ServerStatus::id, s -> s));
            assertThat(byId.get("time").health()).isEqualTo(Health.HEALTHY);
            assertThat(byId.get("time").protocolVersion())
                    .as("our example servers speak both eras: the newest is spoken")
                    .isEqualTo("2026-07-28");
            assertThat(byId.get("fin").health()).isEqualTo(Health.HEALTHY);
            assertThat(byId.get("fin").protocolVersion())
                    .as("the legacy SSE transport is of the stateful era")
                    .isLessThan("2026");
            assertThat(byId.get("off").health()).isEqualTo(Health.DISABLED);
            assertThat(byId.get("refused").health()).isEqualTo(Health.UNREACHABLE);
            assertThat(byId.get("refused").errorKind()).isEqualTo("connection_refused");
            assertThat(byId.get("silent").health()).isEqualTo(Health.UNHEALTHY);
            assertThat(byId.get("silent").errorKind()).isEqualTo("timeout");
            assertThat(byId.get("error").health()).isEqualTo(Health.UNHEALTHY);
            assertThat(byId.get("garbage").health()).isEqualTo(Health.UNHEALTHY);
            assertThat(round.written().committed()).isTrue();
        }
        String head = gitCommand("rev-parse", "main").strip();
        String time = gitCommand("show", "status:servers/time.json");
        assertThat(time)
                .contains(
                        "\"health\" : \"healthy\"",
                        "\"name\" : \"current_time\"",
                        "\"observed_revision\" : \"" + head + "\"",
                        "\"protocol_version\" : \"2026-07-28\"",
                        "\"protocol_versions\" : [ \"2026-07-28\", \"2025-11-25\" ]");
        assertThat(gitCommand("show", "status:servers/fin.json")).contains("\"name\" : \"get_stock_quote\"");
        assertThat(gitCommand("show", "status:servers/off.json")).contains("\"health\" : \"disabled\"");
        assertThat(gitCommand("show", "status:servers/refused.json"))
                .contains("\"error_kind\" : \"connection_refused\"");
        assertThat(gitCommand("ls-tree", "--name-only", "status", "servers/").lines())
                .containsExactly(
                        "servers/error.json",
                        "servers/fin.json",
                        "servers/garbage.json",
                        "servers/off.json",
                        "servers/refused.json",
                        "servers/silent.json",
                        "servers/time.json");
        assertThat(gitCommand("status", "--porcelain"))
                .as("the working tree is never touched")
                .isEmpty();
        assertThat(gitCommand("rev-parse", "--abbrev-ref", "HEAD").strip()).isEqualTo("main");
    }

    @Test
    void commitsOnlyWhenSomethingChangedAndReportsToolChanges() throws Exception {
        try (GitStore store = GitStore.open(repo);
                ProbeAgent agent = agent(store)) {
            agent.runRound();
            String afterFirst = gitCommand("rev-parse", "status").strip();

            ProbeAgent.Round quiet = agent.runRound();
            assertThat(quiet.written().committed()).isFalse();
            assertThat(gitCommand("rev-parse", "status").strip()).isEqualTo(afterFirst);

            time.addTool(McpServerFeatures.SyncToolSpecification.builder()
                    .tool(McpSchema.Tool.builder()
                            .name("world_clock")
                            .description("Times in many zones.")
                            .inputSchema(Map.of("type", "object"))
                            .build())
                    .callHandler((exchange, request) -> McpSchema.CallToolResult.builder()
                            .addTextContent("x")
                            .build())
                    .build());
            time.removeTool(CurrentTime.TOOL);
            ProbeAgent.Round changed;
            try (LogCapture log = LogCapture.open()) {
                changed = agent.runRound();
                assertThat(log.lines())
                        .as("the change is logged as it is recorded")
                        .filteredOn(line -> line.startsWith("ProbeAgent "))
                        .containsExactly("ProbeAgent time: tools added world_clock; removed current_time");
            }

            assertThat(changed.written().changes())
                    .containsExactly("time: tools added world_clock; removed current_time");
        }
        String config = gitCommand("rev-parse", "--short=12", "main").strip();
        assertThat(gitCommand("log", "--format=%s", "status", "--", "servers/time.json")
                        .lines())
                .containsExactly(
                        "probe: time: tools added world_clock; removed current_time (config " + config + ")",
                        "probe: 7 servers changed (config " + config + ")");
        assertThat(gitCommand("show", "status:servers/time.json")).contains("\"removed\" : [ \"current_time\" ]");
    }

    @Test
    void removesTheStatusOfServersRemovedFromTheRegistry() throws Exception {
        try (GitStore store = GitStore.open(repo);
                ProbeAgent agent = agent(store)) {
            agent.runRound();
            git.rm().addFilepattern("servers/garbage.yaml").call();
            commitConfig("remove garbage");

            ProbeAgent.Round round = agent.runRound();

            assertThat(round.written().changes()).contains("garbage: removed from the registry");
            assertThat(agent.latest()).doesNotContainKey("garbage");
        }
        assertThat(gitCommand("ls-tree", "--name-only", "status", "servers/")).doesNotContain("garbage.json");
    }
}
