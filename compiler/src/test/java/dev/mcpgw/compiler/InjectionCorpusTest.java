package dev.mcpgw.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.validation.FileResult;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every payload of {@code injection/payloads.txt}, in every field of an entry and as a key: what validation
 * accepts must compile to a config that passes nginx -t and holds the payload, if at all, only inside one
 * quoted token; in the fields that reach nginx nothing hostile may be accepted at all.
 */
@org.junit.jupiter.api.Tag("nginx")
class InjectionCorpusTest {

    private static final String MARKER = "PWNED";

    /** Where a payload goes, as a YAML line template; the first group reach nginx, the rest are free text. */
    private static final Map<String, String> FIELDS_REACHING_NGINX = new LinkedHashMap<>();

    private static final Map<String, String> FREE_TEXT_FIELDS = new LinkedHashMap<>();

    static {
        FIELDS_REACHING_NGINX.put("path", "path: %s\n");
        FIELDS_REACHING_NGINX.put("proxy_pass_url", "proxy_pass_url: %s\n");
        FIELDS_REACHING_NGINX.put("transport", "transport: %s\n");
        FIELDS_REACHING_NGINX.put("replicas", "replicas: [%s]\n");
        FIELDS_REACHING_NGINX.put("header name", "upstream_headers: [{name: %s, value_from: {env: K}}]\n");
        FIELDS_REACHING_NGINX.put("header env", "upstream_headers: [{name: X-K, value_from: {env: %s}}]\n");
        FIELDS_REACHING_NGINX.put("header file", "upstream_headers: [{name: X-K, value_from: {file: %s}}]\n");
        FIELDS_REACHING_NGINX.put(
                "header prefix", "upstream_headers: [{name: X-K, prefix: %s, value_from: {env: K}}]\n");
        FIELDS_REACHING_NGINX.put("tag", "tags: [%s]\n");
        FIELDS_REACHING_NGINX.put("version", "version: %s\n");
        FIELDS_REACHING_NGINX.put("license", "license: %s\n");
        FIELDS_REACHING_NGINX.put("key", "%s: x\n");
        FREE_TEXT_FIELDS.put("name", "name: %s\n");
        FREE_TEXT_FIELDS.put("description", "description: %s\n");
        FREE_TEXT_FIELDS.put("owner name", "owner: {name: %s, email: a@example.com}\n");
        FREE_TEXT_FIELDS.put("owner email", "owner: {name: a, email: %s}\n");
        FREE_TEXT_FIELDS.put("homepage", "homepage: %s\n");
        FREE_TEXT_FIELDS.put("repository", "repository: %s\n");
    }

    private static final String BASE = """
            name: Injection target
            path: /%1$s
            proxy_pass_url: http://127.0.0.1:8001
            transport: streamable-http
            description: An entry carrying one hostile value.
            """;

    private final RegistryValidator validator = RegistryValidator.create();

    static List<String> payloads() throws Exception {
        List<String> payloads = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/injection/payloads.txt"))) {
            if (!line.isEmpty() && !line.startsWith("# ")) {
                payloads.add(unescape(line));
            }
        }
        return payloads;
    }

    @Test
    void theCorpusIsLargeAndMarked() throws Exception {
        assertThat(payloads()).hasSizeGreaterThanOrEqualTo(50).allMatch(p -> p.contains(MARKER));
    }

    @Test
    void nothingHostileIsAcceptedInAFieldThatReachesNginx() throws Exception {
        List<String> accepted = new ArrayList<>();
        int n = 0;
        for (String payload : payloads()) {
            for (Map.Entry<String, String> field : FIELDS_REACHING_NGINX.entrySet()) {
                String id = "inj" + n++;
                FileResult result = validate(id, field.getValue(), payload);
                if (result.entry() != null) {
                    accepted.add(field.getKey() + " <- " + payload);
                }
            }
        }
        assertThat(accepted).isEmpty();
    }

    @Test
    void whatFreeTextFieldsAcceptCompilesSafelyAndPassesNginxT(@TempDir Path work) throws Exception {
        Path servers = Files.createDirectories(work.resolve("servers"));
        int n = 0;
        int acceptedCount = 0;
        for (String payload : payloads()) {
            for (String template : FREE_TEXT_FIELDS.values()) {
                String id = "inj" + n++;
                String yaml = entry(id, template, payload);
                if (validator
                                .validateFile(new SourceFile(id + ".yaml", bytes(yaml)))
                                .entry()
                        != null) {
                    Files.writeString(servers.resolve(id + ".yaml"), yaml);
                    acceptedCount++;
                }
            }
        }
        assertThat(acceptedCount).as("free text keeps punctuation people use").isGreaterThan(20);

        GatewayCompiler.Result result =
                new GatewayCompiler(validator).compile(servers, "servers", GatewaySettings.defaults());
        assertThat(result.problems()).isEmpty();
        NginxProcess.test(work.resolve("prefix"), result.config());
        assertThat(outsideQuotedTokens(result.config())).doesNotContain(MARKER);
    }

    @Test
    void hostileValuesNeverReachTheConfigEvenQuoted() throws Exception {
        // Free text never reaches nginx.conf at all: not even inside a quoted token.
        Path servers = Files.createTempDirectory("inj");
        Files.writeString(servers.resolve("x.yaml"), entry("x", "description: %s\n", "x\"; include PWNED; #"));
        GatewayCompiler.Result result =
                new GatewayCompiler(validator).compile(servers, "servers", GatewaySettings.defaults());
        assertThat(result.config()).doesNotContain(MARKER);
    }

    private FileResult validate(String id, String template, String payload) {
        return validator.validateFile(new SourceFile(id + ".yaml", bytes(entry(id, template, payload))));
    }

    /** The base entry with the template's line replacing (or adding) its field, payload double-quoted. */
    private static String entry(String id, String template, String payload) {
        String line = String.format(template, yamlDoubleQuoted(payload));
        String key = line.substring(0, line.indexOf(':'));
        String base = String.format(BASE, id);
        return base.contains("\n" + key + ":") || base.startsWith(key + ":")
                ? base.replaceAll(
                        "(?m)^" + java.util.regex.Pattern.quote(key) + ":.*\\n",
                        java.util.regex.Matcher.quoteReplacement(line))
                : base + line;
    }

    private static byte[] bytes(String yaml) {
        return yaml.getBytes(StandardCharsets.UTF_8);
    }

    static String yamlDoubleQuoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x2028 && c <= 0x2029)) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }

    /** The config with every double-quoted token and every comment removed. */
    static String outsideQuotedTokens(String config) {
        return config.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"").replaceAll("(?m)^\\s*#.*$", "");
    }

    private static String unescape(String line) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != '\\' || i + 1 == line.length()) {
                out.append(c);
                continue;
            }
            char next = line.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case '\\' -> out.append('\\');
                case 'u' -> {
                    out.append((char) Integer.parseInt(line.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append('\\').append(next);
            }
        }
        return out.toString();
    }
}
