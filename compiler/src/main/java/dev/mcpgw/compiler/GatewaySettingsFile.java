package dev.mcpgw.compiler;

import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.UpstreamUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway options a prefix was last deployed with, kept beside its nginx.conf, so that a later deployment
 * from the runtime ({@code mcpgw serve --apply}) renders the same gateway (same listener, same TLS) and never
 * silently drops an option given to {@code mcpgw deploy}.
 */
public final class GatewaySettingsFile {

    public static final String NAME = "mcpgw-gateway.json";
    private static final JsonMapper JSON = JsonMapper.shared();

    private GatewaySettingsFile() {}

    public static void write(Path prefix, GatewaySettings settings) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        json.put("listen", settings.listen().toString());
        json.put(
                "runtime",
                settings.runtime() == null ? null : settings.runtime().toString());
        if (settings.tls() != null) {
            json.putObject("tls")
                    .put("certificate", settings.tls().certificate().toString())
                    .put("key", settings.tls().key().toString());
        }
        json.put(
                "redirect_http",
                settings.redirectHttp() == null ? null : settings.redirectHttp().toString());
        json.put("upstream_ca", settings.upstreamCa().toString());
        settings.resolvers().forEach(json.putArray("resolvers")::add);
        json.put("worker_processes", settings.workerProcesses());
        json.put("auth", settings.auth());
        ObjectNode web = json.putObject("web");
        web.put("gateway_url", settings.web().gatewayUrl());
        settings.web().hosts().forEach(web.putArray("hosts")::add);
        settings.web().origins().forEach(web.putArray("origins")::add);
        Path file = prefix.resolve(NAME);
        Path next = prefix.resolve(NAME + ".next");
        Files.write(next, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        Files.move(
                next,
                file,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The web settings; a file from before they existed means the defaults (local browsers only). */
    private static GatewaySettings.Web web(JsonNode web) {
        if (!web.isObject()) {
            return GatewaySettings.Web.LOCAL;
        }
        List<String> hosts = new ArrayList<>();
        web.path("hosts").forEach(host -> hosts.add(host.asString()));
        List<String> origins = new ArrayList<>();
        web.path("origins").forEach(origin -> origins.add(origin.asString()));
        return new GatewaySettings.Web(
                web.path("gateway_url").isString() ? web.path("gateway_url").asString() : null, hosts, origins);
    }

    /** @throws IOException saying what to do when the prefix was never deployed or the file is damaged */
    public static GatewaySettings read(Path prefix) throws IOException {
        Path file = prefix.resolve(NAME);
        if (!Files.exists(file)) {
            throw new IOException(file + " does not exist: deploy once with mcpgw deploy --prefix " + prefix
                    + " (and the gateway options you want); later deployments reuse them");
        }
        try {
            JsonNode json = JSON.readTree(file.toFile());
            List<String> resolvers = new ArrayList<>();
            json.required("resolvers").forEach(resolver -> resolvers.add(resolver.asString()));
            JsonNode tls = json.path("tls");
            return new GatewaySettings(
                    HostPort.parse(json.required("listen").asString()),
                    json.path("runtime").isString()
                            ? UpstreamUrl.parse(json.path("runtime").asString())
                            : null,
                    tls.isObject()
                            ? new GatewaySettings.Tls(
                                    Path.of(tls.required("certificate").asString()),
                                    Path.of(tls.required("key").asString()))
                            : null,
                    json.path("redirect_http").isString()
                            ? HostPort.parse(json.path("redirect_http").asString())
                            : null,
                    Path.of(json.required("upstream_ca").asString()),
                    resolvers,
                    json.required("worker_processes").asString(),
                    json.path("auth").asBoolean(false),
                    web(json.path("web")));
        } catch (JacksonException | IllegalArgumentException e) {
            throw new IOException(
                    file + " is damaged (" + e.getMessage() + "); run mcpgw deploy --prefix " + prefix + " again", e);
        }
    }
}
