package dev.mcpgw.runtime;

import dev.mcpgw.compiler.Nginx;
import dev.mcpgw.core.model.EgressPolicy;
import dev.mcpgw.core.model.FieldException;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.SecretPolicy;
import dev.mcpgw.core.model.WebOrigins;
import dev.mcpgw.runtime.auth.ApiTokens;
import dev.mcpgw.runtime.auth.AuthRoutes;
import dev.mcpgw.runtime.auth.OidcTokens;
import dev.mcpgw.runtime.auth.SecretKey;
import dev.mcpgw.runtime.http.TrustedProxies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link RegistryRuntime} runs. Build one with {@link #builder(Path, Auth)}: local defaults (loopback, a
 * free port, in-process probe every minute, no site, no push, no apply, search on), then what differs.
 *
 * @param site          a website made by mcpgw site, served at /; may be null
 * @param gatewayUrl    the gateway's public URL (endpoints, token audiences)
 * @param maxClients    most browsers following the live status at once
 * @param remote        the remote to push commits to and fetch others' from; null keeps Git local
 * @param fetchInterval how often the remote is fetched
 * @param apply         null unless changes are deployed to a local nginx
 * @param search        whether to index tools for search (loads the embedding model)
 * @param secrets       where upstream secrets may be read from: edits naming others are refused, and applying
 *                      the gateway reads no others (default: none)
 * @param egress        which upstreams registrations and edits may name and the probe may contact (default: no
 *                      loopback, link-local, metadata or hidden addresses; the runtime's own listener never)
 * @param web           more host names and browser origins than the gateway URL's, and the proxies whose forwarded
 *                      headers are believed (default: none)
 */
public record RuntimeSettings(
        Path repo,
        Branches branches,
        String host,
        int port,
        Path site,
        String gatewayUrl,
        Probing probing,
        int maxClients,
        String remote,
        Duration fetchInterval,
        Apply apply,
        Auth auth,
        boolean search,
        SecretPolicy secrets,
        EgressPolicy egress,
        Web web) {

    /**
     * Browsers and proxies: host names the runtime is reached by besides the gateway URL's ({@code host[:port]}),
     * web origins allowed besides the gateway's own, and the proxies (addresses or CIDR blocks) whose
     * {@code X-Real-IP}/{@code X-Forwarded-*} headers are believed.
     */
    public record Web(List<String> hosts, List<String> origins, List<String> trustedProxies) {
        public static final Web NONE = new Web(List.of(), List.of(), List.of());

        public Web {
            hosts = List.copyOf(hosts);
            origins = List.copyOf(origins);
            trustedProxies = List.copyOf(trustedProxies);
        }
    }

    /** Branch names in the registry repository. */
    public record Branches(String config, String status, String tokens) {
        public static final Branches DEFAULT = new Branches("main", "status", ApiTokens.DEFAULT_BRANCH);
    }

    /** Where status comes from: probing in-process every {@code interval}, or the status branch alone. */
    public record Probing(boolean inProcess, Duration interval, Duration timeout) {}

    /** Deploy every change of the config branch to the nginx running from this prefix. */
    public record Apply(Nginx nginx) {}

    /**
     * Sign-in: the administrator (null: nobody can sign in, tokens only), the key sessions are signed with, and
     * an external identity provider whose access tokens are accepted too (null: none).
     */
    public record Auth(AuthRoutes.AdminAccount admin, SecretKey key, OidcTokens.Settings oidc) {}

    public RuntimeSettings {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(branches, "branches");
        Objects.requireNonNull(probing, "probing");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(web, "web");
        try {
            WebOrigins.of(gatewayUrl, web.hosts(), web.origins());
        } catch (IllegalArgumentException e) {
            throw new FieldException("web", e.getMessage());
        }
        try {
            TrustedProxies.of(web.trustedProxies());
        } catch (IllegalArgumentException e) {
            throw new FieldException("trustedProxies", e.getMessage());
        }
        if (port < 0 || port > 65535) {
            throw new FieldException("port", port + " is not 0 (any free port) or 1-65535");
        }
        if (maxClients < 1) {
            throw new FieldException("maxClients", maxClients + " must be at least 1");
        }
    }

    /** The hosts the gateway in front serves and the origins browsers may call from. */
    public WebOrigins webOrigins() {
        return WebOrigins.of(gatewayUrl, web.hosts(), web.origins());
    }

    public TrustedProxies trustedProxies() {
        return TrustedProxies.of(web.trustedProxies());
    }

    /** The egress policy with this runtime's own listener refused as an upstream (but for its /mcpgw server). */
    public EgressPolicy egressWithOwnListener() {
        return port == 0 ? egress : egress.withOwnListeners(List.of(new HostPort(host, port)));
    }

    /** Local defaults for a repository, to change with the builder's methods. */
    public static Builder builder(Path repo, Auth auth) {
        return new Builder(repo, auth);
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        Builder builder = new Builder(repo, auth);
        builder.branches = branches;
        builder.host = host;
        builder.port = port;
        builder.site = site;
        builder.gatewayUrl = gatewayUrl;
        builder.probing = probing;
        builder.maxClients = maxClients;
        builder.remote = remote;
        builder.fetchInterval = fetchInterval;
        builder.apply = apply;
        builder.search = search;
        builder.secrets = secrets;
        builder.egress = egress;
        builder.web = web;
        return builder;
    }

    /** Builds {@link RuntimeSettings}; each method sets one thing and says what its default is. */
    public static final class Builder {
        private final Path repo;
        private Auth auth;
        private Branches branches = Branches.DEFAULT;
        private String host = "127.0.0.1";
        private int port;
        private Path site;
        private String gatewayUrl = "http://127.0.0.1:8080";
        private Probing probing = new Probing(true, Duration.ofMinutes(1), Duration.ofSeconds(10));
        private int maxClients = 1000;
        private String remote;
        private Duration fetchInterval = Duration.ofSeconds(5);
        private Apply apply;
        private boolean search = true;
        private SecretPolicy secrets = SecretPolicy.NONE;
        private EgressPolicy egress = EgressPolicy.strict(List.of(), List.of());
        private Web web = Web.NONE;

        private Builder(Path repo, Auth auth) {
            this.repo = repo;
            this.auth = auth;
        }

        /** Where to listen (default 127.0.0.1 and any free port, 0). */
        public Builder listen(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /** A website made by mcpgw site, served at / (default: none). */
        public Builder site(Path site) {
            this.site = site;
            return this;
        }

        /** Where status comes from (default: in-process, every minute, 10 s per probe). */
        public Builder probing(Probing probing) {
            this.probing = probing;
            return this;
        }

        /** Most browsers following the live status at once (default 1000). */
        public Builder maxClients(int maxClients) {
            this.maxClients = maxClients;
            return this;
        }

        /** Push commits to {@code remote} and fetch others' every {@code fetchInterval} (default: Git stays local). */
        public Builder remote(String remote, Duration fetchInterval) {
            this.remote = remote;
            this.fetchInterval = fetchInterval;
            return this;
        }

        /** Deploy every change to a local nginx (default: none). */
        public Builder apply(Apply apply) {
            this.apply = apply;
            return this;
        }

        /** Whether to index tools for search (default true; false loads no embedding model). */
        public Builder search(boolean search) {
            this.search = search;
            return this;
        }

        /** Branch names (default main, status and the tokens branch). */
        public Builder branches(Branches branches) {
            this.branches = branches;
            return this;
        }

        /** The gateway's public URL (default http://127.0.0.1:8080). */
        public Builder gatewayUrl(String gatewayUrl) {
            this.gatewayUrl = gatewayUrl;
            return this;
        }

        /** Where upstream secrets may be read from (default: nowhere). */
        public Builder secrets(SecretPolicy secrets) {
            this.secrets = secrets;
            return this;
        }

        /** Which upstreams may be named and contacted (default: none inside this machine or a cloud's metadata). */
        public Builder egress(EgressPolicy egress) {
            this.egress = egress;
            return this;
        }

        public Builder auth(Auth auth) {
            this.auth = auth;
            return this;
        }

        /** More hosts and origins for browsers, and the trusted proxies (default: none of either). */
        public Builder web(Web web) {
            this.web = web;
            return this;
        }

        public RuntimeSettings build() {
            return new RuntimeSettings(
                    repo,
                    branches,
                    host,
                    port,
                    site,
                    gatewayUrl,
                    probing,
                    maxClients,
                    remote,
                    fetchInterval,
                    apply,
                    auth,
                    search,
                    secrets,
                    egress,
                    web);
        }
    }
}
