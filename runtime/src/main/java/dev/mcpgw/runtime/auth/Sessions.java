package dev.mcpgw.runtime.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed session cookies: {@code base64url(payload).base64url(HMAC)}, the payload naming the session, the
 * user, the groups and the expiry. Nothing is stored per live session, so any replica with the same SECRET_KEY
 * accepts it; signing out ends it here at once and, through the tokens branch every replica reads, everywhere
 * and across restarts ({@link ApiTokens#endSession}), until it would have expired anyway.
 * A session's CSRF token is derived from it with a separate key.
 */
public final class Sessions {

    public static final String COOKIE = "mcp_gateway_session";
    public static final Duration LIFETIME = Duration.ofHours(8);

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_COOKIE = 4096;

    private final SecretKey key;
    private final Clock clock;
    private final Map<String, Instant> ended = new ConcurrentHashMap<>();
    /** Sessions signed out elsewhere: on another replica, or before a restart (the tokens branch). */
    private final java.util.function.Predicate<String> endedElsewhere;

    /** One signed-in session. */
    public record Session(String id, String user, Set<String> groups, Instant expiresAt) {}

    public Sessions(SecretKey key, Clock clock) {
        this(key, clock, id -> false);
    }

    /** @param endedElsewhere whether a session was signed out on another replica or before a restart */
    public Sessions(SecretKey key, Clock clock, java.util.function.Predicate<String> endedElsewhere) {
        this.key = key;
        this.clock = clock;
        this.endedElsewhere = endedElsewhere;
    }

    public Session start(String user, Set<String> groups) {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return new Session(
                B64.encodeToString(id),
                user,
                new TreeSet<>(groups),
                clock.instant().plus(LIFETIME).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    public String cookieValue(Session session) {
        String payload = String.join(
                "\n",
                "v1",
                session.id(),
                session.user(),
                String.join(",", session.groups()),
                Long.toString(session.expiresAt().getEpochSecond()));
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(bytes) + "." + B64.encodeToString(key.sign("session", bytes));
    }

    /** The session a cookie carries, if its signature is ours and it has neither expired nor ended. */
    public Optional<Session> verify(String cookie) {
        if (cookie == null || cookie.length() > MAX_COOKIE) {
            return Optional.empty();
        }
        int dot = cookie.indexOf('.');
        try {
            byte[] payload = B64_DECODE.decode(cookie.substring(0, Math.max(dot, 0)));
            byte[] signature = B64_DECODE.decode(cookie.substring(dot + 1));
            if (dot < 0 || !MessageDigest.isEqual(signature, key.sign("session", payload))) {
                return Optional.empty();
            }
            List<String> fields = List.of(new String(payload, StandardCharsets.UTF_8).split("\n", -1));
            if (fields.size() != 5 || !fields.get(0).equals("v1")) {
                return Optional.empty();
            }
            Instant expires = Instant.ofEpochSecond(Long.parseLong(fields.get(4)));
            if (!clock.instant().isBefore(expires)
                    || ended.containsKey(fields.get(1))
                    || endedElsewhere.test(fields.get(1))) {
                return Optional.empty();
            }
            Set<String> groups = fields.get(3).isEmpty()
                    ? Set.of()
                    : new TreeSet<>(Arrays.asList(fields.get(3).split(",")));
            return Optional.of(new Session(fields.get(1), fields.get(2), groups, expires));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    public void end(Session session) {
        Instant now = clock.instant();
        ended.values().removeIf(expiry -> expiry.isBefore(now));
        ended.put(session.id(), session.expiresAt());
    }

    public String csrfToken(Session session) {
        return B64.encodeToString(key.sign("csrf", session.id().getBytes(StandardCharsets.UTF_8)));
    }

    public boolean csrfMatches(Session session, String token) {
        return token != null
                && MessageDigest.isEqual(
                        csrfToken(session).getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }
}
