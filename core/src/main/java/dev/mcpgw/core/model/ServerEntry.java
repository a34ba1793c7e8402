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
            throw new FieldException("replicas", "replicas need transport: streamable-http; the gateway cannot "
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

    /** An entry that leaves the caller's token at the gateway, as entries do unless they ask otherwise. */
    public ServerEntry(ServerId id, String name, String description, UpstreamUrl proxyPassUrl, Transport transport,
                       boolean enabled, List<String> tags, String license, String version, Owner owner,
                       String homepage, String repository, List<HostPort> replicas,
                       List<UpstreamHeader> upstreamHeaders) {
        this(id, name, description, proxyPassUrl, transport, enabled, tags, license, version, owner, homepage,
                repository, replicas, upstreamHeaders, false);
    }

    /** The gateway path, {@code /<id>}. */
    public String path() {
        return id.path();
    }
}
