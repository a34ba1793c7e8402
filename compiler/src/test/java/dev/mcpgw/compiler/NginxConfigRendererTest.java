package dev.mcpgw.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.testing.Golden;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.ValidationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Tag("nginx")
class NginxConfigRendererTest {

    private static final Path REGISTRY = Path.of("src", "test", "resources", "registry");

    private final NginxConfigRenderer renderer = new NginxConfigRenderer();

    private static List<ServerEntry> entries() throws Exception {
        ValidationReport report = RegistryValidator.create().validateDirectory(REGISTRY, "registry");
        assertThat(report.problems()).isEmpty();
        return report.entries();
    }

    private static GatewaySettings full() {
        return GatewaySettings.defaults()
                .withListen(new HostPort("0.0.0.0", 8443))
                .withRuntime(UpstreamUrl.parse("http://127.0.0.1:7860"))
                .withTls(
                        new GatewaySettings.Tls(Path.of("/etc/mcpgw/tls/cert.pem"), Path.of("/etc/mcpgw/tls/key.pem")),
                        new HostPort("0.0.0.0", 8080));
    }

    @Test
    void rendersTheDefaultGateway() throws Exception {
        Golden.assertMatches("nginx-default.conf", renderer.render(entries(), GatewaySettings.defaults()));
    }

    @Test
    void rendersAGatewayWithRuntimeAndTls() throws Exception {
        Golden.assertMatches("nginx-runtime-tls.conf", renderer.render(entries(), full()));
    }

    @Test
    void rendersAGatewayThatChecksAccessWithTheRuntime() throws Exception {
        Golden.assertMatches("nginx-auth.conf", renderer.render(entries(), authenticated()));
    }

    private static GatewaySettings authenticated() {
        return GatewaySettings.defaults()
                .withRuntime(UpstreamUrl.parse("http://127.0.0.1:7860"))
                .withAuth(true);
    }

    @Test
    void rendersByteIdenticalOutputWhateverTheInputOrder() throws Exception {
        List<ServerEntry> shuffled = new ArrayList<>(entries());
        Collections.reverse(shuffled);

        assertThat(renderer.render(shuffled, full())).isEqualTo(renderer.render(entries(), full()));
    }

    @Test
    void passesNginxTForBothShapes(@TempDir Path prefix) throws Exception {
        NginxProcess.test(prefix.resolve("default"), renderer.render(entries(), GatewaySettings.defaults()));
        // TLS needs real files; the redirect and runtime parts are checked with a generated pair.
        Path cert = TestCertificates.selfSigned(prefix.resolve("tls"));
        GatewaySettings tls = full().withTls(
                        new GatewaySettings.Tls(cert, cert.resolveSibling("key.pem")), new HostPort("127.0.0.1", 8080));
        NginxProcess.test(prefix.resolve("tls"), renderer.render(entries(), tls));
        NginxProcess.test(prefix.resolve("auth"), renderer.render(entries(), authenticated()));
    }

    @Test
    void writesNoUserTextIntoComments() throws Exception {
        String config = renderer.render(entries(), full());

        assertThat(config.lines().filter(line -> line.strip().startsWith("#")))
                .noneMatch(line -> line.contains("currenttime") || line.contains("Tells") || line.contains("10.0.0"));
    }
}
