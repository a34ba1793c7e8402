package dev.mcpgw.site;

import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.core.model.GatewayUrls;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.ToolInfo;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The read-only registry API of the official MCP Registry, version v0.1, as static files, so VS Code and
 * GitHub Copilot can use this registry: {@code v0.1/servers} (list), {@code v0.1/servers/{name}/versions},
 * {@code .../versions/latest} and {@code .../versions/{version}}.
 *
 * <p>Static hosts differ in what they do with {@code %2F} in a server name and with a path that is also a
 * folder, so each document is written in every place a host may look: the list as {@code v0.1/servers/index.json}
 * and {@code index.html}, each server under both {@code <namespace>/<id>} and {@code <namespace>%2F<id>}.
 */
public final class RegistryApi {

    public static final String SERVER_SCHEMA = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";
    public static final String OFFICIAL_META = "io.modelcontextprotocol.registry/official";
    public static final String OUR_META = "dev.mcpgw/status";

    static final int MAX_DESCRIPTION = 100;
    private static final Pattern NAMESPACE = Pattern.compile("[a-zA-Z0-9.-]{1,100}");
    private static final JsonMapper JSON = JsonMapper.shared();

    private RegistryApi() {}

    /** The namespace of server names: the gateway's host name reversed, or {@code local.mcpgw} for an address. */
    public static String defaultNamespace(String gatewayUrl) {
        String host = URI.create(gatewayUrl).getHost();
        if (host == null || !host.contains(".") || host.matches("[0-9.]+") || host.startsWith("[")) {
            return "local.mcpgw";
        }
        List<String> labels = new java.util.ArrayList<>(List.of(host.toLowerCase(Locale.ROOT).split("\\.")));
        java.util.Collections.reverse(labels);
        return String.join(".", labels);
    }

    public static String name(String namespace, ServerEntry entry) {
        return namespace + "/" + entry.id().value();
    }

    static void write(Path out, List<ServerEntry> entries, Map<String, ServerStatus> statuses, String gatewayUrl,
                      String namespace, Instant builtAt) throws IOException {
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace '" + namespace + "' is not reverse-DNS (letters, digits, '.', '-')");
        }
        Path api = out.resolve("v0.1").resolve("servers");
        deleteTree(api); // servers removed from the registry must not linger in the API
        ObjectNode list = JSON.createObjectNode();
        ArrayNode servers = list.putArray("servers");
        List<ObjectNode> responses = entries.stream()
                .map(entry -> response(entry, statuses.get(entry.id().value()), gatewayUrl, namespace, builtAt))
                .toList();
        responses.forEach(servers::add);
        java.util.stream.IntStream.range(0, entries.size()).parallel().forEach(i -> {
            ServerEntry entry = entries.get(i);
            ObjectNode versions = JSON.createObjectNode();
            versions.putArray("servers").add(responses.get(i));
            versions.putObject("metadata").put("count", 1);
            try {
                for (Path server : List.of(api.resolve(namespace).resolve(entry.id().value()),
                        api.resolve(namespace + "%2F" + entry.id().value()))) {
                    writeJson(server.resolve("versions").resolve("index.json"), versions);
                    writeJson(server.resolve("versions").resolve("latest"), responses.get(i));
                    writeJson(server.resolve("versions").resolve(version(entry)), responses.get(i));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        list.putObject("metadata").put("count", entries.size());
        writeJson(api.resolve("index.json"), list);
        writeJson(api.resolve("index.html"), list);
    }

    public static ObjectNode response(ServerEntry entry, ServerStatus status, String gatewayUrl, String namespace,
                               Instant builtAt) {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode server = response.putObject("server");
        server.put("$schema", SERVER_SCHEMA);
        server.put("name", name(namespace, entry));
        server.put("title", entry.name());
        server.put("description", shorten(entry.description()));
        server.put("version", version(entry));
        if (entry.homepage() != null) {
            server.put("websiteUrl", entry.homepage());
        }
        if (entry.repository() != null) {
            String host = URI.create(entry.repository()).getHost();
            server.putObject("repository").put("url", entry.repository())
                    .put("source", host == null ? "git" : host.replaceFirst("^www\\.", "").replaceFirst("\\..*$", ""));
        }
        server.putArray("remotes").addObject()
                .put("type", entry.transport() == Transport.SSE ? "sse" : "streamable-http")
                .put("url", GatewayUrls.endpoint(entry, gatewayUrl));
        ObjectNode meta = response.putObject("_meta");
        ObjectNode official = meta.putObject(OFFICIAL_META);
        official.put("status", entry.enabled() ? "active" : "deprecated");
        if (!entry.enabled()) {
            official.put("statusMessage", "Disabled in this registry: the gateway answers 503.");
        }
        official.put("publishedAt", builtAt.toString());
        official.put("updatedAt", builtAt.toString());
        official.put("isLatest", true);
        ObjectNode ours = meta.putObject(OUR_META);
        ours.put("id", entry.id().value());
        ours.put("health", Health.effective(entry.enabled(), status).jsonName());
        ours.put("checked_at", status == null ? null : status.checkedAt().toString());
        ours.put("error", status == null ? null : status.error());
        List<ToolInfo> tools = status == null ? List.of() : status.tools();
        ours.put("tool_count", tools.size());
        ArrayNode names = ours.putArray("tools");
        tools.forEach(tool -> names.addObject().put("name", tool.name()).put("description", tool.description()));
        return response;
    }

    /** The official API allows 100 characters; longer descriptions are cut at a word with an ellipsis. */
    static String shorten(String description) {
        if (description.length() <= MAX_DESCRIPTION) {
            return description;
        }
        String cut = description.substring(0, MAX_DESCRIPTION - 1);
        int space = cut.lastIndexOf(' ');
        return (space > MAX_DESCRIPTION / 2 ? cut.substring(0, space) : cut) + "…";
    }

    public static String version(ServerEntry entry) {
        return entry.version() == null ? "0.0.0" : entry.version();
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void writeJson(Path file, ObjectNode json) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    }
}
