package dev.mcpgw.runtime.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URL;
import java.text.ParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * OAuth 2.1 / OIDC access tokens from an external identity provider: JWTs signed with a key from the issuer's
 * JWKS (fetched once and cached, so checks answer from memory), with the issuer, expiry and not-before checked,
 * a subject required, only asymmetric algorithms accepted ({@code alg: none} and HMAC tricks are refused) and the
 * audience the resource the token is for. Groups come from a configurable claim.
 */
public final class OidcTokens {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.EdDSA);

    private final ConfigurableJWTProcessor<SecurityContext> processor;
    private final String groupsClaim;

    /** Where the provider is: its issuer URL, its JWKS URL and the claim that lists a user's groups. */
    public record Settings(String issuer, URL jwks, String groupsClaim) {}

    public OidcTokens(Settings settings) {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(settings.jwks())
                .retrying(true)
                .build();
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                null, new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), Set.of("sub", "exp"), Set.of()));
        this.groupsClaim = settings.groupsClaim();
    }

    /** Whether every audience a (verified) token names is among {@code allowed}: then it is good nowhere else. */
    public static boolean audiencesWithin(String token, Set<String> allowed) {
        try {
            List<String> audiences =
                    com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getAudience();
            return audiences != null && !audiences.isEmpty() && allowed.containsAll(audiences);
        } catch (ParseException unreadable) {
            return false;
        }
    }

    /** Whether a bearer value looks like a JWT at all (three dot-separated parts), as opposed to an mcpgw token. */
    public static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    /**
     * The caller, when the token is valid and names one of {@code audiences} among its audiences; empty
     * otherwise (expired, not yet valid, forged, another issuer, another audience, an unaccepted algorithm).
     */
    public Optional<Principal> verify(String token, Set<String> audiences) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            if (claims.getAudience() == null || claims.getAudience().stream().noneMatch(audiences::contains)) {
                return Optional.empty();
            }
            Set<String> groups = new LinkedHashSet<>();
            Object value = claims.getClaim(groupsClaim);
            if (value instanceof List<?> list) {
                list.stream()
                        .filter(String.class::isInstance)
                        .map(String.class::cast)
                        .filter(group -> ApiTokens.GROUP.matcher(group).matches())
                        .forEach(groups::add);
            } else if (value instanceof String single
                    && ApiTokens.GROUP.matcher(single).matches()) {
                groups.add(single);
            }
            String subject = claims.getSubject();
            if (subject == null || subject.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Principal(user(subject), groups, Principal.Via.TOKEN));
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException invalid) {
            return Optional.empty();
        }
    }

    /**
     * The user a subject is: itself when it is a user name as ours are, otherwise its readable part and a digest of
     * the whole ({@code auth0|6543...} is {@code auth0-6543...-1a2b3c4d5e6f}) - one user per subject, never one name
     * for many (their sessions, audit lines and call limits are each their own).
     */
    static String user(String subject) {
        // a subject shaped like a derived name is derived too, so no subject can be chosen to equal another's
        if (ApiTokens.USER.matcher(subject).matches() && !subject.matches(".*-[0-9a-f]{12}")) {
            return subject;
        }
        String readable = subject.replaceAll("[^A-Za-z0-9._@-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(subject.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        String suffix = java.util.HexFormat.of().formatHex(digest, 0, 6);
        String head = readable.substring(0, Math.min(readable.length(), 64 - 1 - suffix.length())); // 64 in all
        return (head.isEmpty() ? "oidc" : head) + "-" + suffix;
    }
}
