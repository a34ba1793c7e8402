package dev.mcpgw.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the runtime's API that keeps the session cookie, as a browser or curl -c would. */
final class Http {

    private final HttpClient client =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    private String cookie;

    record Response(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            return JsonMapper.shared().readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    Http(RegistryRuntime runtime) {
        this("http://127.0.0.1:" + runtime.port());
    }

    /** A browser of the registry at {@code base} (the runtime's own listener, or the gateway in front of it). */
    Http(String base) {
        this.base = base;
    }

    Response get(String path, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).GET());
    }

    Response form(String path, Map<String, String> fields, String... headers) throws IOException, InterruptedException {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(request(path, headers)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response json(String path, String json, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response method(String method, String path, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** Signs in as the test administrator and keeps the session cookie. */
    Response login() throws IOException, InterruptedException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("username", TestRegistry.ADMIN);
        fields.put("password", TestRegistry.PASSWORD);
        return form("/login", fields);
    }

    String cookie() {
        return cookie;
    }

    void forgetCookie() {
        cookie = null;
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
        if (cookie != null) {
            builder.header("Cookie", cookie);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        response.headers().firstValue("Set-Cookie").ifPresent(set -> {
            String pair = set.substring(0, set.indexOf(';'));
            cookie = pair.endsWith("=") ? null : pair;
        });
        return new Response(response.statusCode(), response.headers(), response.body());
    }
}
