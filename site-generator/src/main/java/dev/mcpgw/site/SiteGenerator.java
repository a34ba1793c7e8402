package dev.mcpgw.site;

import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.core.contract.RegistryV01;
import dev.mcpgw.core.contract.SearchIndexJson;
import dev.mcpgw.core.contract.ServersJson;
import dev.mcpgw.core.model.GatewayUrls;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.ToolInfo;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders the registry website: an index of every server, a page per server with its tools and client
 * configuration, {@code servers.json} for programs and the MCP Registry v0.1 API ({@link RegistryApi}). Static files only, every asset local, so any static
 * host serves it. Templates escape everything they print (Pebble autoescaping; no {@code raw} anywhere).
 */
public final class SiteGenerator {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final PebbleEngine engine;

    public SiteGenerator() {
        ClasspathLoader loader = new ClasspathLoader();
        loader.setPrefix("site/templates");
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(true).build();
    }

    /**
     * Where clients reach the gateway, when the snapshot is built, the reverse-DNS namespace of server names in
     * the registry API ({@code com.example/currenttime}), and the runtime whose live status the pages follow
     * (null for none; the gateway's URL works, as it forwards {@code /ws/} to the runtime).
     */
    public record Settings(String gatewayUrl, Instant builtAt, String namespace, String runtimeUrl) {
        public Settings(String gatewayUrl, Instant builtAt) {
            this(gatewayUrl, builtAt, RegistryV01.defaultNamespace(gatewayUrl), null);
        }

        /** The runtime's live status WebSocket, or null for a read-only snapshot. */
        String statusWebSocket() {
            return runtimeUrl == null ? null
                    : runtimeUrl.replaceFirst("^http", "ws").replaceAll("/+$", "") + "/ws/health_status";
        }
    }

    /** Writes the site into {@code out}; pages of servers no longer registered are removed. */
    public void generate(List<ServerEntry> entries, Map<String, ServerStatus> statuses, Settings settings, Path out)
            throws IOException {
        List<ServerEntry> sorted = entries.stream().sorted(Comparator.comparing(ServerEntry::id)).toList();
        List<Map<String, Object>> servers = new ArrayList<>();
        for (ServerEntry entry : sorted) {
            servers.add(ServerView.of(entry, statuses.get(entry.id().value()), settings.gatewayUrl()));
        }
        Path pages = out.resolve("servers");
        if (Files.isDirectory(pages)) {
            try (Stream<Path> old = Files.list(pages)) {
                for (Path page : old.filter(p -> p.toString().endsWith(".html")).toList()) {
                    Files.delete(page);
                }
            }
        }
        Files.createDirectories(pages);
        Files.createDirectories(out.resolve("assets"));
        copyAsset(out, "site.css");
        copyAsset(out, "site.js");

        Map<String, Object> common = new LinkedHashMap<>();
        common.put("builtAt", SHOWN.format(settings.builtAt()));
        common.put("gatewayUrl", settings.gatewayUrl());
        common.put("statusWebSocket", settings.statusWebSocket());
        common.put("runtimeUrl", settings.runtimeUrl() == null ? null : settings.runtimeUrl().replaceAll("/+$", ""));

        Map<String, Object> index = new LinkedHashMap<>(common);
        index.put("root", "");
        index.put("servers", servers);
        index.put("stats", stats(servers));
        write(out.resolve("index.html"), "index", index);
        // Pages are independent and most of the time is writing files: both cores are used.
        servers.parallelStream().forEach(server -> {
            Map<String, Object> page = new LinkedHashMap<>(common);
            page.put("root", "../");
            page.put("server", server);
            try {
                write(pages.resolve(server.get("id") + ".html"), "server", page);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Files.writeString(out.resolve("servers.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                ServersJson.of(sorted, statuses, settings.gatewayUrl(), settings.builtAt())) + "\n");
        Files.writeString(out.resolve("search-index.json"),
                JSON.writeValueAsString(SearchIndexJson.of(sorted, statuses)) + "\n");
        RegistryApi.write(out, sorted, statuses, settings.gatewayUrl(), settings.namespace(), settings.builtAt());
    }

    private static Map<String, Object> stats(List<Map<String, Object>> servers) {
        long enabled = servers.stream().filter(s -> (Boolean) s.get("enabled")).count();
        long healthy = servers.stream().filter(s -> "healthy".equals(s.get("health"))).count();
        long issues = servers.stream().filter(s -> (Boolean) s.get("enabled") && !"healthy".equals(s.get("health"))).count();
        long tools = servers.stream().mapToLong(s -> ((Number) s.get("toolCount")).longValue()).sum();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("total", servers.size());
        stats.put("enabled", enabled);
        stats.put("disabled", servers.size() - enabled);
        stats.put("healthy", healthy);
        stats.put("issues", issues);
        stats.put("tools", tools);
        return stats;
    }

    private void write(Path file, String template, Map<String, Object> context) throws IOException {
        PebbleTemplate compiled = engine.getTemplate(template);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            compiled.evaluate(writer, context);
        }
    }

    private static void copyAsset(Path out, String name) throws IOException {
        try (InputStream in = SiteGenerator.class.getResourceAsStream("/site/assets/" + name)) {
            if (in == null) {
                throw new IOException("asset " + name + " is missing from the build");
            }
            Files.write(out.resolve("assets").resolve(name), in.readAllBytes());
        }
    }

    /** The template model of one server: plain maps, so templates see exactly what is listed here. */
    static final class ServerView {

        private ServerView() {}

        static Map<String, Object> of(ServerEntry entry, ServerStatus status, String gatewayUrl) {
            Map<String, Object> view = new LinkedHashMap<>();
            String id = entry.id().value();
            List<ToolInfo> tools = status == null ? List.of() : status.tools();
            view.put("id", id);
            view.put("name", entry.name());
            view.put("description", entry.description());
            view.put("path", entry.path());
            view.put("transport", entry.transport().entryName());
            view.put("enabled", entry.enabled());
            view.put("tags", entry.tags());
            view.put("license", entry.license());
            view.put("version", entry.version());
            view.put("owner", entry.owner() == null ? null : entry.owner().name() + " <" + entry.owner().email() + ">");
            view.put("homepage", entry.homepage());
            view.put("repository", entry.repository());
            view.put("health", Health.effective(entry.enabled(), status).jsonName());
            view.put("checkedAt", status == null ? null : status.checkedAt().toString());
            view.put("healthSince", status == null ? null : status.healthSince().toString());
            view.put("error", status == null ? null : status.error());
            view.put("latencyMs", status == null ? null : status.latencyMs());
            view.put("serverInfo", status == null || status.serverName() == null ? null
                    : status.serverName() + " " + status.serverVersion() + " (protocol " + status.protocolVersion() + ")");
            view.put("lastToolChange", status == null || status.lastToolChange() == null ? null
                    : status.lastToolChange().summary() + " at " + status.lastToolChange().at());
            view.put("toolCount", tools.size());
            view.put("toolsTruncated", status != null && status.toolsTruncated());
            view.put("tools", tools.stream().map(ServerView::tool).toList());
            view.put("gatewayUrl", GatewayUrls.endpoint(entry, gatewayUrl));
            view.put("clientConfigs", clientConfigs(entry, gatewayUrl));
            view.put("searchText", SearchIndexJson.serverText(entry));
            return view;
        }

        private static Map<String, Object> tool(ToolInfo tool) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", tool.name());
            view.put("description", tool.description());
            List<Map<String, Object>> params = new ArrayList<>();
            JsonNode schema = tool.inputSchema();
            if (schema != null) {
                List<String> required = new ArrayList<>();
                schema.path("required").forEach(name -> required.add(name.asString()));
                for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
                    Map<String, Object> param = new LinkedHashMap<>();
                    param.put("name", property.getKey());
                    JsonNode type = property.getValue().path("type");
                    param.put("type", type.isArray() ? type.values().stream().map(JsonNode::asString)
                            .collect(Collectors.joining(" | ")) : type.asString("any"));
                    param.put("required", required.contains(property.getKey()));
                    param.put("description", property.getValue().path("description").asString(""));
                    params.add(param);
                }
            }
            view.put("params", params);
            view.put("schema", schema == null ? "{}" : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(schema));
            return view;
        }

        private static List<Map<String, Object>> clientConfigs(ServerEntry entry, String gatewayUrl) {
            String id = entry.id().value();
            String url = GatewayUrls.endpoint(entry, gatewayUrl);
            boolean sse = entry.transport() == Transport.SSE;
            List<Map<String, Object>> configs = new ArrayList<>();
            ObjectNode vscode = JSON.createObjectNode();
            vscode.putObject("servers").putObject(id).put("type", sse ? "sse" : "http").put("url", url);
            configs.add(config("VS Code", "In .vscode/mcp.json of your workspace, or your user mcp.json:", vscode));
            ObjectNode cursor = JSON.createObjectNode();
            cursor.putObject("mcpServers").putObject(id).put("url", url);
            configs.add(config("Cursor", "In ~/.cursor/mcp.json, or .cursor/mcp.json of a project:", cursor));
            ObjectNode claude = JSON.createObjectNode();
            ObjectNode bridge = claude.putObject("mcpServers").putObject(id).put("command", "npx");
            bridge.putArray("args").add("-y").add("mcp-remote").add(url);
            configs.add(config("Claude Desktop", "In claude_desktop_config.json (a bridge for remote servers):", claude));
            configs.add(Map.of("title", "Claude Code", "where", "From a terminal:",
                    "text", "claude mcp add --transport " + (sse ? "sse" : "http") + " " + id + " " + url));
            ObjectNode generic = JSON.createObjectNode().put("name", id)
                    .put("transport", entry.transport().entryName()).put("url", url);
            configs.add(config("Any MCP client", "The endpoint and its transport:", generic));
            return configs;
        }

        private static Map<String, Object> config(String title, String where, JsonNode json) {
            return Map.of("title", title, "where", where,
                    "text", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        }
    }
}
