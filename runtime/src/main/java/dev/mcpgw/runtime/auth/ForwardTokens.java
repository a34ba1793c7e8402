package dev.mcpgw.runtime.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the gateway forwards to a server that asks for the caller's token ({@code forward_caller_token}) when the
 * caller came with an mcpgw token: not that token, which every server and the API would accept, but one made for
 * this server alone - its gateway URL as the audience, the caller's name and groups, five minutes of life, signed
 * with a key derived from SECRET_KEY. A server that receives it can use it with the registry (the {@code mcpgw}
 * server does) and nowhere else. An OIDC access token is forwarded as it came: the gateway only let it through
 * because its audience is this server.
 */
public final class ForwardTokens {

    /** The key id that marks our tokens, so they are never mistaken for an identity provider's. */
    static final String KEY_ID = "mcpgw-forward";

    static final String ISSUER = "mcpgw";
    static final Duration LIFETIME = Duration.ofMinutes(5);

    private final byte[] key;
    private final Clock clock;

    public ForwardTokens(SecretKey secret, Clock clock) {
        this.key = secret.sign("forwarded-token", "v1".getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    /** Whether a bearer value is one of ours (by its header), whatever its validity. */
    public static boolean isForwardToken(String token) {
        try {
            return OidcTokens.looksLikeJwt(token)
                    && KEY_ID.equals(SignedJWT.parse(token).getHeader().getKeyID());
        } catch (ParseException notOne) {
            return false;
        }
    }

    /** A token for {@code who}, good only at {@code audience} (a server's gateway URL), for a few minutes. */
    public String mint(Principal who, String audience) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(who.user())
                .audience(audience)
                .claim("groups", List.copyOf(new java.util.TreeSet<>(who.groups())))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(KEY_ID).build(), claims);
        try {
            jwt.sign(new MACSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 with a 32-byte key always signs", e);
        }
        return jwt.serialize();
    }

    /** The caller a token of ours names, when it is valid, current and for one of {@code audiences}. */
    public Optional<Principal> verify(String token, Set<String> audiences) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new MACVerifier(key))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expires = claims.getExpirationTime();
            if (!ISSUER.equals(claims.getIssuer())
                    || expires == null
                    || !expires.toInstant().isAfter(clock.instant())
                    || claims.getAudience() == null
                    || claims.getAudience().stream().noneMatch(audiences::contains)
                    || claims.getSubject() == null
                    || !ApiTokens.USER.matcher(claims.getSubject()).matches()) {
                return Optional.empty();
            }
            Set<String> groups = new LinkedHashSet<>();
            if (claims.getClaim("groups") instanceof List<?> list) {
                list.stream()
                        .filter(String.class::isInstance)
                        .map(String.class::cast)
                        .filter(group -> ApiTokens.GROUP.matcher(group).matches())
                        .forEach(groups::add);
            }
            return Optional.of(new Principal(claims.getSubject(), groups, Principal.Via.TOKEN));
        } catch (ParseException | JOSEException | RuntimeException invalid) {
            return Optional.empty();
        }
    }
}
