package dev.mcpgw.site;

import dev.mcpgw.core.contract.RegistryV01;
import dev.mcpgw.core.contract.SearchIndexJson;
import dev.mcpgw.core.contract.ServersJson;
import dev.mcpgw.core.model.GatewayUrls;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.core.status.Health;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.core.status.ToolInfo;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.InputStream;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders the registry website: an index of every server, a page per server with its tools and client
 * configuration, {@code servers.json} for programs and the MCP Registry v0.1 API ({@link RegistryApi}). Static files only, every asset local, so any static
 * host serves it. Templates escape everything they print (Pebble autoescaping; no {@code raw} anywhere).
 */
public final class SiteGenerator {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final DateTimeFormatter SHOWN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /** A time as pages print it (scripts then show "12 s ago", this on hover). */
    private static final DateTimeFormatter EXACT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final PebbleEngine engine;

    public SiteGenerator() {
        ClasspathLoader loader = new ClasspathLoader();
        loader.setPrefix("site/templates");
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder()
                .loader(loader)
                .autoEscaping(true)
                .strictVariables(true)
                .build();
    }

    /**
     * Where clients reach the gateway, when the snapshot is built, the reverse-DNS namespace of server names in
     * the registry API ({@code com.example/currenttime}), and the runtime whose live status the pages follow
     * (null for none; the gateway's URL works, as it forwards {@code /ws/} to the runtime).
     */
    public record Settings(String gatewayUrl, Instant builtAt, String namespace, String runtimeUrl, boolean live) {
        public Settings(String gatewayUrl, Instant builtAt) {
            this(gatewayUrl, builtAt, RegistryV01.defaultNamespace(gatewayUrl), null);
        }

        /** A snapshot whose pages follow the runtime at {@code runtimeUrl} (null: none) for live status. */
        public Settings(String gatewayUrl, Instant builtAt, String namespace, String runtimeUrl) {
            this(gatewayUrl, builtAt, namespace, runtimeUrl, false);
        }

        /**
         * Pages the runtime renders on each request ({@code serve --site}): they follow its registry feed
         * ({@code /ws/registry}) on their own origin, and the search box asks its ranking.
         */
        public static Settings live(String gatewayUrl, String origin) {
            return new Settings(gatewayUrl, Instant.now(), RegistryV01.defaultNamespace(gatewayUrl), origin, true);
        }

        /** The runtime's live status WebSocket, or null for a read-only snapshot. */
        String statusWebSocket() {
            return runtimeUrl == null
                    ? null
                    : runtimeUrl.replaceFirst("^http", "ws").replaceAll("/+$", "") + "/ws/health_status";
        }
    }

    /**
     * How a live page shows one server beyond its entry and status: {@code version} is the registry feed's
     * version of the server when the page was rendered (0 in a snapshot), {@code deploymentError} why the
     * gateway does not route to it (null when it does).
     */
    public record Live(long version, String deploymentError) {
        public static final Live SNAPSHOT = new Live(0, null);
    }

    /** The index page of {@code entries} (in id order). */
    public String renderIndex(
            List<ServerEntry> entries,
            Map<String, ServerStatus> statuses,
            Settings settings,
            java.util.function.Function<String, Live> live) {
        List<Map<String, Object>> servers = new ArrayList<>(entries.size());
        for (ServerEntry entry : entries) {
            String id = entry.id().value();
            servers.add(ServerView.of(entry, statuses.get(id), settings.gatewayUrl(), live.apply(id), false));
        }
        Map<String, Object> index = common(settings);
        index.put("root", "");
        index.put("servers", servers);
        index.put("stats", stats(servers));
        return render("index", index);
    }

    /** The page of one server. */
    public String renderServer(ServerEntry entry, ServerStatus status, Settings settings, Live live) {
        Map<String, Object> page = common(settings);
        page.put("root", "../");
        page.put("server", ServerView.of(entry, status, settings.gatewayUrl(), live));
        return render("server", page);
    }

    /** One server's card of the index, as the index shows it (a live index replaces a card with this). */
    public String renderCard(ServerEntry entry, ServerStatus status, Settings settings, Live live) {
        Map<String, Object> card = common(settings);
        card.put("root", "");
        card.put("server", ServerView.of(entry, status, settings.gatewayUrl(), live, false));
        return render("card", card);
    }

    /** The page for a server that is not in the registry (deleted, or never registered). */
    public String renderMissing(String id, Settings settings) {
        Map<String, Object> page = common(settings);
        page.put("root", "../");
        page.put("id", id);
        return render("missing", page);
    }

    private Map<String, Object> common(Settings settings) {
        Map<String, Object> common = new LinkedHashMap<>();
        common.put("builtAt", SHOWN.format(settings.builtAt()));
        common.put("builtAtIso", settings.builtAt().toString());
        common.put("gatewayUrl", settings.gatewayUrl());
        common.put("live", settings.live());
        common.put("statusWebSocket", settings.live() ? null : settings.statusWebSocket());
        common.put(
                "runtimeUrl",
                settings.runtimeUrl() == null ? null : settings.runtimeUrl().replaceAll("/+$", ""));
        return common;
    }

    private String render(String template, Map<String, Object> context) {
        java.io.StringWriter out = new java.io.StringWriter(4096);
        try {
            engine.getTemplate(template).evaluate(out, context);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the site into {@code out}; pages of servers no longer registered are removed. */
    public void generate(List<ServerEntry> entries, Map<String, ServerStatus> statuses, Settings settings, Path out)
            throws IOException {
        List<ServerEntry> sorted =
                entries.stream().sorted(Comparator.comparing(ServerEntry::id)).toList();
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
        for (String asset : ASSETS) {
            copyAsset(out, asset);
        }
        Files.writeString(out.resolve("index.html"), renderIndex(sorted, statuses, settings, id -> Live.SNAPSHOT));
        // Pages are independent and most of the time is writing files: both cores are used.
        sorted.parallelStream().forEach(entry -> {
            try {
                Files.writeString(
                        pages.resolve(entry.id().value() + ".html"),
                        renderServer(entry, statuses.get(entry.id().value()), settings, Live.SNAPSHOT));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Files.writeString(
                out.resolve("servers.json"),
                JSON.writerWithDefaultPrettyPrinter()
                                .writeValueAsString(
                                        ServersJson.of(sorted, statuses, settings.gatewayUrl(), settings.builtAt()))
                        + "\n");
        Files.writeString(
                out.resolve("search-index.json"), JSON.writeValueAsString(SearchIndexJson.of(sorted, statuses)) + "\n");
        RegistryApi.write(out, sorted, statuses, settings.gatewayUrl(), settings.namespace(), settings.builtAt());
    }

    private static Map<String, Object> stats(List<Map<String, Object>> servers) {
        long enabled = servers.stream().filter(s -> (Boolean) s.get("enabled")).count();
        long healthy =
                servers.stream().filter(s -> "healthy".equals(s.get("health"))).count();
        long issues = servers.stream()
                .filter(s -> (Boolean) s.get("enabled") && !"healthy".equals(s.get("health")))
                .count();
        long tools = servers.stream()
                .mapToLong(s -> ((Number) s.get("toolCount")).longValue())
                .sum();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("total", servers.size());
        stats.put("enabled", enabled);
        stats.put("disabled", servers.size() - enabled);
        stats.put("healthy", healthy);
        stats.put("issues", issues);
        stats.put("tools", tools);
        return stats;
    }

    /** The site's static files, under {@code assets/}. */
    public static final List<String> ASSETS = List.of("site.css", "site.js");

    /** The bytes of asset {@code name} (one of {@link #ASSETS}). */
    public static byte[] asset(String name) throws IOException {
        try (InputStream in = SiteGenerator.class.getResourceAsStream("/site/assets/" + name)) {
            if (in == null || !ASSETS.contains(name)) {
                throw new IOException("asset " + name + " is missing from the build");
            }
            return in.readAllBytes();
        }
    }

    private static void copyAsset(Path out, String name) throws IOException {
        Files.write(out.resolve("assets").resolve(name), asset(name));
    }

    /** The template model of one server: plain maps, so templates see exactly what is listed here. */
    static final class ServerView {

        private ServerView() {}

        static Map<String, Object> of(ServerEntry entry, ServerStatus status, String gatewayUrl, Live live) {
            return of(entry, status, gatewayUrl, live, true);
        }

        /** @param page false for a card: its tools' schemas and the client configurations are left out */
        static Map<String, Object> of(
                ServerEntry entry, ServerStatus status, String gatewayUrl, Live live, boolean page) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("feedVersion", live.version());
            view.put("deploymentError", live.deploymentError());
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
            view.put(
                    "owner",
                    entry.owner() == null
                            ? null
                            : entry.owner().name() + " <" + entry.owner().email() + ">");
            view.put("homepage", entry.homepage());
            view.put("repository", entry.repository());
            view.put("health", Health.effective(entry.enabled(), status).jsonName());
            view.put("checkedAt", status == null ? null : status.checkedAt().toString());
            view.put("checkedAtShown", status == null ? null : EXACT.format(status.checkedAt()));
            view.put("healthSince", status == null ? null : status.healthSince().toString());
            view.put("healthSinceShown", status == null ? null : EXACT.format(status.healthSince()));
            view.put("error", status == null ? null : status.error());
            view.put("latencyMs", status == null ? null : status.latencyMs());
            view.put(
                    "serverInfo",
                    status == null || status.serverName() == null
                            ? null
                            : status.serverName() + " " + status.serverVersion() + " (protocol "
                                    + status.protocolVersion() + ")");
            view.put(
                    "lastToolChange",
                    status == null || status.lastToolChange() == null
                            ? null
                            : status.lastToolChange().summary() + " at "
                                    + status.lastToolChange().at());
            view.put("toolCount", tools.size());
            view.put("toolsTruncated", status != null && status.toolsTruncated());
            view.put("tools", page ? tools.stream().map(ServerView::tool).toList() : List.of());
            view.put("gatewayUrl", GatewayUrls.endpoint(entry, gatewayUrl));
            view.put("clientConfigs", page ? clientConfigs(entry, gatewayUrl) : List.of());
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
                for (Map.Entry<String, JsonNode> property :
                        schema.path("properties").properties()) {
                    Map<String, Object> param = new LinkedHashMap<>();
                    param.put("name", property.getKey());
                    JsonNode type = property.getValue().path("type");
                    param.put(
                            "type",
                            type.isArray()
                                    ? type.values().stream()
                                            .map(JsonNode::asString)
                                            .collect(Collectors.joining(" | "))
                                    : type.asString("any"));
                    param.put("required", required.contains(property.getKey()));
                    param.put(
                            "description",
                            property.getValue().path("description").asString(""));
                    params.add(param);
                }
            }
            view.put("params", params);
            view.put(
                    "schema",
                    schema == null
                            ? "{}"
                            : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(schema));
            return view;
        }

        private static List<Map<String, Object>> clientConfigs(ServerEntry entry, String gatewayUrl) {
            String id = entry.id().value();
            String url = GatewayUrls.endpoint(entry, gatewayUrl);
            boolean sse = entry.transport() == Transport.SSE;
            List<Map<String, Object>> configs = new ArrayList<>();
            ObjectNode vscode = JSON.createObjectNode();
            vscode.putObject("servers")
                    .putObject(id)
                    .put("type", sse ? "sse" : "http")
                    .put("url", url);
            configs.add(config("VS Code", "In .vscode/mcp.json of your workspace, or your user mcp.json:", vscode));
            ObjectNode cursor = JSON.createObjectNode();
            cursor.putObject("mcpServers").putObject(id).put("url", url);
            configs.add(config("Cursor", "In ~/.cursor/mcp.json, or .cursor/mcp.json of a project:", cursor));
            ObjectNode claude = JSON.createObjectNode();
            ObjectNode bridge = claude.putObject("mcpServers").putObject(id).put("command", "npx");
            bridge.putArray("args").add("-y").add("mcp-remote").add(url);
            configs.add(
                    config("Claude Desktop", "In claude_desktop_config.json (a bridge for remote servers):", claude));
            configs.add(Map.of(
                    "title",
                    "Claude Code",
                    "where",
                    "From a terminal:",
                    "text",
                    "claude mcp add --transport " + (sse ? "sse" : "http") + " " + id + " " + url));
            ObjectNode generic = JSON.createObjectNode()
                    .put("name", id)
                    .put("transport", entry.transport().entryName())
                    .put("url", url);
            configs.add(config("Any MCP client", "The endpoint and its transport:", generic));
            return configs;
        }

        private static Map<String, Object> config(String title, String where, JsonNode json) {
            return Map.of(
                    "title",
                    title,
                    "where",
                    where,
                    "text",
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        }
    }
}
