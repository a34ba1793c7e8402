package dev.mcpgw.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.validation.RegistryValidator;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS termination and the HTTP-to-HTTPS redirect, with a real certificate and real nginx. */
@org.junit.jupiter.api.Tag("nginx")
class TlsGatewayTest {

    @TempDir
    Path work;

    @Test
    void terminatesTlsAndRedirectsPlainHttp() throws Exception {
        NginxProcess.requireNginx();
        Path cert = TestCertificates.selfSigned(work.resolve("tls"));
        Path servers = Files.createDirectories(work.resolve("servers"));
        Files.writeString(
                servers.resolve("off.yaml"),
                "name: off\npath: /off\nproxy_pass_url: http://127.0.0.1:9\n"
                        + "transport: sse\ndescription: off.\nenabled: false\n");
        int https = NginxProcess.freePort();
        int http = NginxProcess.freePort();
        GatewaySettings settings = GatewaySettings.defaults()
                .withListen(new HostPort("127.0.0.1", https))
                .withTls(new GatewaySettings.Tls(cert, cert.resolveSibling("key.pem")), new HostPort("127.0.0.1", http))
                .withWeb(new GatewaySettings.Web(
                        "https://localhost:" + https, java.util.List.of(), java.util.List.of()));
        String config = new GatewayCompiler(RegistryValidator.create())
                .compile(servers, "servers", settings)
                .config();

        try (NginxProcess nginx = NginxProcess.start(work.resolve("prefix"), config, https)) {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(trusting(cert))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

            HttpResponse<String> secure = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + https + "/off/sse"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(secure.statusCode()).isEqualTo(503);
            assertThat(secure.body()).contains("\"server\":\"off\"");
            assertThat(secure.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");

            HttpResponse<String> plain = client.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + http + "/off/sse?x=1"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).isEqualTo(308);
            assertThat(plain.headers().firstValue("Location")).hasValue("https://localhost:" + https + "/off/sse?x=1");
        }
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry(
                    "gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
