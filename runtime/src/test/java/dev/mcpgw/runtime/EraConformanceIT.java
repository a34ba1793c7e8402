package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.compiler.GatewaySettings;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.testing.NodeTools.ReferenceServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official conformance suite at what each revision requires ({@code --requirements 2026-07-28} and
 * {@code 2025-11-25}), against the TypeScript SDK v2's reference server serving both eras: directly, through the
 * compiled gateway without access checks, and through it with access checks on for a caller granted everything
 * (its token added by a front nginx, as an agent configured with one would send it). The gateway must be
 * transparent: every check has the same outcome as direct.
 */
@Tag("nginx")
@Tag("node")
@Tag("network") // npm installs test-tools/ when .ci/run has not
class EraConformanceIT {

    private static final String ACCESS = """
            groups:
              everything:
                servers:
                  ref: {tools: "*"}
            """;

    /**
     * Scenarios of both revisions the reference server's fixtures serve (the 2025 era's sampling, elicitation and
     * subscriptions need a stateful session it does not keep; the tasks extension it does not implement).
     */
    private static final java.util.regex.Pattern SERVED = java.util.regex.Pattern.compile(
            "^(tools-list|tools-call-(simple-text|image|audio|embedded-resource|mixed-content|error|with-progress)"
                    + "|resources-(list|read-text|read-binary|templates-read)|prompts-[a-z-]+|completion-complete"
                    + "|dns-rebinding-protection|caching|input-required-result-[a-z-]+)/");

    @TempDir
    Path work;

    @Test
    void throughTheGatewayEveryCheckEndsAsItDoesDirectlyInBothEras() throws Exception {
        List<TestGateway> started = new ArrayList<>();
        try (ReferenceServer reference = ReferenceServer.start("dual")) {
            Path repo = TestRegistry.create(
                    work.resolve("registry"),
                    Map.of(
                            "servers/ref.yaml",
                            TestRegistry.entry("ref", "http://127.0.0.1:" + reference.port(), true),
                            "access.yaml",
                            ACCESS));
            String token = TestGateway.token(repo, "agent", Set.of("everything"));
            int open = TestGateway.freePort();
            int checked = TestGateway.freePort();
            int front = TestGateway.freePort();
            try (RegistryRuntime runtime = RegistryRuntime.start(TestRegistry.settings(repo)
                    .gatewayUrl("http://127.0.0.1:" + checked)
                    .probing(new RuntimeSettings.Probing(false, Duration.ofHours(1), Duration.ofSeconds(2))))) {
                GatewaySettings base = GatewaySettings.defaults()
                        .withRuntime(UpstreamUrl.parse("http://127.0.0.1:" + runtime.port()))
                        .withWorkerProcesses("1");
                started.add(TestGateway.deploy(
                        work.resolve("open"), repo, base.withListen(new HostPort("127.0.0.1", open))));
                started.add(TestGateway.deploy(
                        work.resolve("checked"),
                        repo,
                        base.withListen(new HostPort("127.0.0.1", checked))
                                .withAuth(true)
                                // the front proxy passes the client's Host and Origin: its names are this gateway's too
                                .withWeb(new GatewaySettings.Web(
                                        "http://127.0.0.1:" + checked,
                                        List.of("localhost:" + front, "127.0.0.1:" + front),
                                        List.of("http://localhost:" + front, "http://127.0.0.1:" + front)))));
                started.add(TestGateway.deploy(work.resolve("front"), frontConfig(front, checked, token), front));
                for (String revision : List.of("2026-07-28", "2025-11-25")) {
                    Map<String, String> direct = outcomes(reference.url(), revision);
                    Map<String, String> served = new TreeMap<>(direct);
                    served.keySet().removeIf(check -> !SERVED.matcher(check).find());
                    assertThat(served)
                            .as(
                                    "the reference server passes the scenarios its fixtures serve, so the comparison"
                                            + " covers every content type, resources, prompts and multi-round trips (%s)",
                                    revision)
                            .hasSizeGreaterThan(30)
                            .allSatisfy((check, status) ->
                                    assertThat(status).as(check).isEqualTo("SUCCESS"));
                    assertThat(differences(direct, outcomes("http://localhost:" + open + "/ref/mcp", revision)))
                            .as("checks ending otherwise through the gateway without access checks, at %s", revision)
                            .isEmpty();
                    assertThat(differences(direct, outcomes("http://localhost:" + front + "/ref/mcp", revision)))
                            .as("checks ending otherwise through the gateway with access checks, at %s", revision)
                            .isEmpty();
                }
            }
        } finally {
            for (TestGateway gateway : started) {
                gateway.close();
            }
        }
    }

    /** Every check of the revision's required scenarios, scenario/check to status. */
    private static Map<String, String> outcomes(String url, String revision) throws Exception {
        Map<String, String> outcomes = new TreeMap<>();
        for (Conformance.Check check : Conformance.requirements(url, revision)) {
            outcomes.merge(check.id(), check.status(), (a, b) -> a + "," + b);
        }
        assertThat(outcomes).as("checks of %s at %s", url, revision).isNotEmpty();
        return outcomes;
    }

    /** Each check whose outcome differs: {@code check: direct -> through}. */
    private static List<String> differences(Map<String, String> direct, Map<String, String> through) {
        java.util.Set<String> checks = new java.util.TreeSet<>(direct.keySet());
        checks.addAll(through.keySet());
        return checks.stream()
                .filter(check -> !java.util.Objects.equals(direct.get(check), through.get(check)))
                .map(check -> check + ": " + direct.get(check) + " -> " + through.get(check))
                .toList();
    }

    /** An agent's side: every request gets its token, the rest passes as sent (streams unbuffered). */
    private static String frontConfig(int listen, int gateway, String token) {
        return """
                worker_processes 1;
                pid logs/nginx.pid;
                error_log logs/error.log warn;
                events { worker_connections 256; }
                http {
                    client_body_temp_path temp/client_body;
                    proxy_temp_path temp/proxy;
                    fastcgi_temp_path temp/fastcgi;
                    uwsgi_temp_path temp/uwsgi;
                    scgi_temp_path temp/scgi;
                    access_log off;
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            proxy_pass http://127.0.0.1:%d;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $http_host;
                            proxy_set_header Authorization "Bearer %s";
                            proxy_buffering off;
                            proxy_read_timeout 120s;
                        }
                    }
                }
                """.formatted(listen, gateway, token);
    }
}
