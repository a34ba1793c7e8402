package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing out holds across replicas and restarts (the Kubernetes deployment runs three runtimes with one
 * SECRET_KEY): a cookie signed out on one replica is refused by another, and by a runtime started afterwards.
 */
class SignOutEverywhereTest {

    @TempDir
    Path work;

    @Test
    void aSignedOutCookieWorksNowhere() throws Exception {
        Path repo = TestRegistry.create(
                work.resolve("registry"),
                Map.of("servers/off.yaml", TestRegistry.entry("off", "http://127.0.0.1:9", false)));
        String cookie;
        try (RegistryRuntime one = RegistryRuntime.start(TestRegistry.settings(repo));
                RegistryRuntime two = RegistryRuntime.start(TestRegistry.settings(repo))) {
            Http first = new Http(one);
            first.login();
            cookie = first.cookie();
            Http second = new Http(two);
            assertThat(second.get("/api/server_details/all", "Cookie", cookie).status())
                    .as("any replica accepts the session")
                    .isEqualTo(200);
            String csrf = first.get("/api/session").json().path("csrf_token").asString();
            assertThat(first.form("/logout", Map.of(), "X-CSRF-Token", csrf).status())
                    .isEqualTo(200);
            assertThat(new Http(one)
                            .get("/api/server_details/all", "Cookie", cookie)
                            .status())
                    .isEqualTo(401);
            TestRegistry.await(
                    () -> second.get("/api/server_details/all", "Cookie", cookie)
                            .status(),
                    status -> status == 401);
        }
        try (RegistryRuntime restarted = RegistryRuntime.start(TestRegistry.settings(repo))) {
            assertThat(new Http(restarted)
                            .get("/api/server_details/all", "Cookie", cookie)
                            .status())
                    .as("and after a restart")
                    .isEqualTo(401);
        }
    }
}
