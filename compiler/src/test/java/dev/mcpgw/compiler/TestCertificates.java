package dev.mcpgw.compiler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for localhost, made with Debian's openssl. */
final class TestCertificates {

    private TestCertificates() {}

    /** Writes cert.pem and key.pem into {@code directory}; returns cert.pem. */
    static Path selfSigned(Path directory) throws Exception {
        Files.createDirectories(directory);
        Path cert = directory.resolve("cert.pem");
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-subj",
                        "/CN=localhost",
                        "-days",
                        "1",
                        "-keyout",
                        directory.resolve("key.pem").toString(),
                        "-out",
                        cert.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(openssl.getInputStream().readAllBytes());
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new AssertionError("openssl could not make a test certificate (apt-get install openssl):\n" + output);
        }
        return cert;
    }
}
