package dev.mcpgw.site;

import dev.mcpgw.core.contract.RegistryV01;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.status.ServerStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read-only registry API of the official MCP Registry, version v0.1, as static files, so VS Code and
 * GitHub Copilot can use this registry: {@code v0.1/servers} (list), {@code v0.1/servers/{name}/versions},
 * {@code .../versions/latest} and {@code .../versions/{version}}.
 *
 * <p>Static hosts differ in what they do with {@code %2F} in a server name and with a path that is also a
 * folder, so each document is written in every place a host may look: the list as {@code v0.1/servers/index.json}
 * and {@code index.html}, each server under both {@code <namespace>/<id>} and {@code <namespace>%2F<id>}. The
 * documents are {@link RegistryV01}'s records, the same the runtime answers live.
 */
public final class RegistryApi {

    private static final Pattern NAMESPACE = Pattern.compile("[a-zA-Z0-9.-]{1,100}");
    private static final JsonMapper JSON = JsonMapper.shared();

    private RegistryApi() {}

    static void write(
            Path out,
            List<ServerEntry> entries,
            Map<String, ServerStatus> statuses,
            String gatewayUrl,
            String namespace,
            Instant builtAt)
            throws IOException {
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException(
                    "namespace '" + namespace + "' is not reverse-DNS (letters, digits, '.', '-')");
        }
        Path api = out.resolve("v0.1").resolve("servers");
        deleteTree(api); // servers removed from the registry must not linger in the API
        List<RegistryV01.ServerResponse> responses = entries.stream()
                .map(entry ->
                        RegistryV01.response(entry, statuses.get(entry.id().value()), gatewayUrl, namespace, builtAt))
                .toList();
        java.util.stream.IntStream.range(0, entries.size()).parallel().forEach(i -> {
            ServerEntry entry = entries.get(i);
            RegistryV01.ServerList versions =
                    new RegistryV01.ServerList(List.of(responses.get(i)), new RegistryV01.Metadata(1, null));
            try {
                for (Path server : List.of(
                        api.resolve(namespace).resolve(entry.id().value()),
                        api.resolve(namespace + "%2F" + entry.id().value()))) {
                    writeJson(server.resolve("versions").resolve("index.json"), versions);
                    writeJson(server.resolve("versions").resolve("latest"), responses.get(i));
                    writeJson(server.resolve("versions").resolve(RegistryV01.version(entry)), responses.get(i));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        RegistryV01.ServerList list =
                new RegistryV01.ServerList(responses, new RegistryV01.Metadata(entries.size(), null));
        writeJson(api.resolve("index.json"), list);
        writeJson(api.resolve("index.html"), list);
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

    private static void writeJson(Path file, Object document) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, htmlSafe(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document)) + "\n");
    }

    /**
     * The same JSON with every character HTML or a script could act on written as a JSON escape ({@code <} as
     * {@code \u003c}, and {@code >}, {@code &}, {@code '}, U+2028, U+2029): these documents are also served from
     * {@code index.html} and from extensionless files, which a static host may label HTML, and their text comes
     * from upstream servers (tool names) and registrants. Outside strings JSON has none of these characters, so
     * the document means exactly the same.
     */
    static String htmlSafe(String json) {
        StringBuilder safe = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<', '>', '&', '\'', '\u2028', '\u2029' -> safe.append(String.format("\\u%04x", (int) c));
                default -> safe.append(c);
            }
        }
        return safe.toString();
    }
}
