package dev.mcpgw.runtime;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.mcpgw.runtime.auth.OidcTokens;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

/** A real identity provider for tests: an RSA key, its JWKS served on loopback, and access tokens it signs. */
final class TestIdentityProvider implements AutoCloseable {

    static final String ISSUER = "https://idp.example.com";

    private final RSAKey key;
    private final HttpServer server;

    TestIdentityProvider() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
    }

    RSAKey key() {
        return key;
    }

    /** What the runtime needs to accept this provider's tokens (groups from the {@code groups} claim). */
    OidcTokens.Settings settings() throws Exception {
        return new OidcTokens.Settings(
                ISSUER,
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks")
                        .toURL(),
                "groups");
    }

    /** A signed access token for {@code user} in {@code groups}, for {@code audience}, valid five minutes; then changed. */
    String token(String user, List<String> groups, String audience, Consumer<JWTClaimsSet.Builder> change)
            throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(user)
                .audience(audience)
                .claim("groups", groups)
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
