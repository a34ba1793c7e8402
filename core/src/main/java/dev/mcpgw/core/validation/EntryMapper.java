package dev.mcpgw.core.validation;

import dev.mcpgw.core.model.EgressPolicy;
import dev.mcpgw.core.model.FieldException;
import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.Owner;
import dev.mcpgw.core.model.SecretPolicy;
import dev.mcpgw.core.model.SecretReference;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.core.model.UpstreamHeader;
import dev.mcpgw.core.model.UpstreamUrl;
import dev.mcpgw.core.yaml.JsonPointers;
import dev.mcpgw.core.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Turns a schema-valid tree into a {@link ServerEntry}. The model's constructors enforce the rules a schema
 * cannot express (port ranges, reserved ids and headers, dot segments); each refusal becomes a problem at the
 * field it is about.
 */
final class EntryMapper {

    private final String file;
    private final YamlDocument document;
    private final Set<String> flagged;
    private final SecretPolicy secrets;
    private final EgressPolicy egress;
    private final List<Problem> problems = new ArrayList<>();

    /**
     * Values at or around {@code flagged} pointers already have a problem and are not looked at again; secret
     * references outside {@code secrets} and upstreams {@code egress} refuses are problems at their line and column.
     */
    EntryMapper(String file, YamlDocument document, Set<String> flagged, SecretPolicy secrets, EgressPolicy egress) {
        this.file = file;
        this.document = document;
        this.flagged = flagged;
        this.secrets = secrets;
        this.egress = egress;
    }

    List<Problem> problems() {
        return problems;
    }

    /**
     * The entry, or null with {@link #problems()} saying why. When earlier checks flagged some values, the
     * others are still checked, so one run reports everything, but no entry is built.
     */
    ServerEntry map() {
        JsonNode root = document.root();
        ServerId id = field("/path", () -> ServerId.fromPath(root.path("path").asString()));
        UpstreamUrl url = field(
                "/proxy_pass_url",
                () -> reachable(UpstreamUrl.parse(root.path("proxy_pass_url").asString())));
        Owner owner = root.has("owner") ? field("/owner", () -> owner(root.path("owner"))) : null;
        List<HostPort> replicas = list("/replicas", text -> reachable(HostPort.parse(text)));
        List<UpstreamHeader> headers = headers();
        if (!problems.isEmpty() || !flagged.isEmpty()) {
            return null;
        }
        return field(
                "",
                () -> ServerEntry.builder(
                                id,
                                root.path("name").asString(),
                                root.path("description").asString(),
                                url,
                                Transport.fromEntryName(root.path("transport").asString()))
                        .enabled(root.path("enabled").asBoolean(true))
                        .tags(strings(root.path("tags")))
                        .license(optional(root, "license"))
                        .version(optional(root, "version"))
                        .owner(owner)
                        .homepage(optional(root, "homepage"))
                        .repository(optional(root, "repository"))
                        .replicas(replicas)
                        .upstreamHeaders(headers)
                        .forwardCallerToken(root.path("forward_caller_token").asBoolean(false))
                        .build());
    }

    private static Owner owner(JsonNode owner) {
        return new Owner(owner.path("name").asString(), owner.path("email").asString(), optional(owner, "url"));
    }

    private <T> List<T> list(String pointer, Function<String, T> parse) {
        List<T> items = new ArrayList<>();
        JsonNode array = document.root().at(pointer);
        for (int i = 0; i < array.size(); i++) {
            String value = array.get(i).asString();
            T item = field(JsonPointers.child(pointer, i), () -> parse.apply(value));
            if (item != null) {
                items.add(item);
            }
        }
        return items;
    }

    private List<UpstreamHeader> headers() {
        List<UpstreamHeader> headers = new ArrayList<>();
        JsonNode array = document.root().path("upstream_headers");
        for (int i = 0; i < array.size(); i++) {
            String at = JsonPointers.child("/upstream_headers", i);
            JsonNode header = array.get(i);
            JsonNode source = header.path("value_from");
            SecretReference reference = source.has("env")
                    ? field(
                            at + "/value_from/env",
                            () -> allowed(
                                    new SecretReference.Env(source.path("env").asString())))
                    : field(
                            at + "/value_from/file",
                            () -> allowed(
                                    new SecretReference.File(source.path("file").asString())));
            String prefix = isFlagged(at + "/prefix") ? null : optional(header, "prefix");
            UpstreamHeader parsed = reference == null
                    ? null
                    : field(
                            at + "/name",
                            () -> new UpstreamHeader(header.path("name").asString(), reference, prefix));
            if (parsed != null) {
                headers.add(parsed);
            }
        }
        return headers;
    }

    private UpstreamUrl reachable(UpstreamUrl url) {
        egress.refusal(url).ifPresent(refusal -> {
            throw new IllegalArgumentException(refusal);
        });
        return url;
    }

    private HostPort reachable(HostPort replica) {
        egress.refusal(replica).ifPresent(refusal -> {
            throw new IllegalArgumentException(refusal);
        });
        return replica;
    }

    private SecretReference allowed(SecretReference reference) {
        secrets.refusal(reference).ifPresent(refusal -> {
            throw new IllegalArgumentException(refusal);
        });
        return reference;
    }

    private <T> T field(String pointer, Supplier<T> parse) {
        if (document.root().at(pointer).isMissingNode() || isFlagged(pointer)) {
            return null;
        }
        try {
            return parse.get();
        } catch (FieldException e) {
            String at = JsonPointers.child(pointer, e.field());
            problems.add(new Problem(file, document.positionOf(at), JsonPointers.toFieldName(at), e.getMessage()));
            return null;
        } catch (IllegalArgumentException e) {
            problems.add(
                    new Problem(file, document.positionOf(pointer), JsonPointers.toFieldName(pointer), e.getMessage()));
            return null;
        }
    }

    private boolean isFlagged(String pointer) {
        for (String other : flagged) {
            if (other.equals(pointer) || other.startsWith(pointer + "/") || pointer.startsWith(other + "/")) {
                return true;
            }
        }
        return false;
    }

    private static String optional(JsonNode object, String key) {
        JsonNode value = object.get(key);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static List<String> strings(JsonNode array) {
        return array.values().stream().map(JsonNode::asString).toList();
    }
}
