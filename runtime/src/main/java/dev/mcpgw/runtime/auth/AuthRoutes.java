package dev.mcpgw.runtime.auth;

import dev.mcpgw.runtime.http.ApiException;
import dev.mcpgw.runtime.http.Clients;
import dev.mcpgw.runtime.http.Metrics;
import dev.mcpgw.runtime.http.RequestBody;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.PersonIdent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /login} (fields {@code username} and {@code password}, form or JSON), {@code POST /logout} and
 * {@code GET /api/session}. A browser form post is redirected to {@code /}; programs get JSON with the CSRF
 * token their later requests may carry. Failed attempts are throttled per address and user name.
 */
public final class AuthRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(AuthRoutes.class);

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final int MAX_FIELD = 256;

    private final Authenticator auth;
    private final AdminAccount admin;
    private final LoginThrottle throttle;
    private final Metrics metrics;

    /** The administrator, from ADMIN_USER and ADMIN_PASSWORD; only the password's hash is kept. */
    public record AdminAccount(String user, PasswordHash password) {}

    private final Runnable signedOut;

    /** @param signedOut told after a sign-out, so that the caller's live sockets close at once */
    public AuthRoutes(
            Authenticator auth, AdminAccount admin, LoginThrottle throttle, Metrics metrics, Runnable signedOut) {
        this.signedOut = signedOut;
        this.auth = auth;
        this.admin = admin;
        this.throttle = throttle;
        this.metrics = metrics;
    }

    public void addTo(RoutesConfig routes) {
        routes.post("/login", this::login);
        routes.post("/logout", this::logout);
        routes.get("/api/session", this::session);
    }

    /**
     * Password checks in progress (each is a deliberately slow hash): at most one per source, so concurrent guesses
     * cannot all pass the throttle before the first failure is counted, and at most {@link #HASHING} at once, so a
     * flood of sign-ins cannot hold the runtime's threads - the gateway's access checks among them.
     */
    private final java.util.Set<String> checking = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static final int HASHING = Math.max(2, Runtime.getRuntime().availableProcessors());
    private final java.util.concurrent.Semaphore hashing = new java.util.concurrent.Semaphore(HASHING);

    private void login(Context ctx) {
        String from = Clients.address(ctx);
        String address = LoginThrottle.source(from);
        // An address over its limit is refused before its body is even parsed.
        refuseIfThrottled(ctx, throttle.waitFor(address));
        JsonNode fields = RequestBody.fields(ctx);
        String user = text(fields, "username");
        String password = text(fields, "password");
        refuseIfThrottled(ctx, throttle.waitFor(address, user));
        if (!checking.add(address)) {
            metrics.increment("mcpgw_logins_total", "outcome", "throttled");
            ctx.header("Retry-After", "1");
            throw new ApiException(
                    429, "too_many_attempts", "a sign-in from your address is being checked; wait for its answer");
        }
        boolean userMatches;
        boolean passwordMatches;
        try {
            if (!hashing.tryAcquire()) {
                metrics.increment("mcpgw_logins_total", "outcome", "throttled");
                ctx.header("Retry-After", "1");
                throw new ApiException(
                        429, "too_many_attempts", "the registry is checking many sign-ins; try again in a second");
            }
            try {
                // Both checks always run, so the time taken does not tell whether the user name was right.
                userMatches = MessageDigest.isEqual(
                        user.getBytes(StandardCharsets.UTF_8), admin.user().getBytes(StandardCharsets.UTF_8));
                passwordMatches = admin.password().matches(password.toCharArray());
            } finally {
                hashing.release();
            }
            if (!userMatches || !passwordMatches) {
                throttle.failed(address, user);
            }
        } finally {
            checking.remove(address);
        }
        if (!userMatches || !passwordMatches) {
            metrics.increment("mcpgw_logins_total", "outcome", "failed");
            LOG.warn("sign-in failed from {}", from);
            throw new ApiException(401, "invalid_credentials", "wrong user name or password");
        }
        throttle.succeeded(address, user);
        metrics.increment("mcpgw_logins_total", "outcome", "succeeded");
        Sessions.Session session = auth.sessions().start(admin.user(), Set.of(Principal.ADMINS));
        ctx.cookie(sessionCookie(ctx, auth.sessions().cookieValue(session), (int) Sessions.LIFETIME.toSeconds()));
        ctx.header("Cache-Control", "no-store");
        LOG.info("signed in: {} from {}", admin.user(), from);
        if (wantsPage(ctx)) {
            ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        ctx.json(sessionJson(session));
    }

    /** The session cookie: the whole site, never to scripts, not on other sites' requests, HTTPS-only behind HTTPS. */
    private static Cookie sessionCookie(Context ctx, String value, int maxAgeSeconds) {
        return new Cookie(Sessions.COOKIE, value, "/", maxAgeSeconds, Clients.secure(ctx), true, null, SameSite.LAX);
    }

    private void refuseIfThrottled(Context ctx, Duration wait) {
        if (!wait.isZero()) {
            metrics.increment("mcpgw_logins_total", "outcome", "throttled");
            ctx.header("Retry-After", Long.toString(Math.max(1, wait.toSeconds())));
            throw new ApiException(
                    429,
                    "too_many_attempts",
                    "too many failed sign-ins; try again in " + Math.max(1, wait.toSeconds()) + " s");
        }
    }

    private void logout(Context ctx) {
        Optional<Sessions.Session> signedIn = auth.session(ctx);
        if (signedIn.isPresent()) {
            auth.checkCsrf(ctx);
            Sessions.Session session = signedIn.get();
            auth.sessions().end(session);
            try {
                // Every replica, and this one after a restart, learns of it from the tokens branch.
                auth.tokens()
                        .endSession(
                                session.id(),
                                session.expiresAt(),
                                new PersonIdent(session.user(), session.user() + "@mcpgw"));
            } catch (java.io.IOException e) {
                LOG.warn(
                        "signing out on the tokens branch failed ({}); the session ended on this replica only",
                        e.getMessage());
                throw new ApiException(
                        503,
                        "unavailable",
                        "signed out here, but other replicas could not be told; " + "try signing out again");
            }
        }
        ctx.cookie(sessionCookie(ctx, "", 0));
        if (signedIn.isPresent()) {
            signedOut.run();
        }
        if (wantsPage(ctx)) {
            ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        ctx.json(JSON.createObjectNode().put("signed_in", false));
    }

    /** Who is signed in, for the website's controls; the CSRF token only goes to the session's own pages. */
    private void session(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.json(auth.session(ctx)
                .map(this::sessionJson)
                .orElseGet(() -> JSON.createObjectNode().put("signed_in", false)));
    }

    private ObjectNode sessionJson(Sessions.Session session) {
        ObjectNode json = JSON.createObjectNode().put("signed_in", true).put("user", session.user());
        session.groups().forEach(json.putArray("groups")::add);
        return json.put("admin", session.groups().contains(Principal.ADMINS))
                .put("expires_at", session.expiresAt().toString())
                .put("csrf_token", auth.sessions().csrfToken(session));
    }

    /** A plain HTML form post from a browser, which expects a page rather than JSON. */
    private static boolean wantsPage(Context ctx) {
        String accept = ctx.header("Accept");
        String type = ctx.contentType();
        return accept != null
                && accept.contains("text/html")
                && type != null
                && type.startsWith("application/x-www-form-urlencoded");
    }

    private static String text(JsonNode fields, String name) {
        JsonNode value = fields.path(name);
        if (!value.isString() || value.asString().isEmpty()) {
            throw ApiException.badRequest(name + ": required");
        }
        if (value.asString().length() > MAX_FIELD) {
            throw ApiException.badRequest(name + ": at most " + MAX_FIELD + " characters");
        }
        return value.asString();
    }
}
