package dev.mcpgw.runtime.auth;

import dev.mcpgw.core.model.GatewayUrls;
import dev.mcpgw.runtime.http.ApiException;
import dev.mcpgw.runtime.http.Clients;
import dev.mcpgw.runtime.service.RegistryException;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who is asking, and may they: a bearer token (programs) or the session cookie (people). A request that
 * changes something with a cookie must also prove it comes from our own pages (CSRF): with the session's
 * token in {@code X-CSRF-Token} or the form field {@code csrf_token}, or with an Origin header naming this
 * site. Requests from programs that send neither an Origin nor Sec-Fetch-Site header are not browsers and
 * cannot be forged by a web page, so scripts written for the reference (cookie jar, then form posts) keep
 * working; the cookie is SameSite=Lax besides.
 */
public final class Authenticator {

    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CSRF_FIELD = "csrf_token";
    private static final String SESSION = "mcpgw.session";
    private static final Set<String> SAME_SITE_FETCH = Set.of("same-origin", "none");

    private final Sessions sessions;
    private final ApiTokens tokens;
    private final OidcTokens oidc;
    private final ForwardTokens forwardTokens;
    private final String gatewayUrl;

    /**
     * @param oidc       tokens of an external identity provider, or null to accept only mcpgw tokens
     * @param gatewayUrl the gateway's public URL: the audience an OIDC token for the registry's API must name
     */
    public Authenticator(
            Sessions sessions, ApiTokens tokens, OidcTokens oidc, ForwardTokens forwardTokens, String gatewayUrl) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.oidc = oidc;
        this.forwardTokens = forwardTokens;
        this.gatewayUrl = GatewayUrls.base(gatewayUrl);
    }

    /** The tokens branch (tokens, and sessions signed out). */
    public ApiTokens tokens() {
        return tokens;
    }

    /** The audiences an OIDC token for server {@code id} may name: the server's gateway URLs. */
    public Set<String> audiencesOf(String id) {
        return GatewayUrls.audiences(gatewayUrl, id);
    }

    /**
     * The caller an {@code Authorization} header names, for doors that carry only headers (the mcpgw MCP
     * server): an mcpgw token or an OIDC access token naming one of {@code audiences}; empty without a header.
     *
     * @throws RegistryException (invalid token) when a credential is sent and is not valid
     */
    public Optional<Principal> identifyBearer(String authorization, Set<String> audiences) {
        return authorization == null ? Optional.empty() : Optional.of(bearer(authorization, audiences));
    }

    /**
     * The {@code Authorization} value the gateway forwards to server {@code id} (an entry with
     * {@code forward_caller_token}) for {@code who}, who sent {@code authorization}: an identity provider's token
     * as it came (the gateway let it through because its audience is this server), anything else replaced by a
     * token good only at this server, for a few minutes.
     */
    public String forwardedAuthorization(Principal who, String authorization, String id) {
        String token = authorization.substring(7).strip();
        if (oidc != null
                && OidcTokens.looksLikeJwt(token)
                && !ForwardTokens.isForwardToken(token)
                && OidcTokens.audiencesWithin(token, audiencesOf(id))) {
            return authorization; // every audience it names is this server: it is good nowhere else
        }
        return "Bearer " + forwardTokens.mint(who, GatewayUrls.base(gatewayUrl) + "/" + id);
    }

    /**
     * The {@code Authorization} with which the runtime calls server {@code id} through the gateway on behalf of
     * {@code who} (mcpgw's {@code call_tool}): a token good only at that server, for a few minutes, so the
     * gateway's access check decides as if the caller had come itself.
     */
    public String gatewayAuthorization(Principal who, String id) {
        return "Bearer " + forwardTokens.mint(who, GatewayUrls.base(gatewayUrl) + "/" + id);
    }

    /** The audiences a token for the registry itself may name: the gateway, and mcpgw's own URLs. */
    public Set<String> registryAudiences() {
        Set<String> audiences = new java.util.HashSet<>(audiencesOf("mcpgw"));
        audiences.add(gatewayUrl);
        return Set.copyOf(audiences);
    }

    public Sessions sessions() {
        return sessions;
    }

    /** The caller, if any; a bearer token that is not valid is refused outright rather than ignored. */
    public Optional<Principal> identify(Context ctx) {
        return identify(ctx, Set.of(gatewayUrl));
    }

    /** As {@link #identify(Context)}, an OIDC token having to name one of {@code audiences}. */
    public Optional<Principal> identify(Context ctx, Set<String> audiences) {
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            return Optional.of(bearer(authorization, audiences));
        }
        return session(ctx).map(Authenticator::principal);
    }

    /** Who opened a WebSocket (bearer token or session cookie); empty when anonymous or not valid. */
    public Optional<Principal> identify(io.javalin.websocket.WsContext ctx) {
        try {
            String authorization = ctx.header("Authorization");
            return authorization != null
                    ? Optional.of(bearer(authorization, Set.of(gatewayUrl)))
                    : sessions.verify(ctx.cookie(Sessions.COOKIE)).map(Authenticator::principal);
        } catch (RegistryException invalid) {
            return Optional.empty();
        }
    }

    private Principal bearer(String authorization, Set<String> audiences) {
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("send Authorization: Bearer <token>; other schemes are not accepted", null);
        }
        String token = authorization.substring(7).strip();
        Optional<Principal> who = ForwardTokens.isForwardToken(token)
                ? forwardTokens.verify(token, audiences)
                : oidc != null && OidcTokens.looksLikeJwt(token) ? oidc.verify(token, audiences) : tokens.verify(token);
        return who.orElseThrow(() -> unauthorized(
                "the bearer token is unknown, expired, revoked or not for this resource", "invalid_token"));
    }

    private static Principal principal(Sessions.Session session) {
        return new Principal(session.user(), session.groups(), Principal.Via.SESSION);
    }

    public Optional<Sessions.Session> session(Context ctx) {
        Sessions.Session cached = ctx.attribute(SESSION);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Sessions.Session> session = sessions.verify(ctx.cookie(Sessions.COOKIE));
        session.ifPresent(s -> ctx.attribute(SESSION, s));
        return session;
    }

    /** The caller; 401 when there is none. */
    public Principal require(Context ctx) {
        return identify(ctx)
                .orElseThrow(
                        () -> unauthorized("sign in first (POST /login) or send Authorization: Bearer <token>", null));
    }

    /** For cookie-authenticated changes: refuses a request a foreign web page could have made. */
    public void checkCsrf(Context ctx) {
        Optional<Sessions.Session> session = ctx.header("Authorization") == null ? session(ctx) : Optional.empty();
        if (session.isEmpty()) {
            return;
        }
        String token = ctx.header(CSRF_HEADER);
        if (token == null && isForm(ctx)) {
            token = ctx.formParam(CSRF_FIELD);
        }
        if (sessions.csrfMatches(session.get(), token)) {
            return;
        }
        String origin = ctx.header("Origin");
        String fetchSite = ctx.header("Sec-Fetch-Site");
        boolean foreign = origin != null
                ? !origin.equalsIgnoreCase(Clients.origin(ctx))
                : fetchSite != null && !SAME_SITE_FETCH.contains(fetchSite);
        if (foreign) {
            throw new ApiException(
                    403,
                    "csrf",
                    "this request came from another site; send the session's " + "csrf_token (GET /api/session) in the "
                            + CSRF_HEADER + " header");
        }
    }

    private static boolean isForm(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
    }

    private static RegistryException unauthorized(String message, String bearerError) {
        return new RegistryException(
                bearerError == null ? RegistryException.Reason.UNAUTHENTICATED : RegistryException.Reason.INVALID_TOKEN,
                message);
    }
}
