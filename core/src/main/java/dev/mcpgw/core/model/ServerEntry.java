package dev.mcpgw.core.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One validated server entry (contract 1). Optional values are null when the entry leaves them out;
 * lists are never null. {@code forwardCallerToken}: with access checks on, the caller's own token goes upstream.
 */
public record ServerEntry(
        ServerId id,
        String name,
        String description,
        UpstreamUrl proxyPassUrl,
        Transport transport,
        boolean enabled,
        List<String> tags,
        String license,
        String version,
        Owner owner,
        String homepage,
        String repository,
        List<HostPort> replicas,
        List<UpstreamHeader> upstreamHeaders,
        boolean forwardCallerToken) {

    /** Keys that make the gateway act with its own authority: setting or changing them is the credentials right. */
    public static final java.util.Set<String> CREDENTIAL_FIELDS =
            java.util.Set.of("upstream_headers", "forward_caller_token");

    /** Keys that choose where requests go: changing them on an entry that carries credentials is the credentials right. */
    public static final java.util.Set<String> UPSTREAM_FIELDS = java.util.Set.of("proxy_pass_url", "replicas");

    public ServerEntry {
        Objects.requireNonNull(id, "id");
        Syntax.requireText(name, "name", 100);
        Syntax.requireText(description, "description", 1000);
        Objects.requireNonNull(proxyPassUrl, "proxy_pass_url");
        Objects.requireNonNull(transport, "transport");
        tags = List.copyOf(tags);
        tags.forEach(tag -> Syntax.require(Syntax.TAG, tag, "tag"));
        replicas = List.copyOf(replicas);
        if (!replicas.isEmpty() && transport != Transport.STREAMABLE_HTTP) {
            throw new FieldException(
                    "replicas",
                    "replicas need transport: streamable-http; the gateway cannot "
                            + "yet keep an SSE session on one replica");
        }
        upstreamHeaders = List.copyOf(upstreamHeaders);
        Set<String> headerNames = new TreeSet<>();
        for (UpstreamHeader header : upstreamHeaders) {
            if (!headerNames.add(header.name().toLowerCase(Locale.ROOT))) {
                throw new FieldException("upstream_headers", "header " + header.name() + " is listed twice");
            }
        }
    }

    /** An entry with its required keys (contract 1); everything else as an entry that leaves it out. */
    public static Builder builder(
            ServerId id, String name, String description, UpstreamUrl proxyPassUrl, Transport transport) {
        return new Builder(id, name, description, proxyPassUrl, transport);
    }

    /** Whether the gateway adds secrets or the caller's token to this server's requests. */
    public boolean carriesCredentials() {
        return !upstreamHeaders.isEmpty() || forwardCallerToken;
    }

    /** The gateway path, {@code /<id>}. */
    public String path() {
        return id.path();
    }

    /** Builds a {@link ServerEntry}; the entry's own checks run in {@link #build()} and name the field they refuse. */
    public static final class Builder {
        private final ServerId id;
        private final String name;
        private final String description;
        private final UpstreamUrl proxyPassUrl;
        private final Transport transport;
        private boolean enabled = true;
        private List<String> tags = List.of();
        private String license;
        private String version;
        private Owner owner;
        private String homepage;
        private String repository;
        private List<HostPort> replicas = List.of();
        private List<UpstreamHeader> upstreamHeaders = List.of();
        private boolean forwardCallerToken;

        private Builder(ServerId id, String name, String description, UpstreamUrl proxyPassUrl, Transport transport) {
            this.id = id;
            this.name = name;
            this.description = description;
            this.proxyPassUrl = proxyPassUrl;
            this.transport = transport;
        }

        /** Default true, as in an entry without {@code enabled}. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder tags(List<String> tags) {
            this.tags = tags;
            return this;
        }

        public Builder license(String license) {
            this.license = license;
            return this;
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder owner(Owner owner) {
            this.owner = owner;
            return this;
        }

        public Builder homepage(String homepage) {
            this.homepage = homepage;
            return this;
        }

        public Builder repository(String repository) {
            this.repository = repository;
            return this;
        }

        public Builder replicas(List<HostPort> replicas) {
            this.replicas = replicas;
            return this;
        }

        public Builder upstreamHeaders(List<UpstreamHeader> upstreamHeaders) {
            this.upstreamHeaders = upstreamHeaders;
            return this;
        }

        /** Default false: the caller's token stays at the gateway. */
        public Builder forwardCallerToken(boolean forwardCallerToken) {
            this.forwardCallerToken = forwardCallerToken;
            return this;
        }

        public ServerEntry build() {
            return new ServerEntry(
                    id,
                    name,
                    description,
                    proxyPassUrl,
                    transport,
                    enabled,
                    tags,
                    license,
                    version,
                    owner,
                    homepage,
                    repository,
                    replicas,
                    upstreamHeaders,
                    forwardCallerToken);
        }
    }
}
