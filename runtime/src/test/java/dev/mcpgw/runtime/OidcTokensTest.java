package dev.mcpgw.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpgw.runtime.auth.OidcTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access tokens of an external identity provider: only valid, current tokens for the right resource pass. */
class OidcTokensTest {

    private static final String ISSUER = TestIdentityProvider.ISSUER;
    private static final String GATEWAY = "https://gateway.example.com";

    @TempDir
    Path work;

    private TestIdentityProvider idp;
    private RSAKey key;
    private RegistryRuntime runtime;
    private Http http;

    @BeforeEach
    void start() throws Exception {
        idp = new TestIdentityProvider();
        key = idp.key();
        Path repo = TestRegistry.create(
                work.resolve("registry"),
                Map.of(
                        "servers/time.yaml", TestRegistry.entry("time", "http://127.0.0.1:9", true),
                        "servers/clock.yaml", TestRegistry.entry("clock", "http://127.0.0.1:9", true),
                        "access.yaml", "groups:\n  analysts:\n    servers:\n      time: {tools: \"*\"}\n"));
        OidcTokens.Settings oidc = idp.settings();
        RuntimeSettings.Builder settings = TestRegistry.settings(repo)
                .probing(new RuntimeSettings.Probing(false, Duration.ofHours(1), Duration.ofSeconds(2)))
                .gatewayUrl(GATEWAY);
        runtime = RegistryRuntime.start(
                settings.auth(new RuntimeSettings.Auth(TestRegistry.AUTH.admin(), TestRegistry.AUTH.key(), oidc))
                        .search(false));
        http = new Http(runtime);
    }

    @AfterEach
    void stop() {
        runtime.close();
        idp.close();
    }

    private String token(Consumer<JWTClaimsSet.Builder> change) throws Exception {
        return idp.token("alice", List.of("analysts"), GATEWAY + "/time/mcp", change);
    }

    private int check(String server, String token) throws Exception {
        return http.method("POST", "/auth/check", "X-Mcpgw-Server", server, "Authorization", "Bearer " + token)
                .status();
    }

    @Test
    void aValidTokenForTheServerPassesWithItsGroups() throws Exception {
        Http.Response passed = http.method(
                "POST", "/auth/check", "X-Mcpgw-Server", "time", "Authorization", "Bearer " + token(c -> {}));
        assertThat(passed.status()).isEqualTo(200);
        assertThat(passed.header("X-Mcpgw-User")).isEqualTo("alice");
        assertThat(passed.header("X-Mcpgw-Groups")).isEqualTo("analysts");
        assertThat(check("clock", token(c -> c.audience(GATEWAY + "/clock/mcp"))))
                .as("not granted")
                .isEqualTo(403);
        assertThat(http.get("/api/server_details/all", "Authorization", "Bearer " + token(c -> c.audience(GATEWAY)))
                        .json()
                        .propertyNames())
                .containsExactly("/time");
        assertThat(http.get("/v0.1/servers", "Authorization", "Bearer " + token(c -> c.audience(GATEWAY)))
                        .json()
                        .path("metadata")
                        .path("count")
                        .asInt())
                .as("the v0.1 API lists what the caller may reach")
                .isEqualTo(1);
        assertThat(http.get("/v0.1/servers")
                        .json()
                        .path("metadata")
                        .path("count")
                        .asInt())
                .as("anonymously, with access.yaml: nothing")
                .isZero();
    }

    @Test
    void subjectsThatAreNotUserNamesStayDistinctUsers() throws Exception {
        // Auth0 and Google subjects ("auth0|...", "google-oauth2|...") and very long ones: each its own user - one
        // name for all of them would share their MCP sessions' keys, audit lines and call limits.
        List<String> users = new java.util.ArrayList<>();
        for (String subject : List.of("auth0|65a1b2c3", "auth0|65a1b2c4", "google-oauth2|1049", "x".repeat(200), "|")) {
            Http.Response passed = http.method(
                    "POST",
                    "/auth/check",
                    "X-Mcpgw-Server",
                    "time",
                    "Authorization",
                    "Bearer " + token(c -> c.subject(subject)));
            assertThat(passed.status()).as(subject).isEqualTo(200);
            users.add(passed.header("X-Mcpgw-User"));
        }
        assertThat(users)
                .doesNotHaveDuplicates()
                .allSatisfy(user -> assertThat(user).matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}"));
        assertThat(users.get(0)).startsWith("auth0-65a1b2c3-");
        // a subject chosen to look like another's derived name is not that name
        String lookalike = http.method(
                        "POST",
                        "/auth/check",
                        "X-Mcpgw-Server",
                        "time",
                        "Authorization",
                        "Bearer " + token(c -> c.subject(users.get(0))))
                .header("X-Mcpgw-User");
        assertThat(lookalike).isNotEqualTo(users.get(0)).matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
        assertThat(users.get(4)).startsWith("oidc-");
    }

    @Test
    void everyBadTokenIsRefused() throws Exception {
        assertThat(check(
                        "time",
                        token(c -> c.expirationTime(Date.from(Instant.now().minusSeconds(600))))))
                .as("expired")
                .isEqualTo(401);
        assertThat(check(
                        "time",
                        token(c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(600))))))
                .as("not yet valid")
                .isEqualTo(401);
        assertThat(check("time", token(c -> c.issuer("https://evil.example.com"))))
                .as("wrong issuer")
                .isEqualTo(401);
        assertThat(check("time", token(c -> c.audience(GATEWAY + "/clock/mcp"))))
                .as("wrong audience")
                .isEqualTo(401);
        assertThat(check("time", token(c -> c.audience("https://other.example.com/time/mcp"))))
                .as("other gateway")
                .isEqualTo(401);

        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        SignedJWT forged = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                SignedJWT.parse(token(c -> {})).getJWTClaimsSet());
        forged.sign(new RSASSASigner(stranger));
        assertThat(check("time", forged.serialize())).as("forged").isEqualTo(401);

        String none = new PlainJWT(SignedJWT.parse(token(c -> {})).getJWTClaimsSet()).serialize();
        assertThat(check("time", none)).as("alg none").isEqualTo(401);

        SignedJWT hmac = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256),
                SignedJWT.parse(token(c -> {})).getJWTClaimsSet());
        hmac.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
        assertThat(check("time", hmac.serialize()))
                .as("HMAC with the public key")
                .isEqualTo(401);

        Http.Response refused =
                http.method("POST", "/auth/check", "X-Mcpgw-Server", "time", "Authorization", "Bearer " + none);
        assertThat(refused.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }
}
