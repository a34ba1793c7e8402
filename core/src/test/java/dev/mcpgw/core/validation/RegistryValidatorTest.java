package dev.mcpgw.core.validation;

import static dev.mcpgw.core.validation.RegistryFixture.VALID;
import static dev.mcpgw.core.validation.RegistryFixture.quoted;
import static dev.mcpgw.core.validation.RegistryFixture.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mcpgw.core.model.HostPort;
import dev.mcpgw.core.model.SecretReference;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.core.model.Transport;
import dev.mcpgw.core.yaml.Position;
import dev.mcpgw.core.yaml.SafeYamlReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryValidatorTest {

    @TempDir
    Path directory;

    private RegistryFixture registry;

    @BeforeEach
    void setUp() {
        registry = new RegistryFixture(directory);
    }

    @Test
    void acceptsTheRepositoryExamples() throws Exception {
        ValidationReport report = RegistryFixture.VALIDATOR.validateDirectory(Path.of("..", "servers"), "servers");

        assertThat(report.problems()).isEmpty();
        assertThat(report.entries())
                .extracting(e -> e.id().value(), ServerEntry::transport)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("currenttime", Transport.STREAMABLE_HTTP),
                        org.assertj.core.groups.Tuple.tuple("fininfo", Transport.SSE),
                        org.assertj.core.groups.Tuple.tuple("mcpgw", Transport.STREAMABLE_HTTP));
        assertThat(report.summary()).isEqualTo("3 server entries valid (3 enabled, 0 disabled)");
    }

    @Test
    void readsEveryOptionalFieldIntoTheModel() {
        registry.write("time.yaml", VALID + """
                enabled: false
                tags: [time, utilities]
                license: MIT OR Apache-2.0
                version: "2.1.0"
                owner:
                  name: Platform Team
                  email: platform@example.com
                  url: https://chat.example.com/platform
                homepage: https://docs.example.com/time
                repository: https://git.example.com/time
                replicas: ["10.0.0.5:8001", "[::1]:8001"]
                upstream_headers:
                  - name: Authorization
                    prefix: "Bearer "
                    value_from: {env: TIME_TOKEN}
                  - name: X-Api-Key
                    value_from: {file: /run/secrets/time-key}
                """);

        ValidationReport report = registry.validate();

        assertThat(report.problems()).isEmpty();
        ServerEntry entry = report.entries().get(0);
        assertThat(entry.enabled()).isFalse();
        assertThat(entry.tags()).containsExactly("time", "utilities");
        assertThat(entry.owner().email()).isEqualTo("platform@example.com");
        assertThat(entry.replicas()).containsExactly(new HostPort("10.0.0.5", 8001), new HostPort("[::1]", 8001));
        assertThat(entry.upstreamHeaders().get(0).valueFrom()).isEqualTo(new SecretReference.Env("TIME_TOKEN"));
        assertThat(entry.upstreamHeaders().get(0).prefix()).isEqualTo("Bearer ");
        assertThat(entry.upstreamHeaders().get(1).valueFrom())
                .isEqualTo(new SecretReference.File("/run/secrets/time-key"));
        assertThat(entry.proxyPassUrl().toString()).isEqualTo("http://127.0.0.1:8001");
        assertThat(report.summary()).isEqualTo("1 server entry valid (0 enabled, 1 disabled)");
    }

    @Test
    void enabledDefaultsToTrue() {
        registry.write("time.yaml", VALID);

        assertThat(registry.validate().entries().get(0).enabled()).isTrue();
    }

    // --- wrong types, missing and unknown keys ---

    @Test
    void reportsAQuotedBooleanAsATypeError() {
        Problem problem = registry.onlyProblemOf("time.yaml", with(VALID, "enabled", "\"yes\""));

        assertThat(problem.toString())
                .isEqualTo("servers/time.yaml:6:10: enabled: must be true or false, not text 'yes'");
    }

    @Test
    void reportsYaml11BooleansAsTextNotAsTrue() {
        Problem problem = registry.onlyProblemOf("time.yaml", with(VALID, "enabled", "yes"));

        assertThat(problem.message()).isEqualTo("must be true or false, not text 'yes'");
    }

    @Test
    void suggestsQuotingAVersionThatYamlReadsAsANumber() {
        Problem problem = registry.onlyProblemOf("time.yaml", with(VALID, "version", "1.0"));

        assertThat(problem.toString())
                .isEqualTo(
                        "servers/time.yaml:6:10: version: must be text, not the number 1.0; quote it to keep it as text");
    }

    @Test
    void reportsAScalarWhereAListBelongs() {
        Problem problem = registry.onlyProblemOf("time.yaml", with(VALID, "tags", "time"));

        assertThat(problem.field()).isEqualTo("tags");
        assertThat(problem.message()).isEqualTo("must be a list, not text 'time'");
    }

    @Test
    void reportsAListWhereTextBelongs() {
        Problem problem = registry.onlyProblemOf("time.yaml", with(VALID, "name", "[a, b]"));

        assertThat(problem.toString()).isEqualTo("servers/time.yaml:1:7: name: must be text, not a list");
    }

    @Test
    void reportsEveryMissingRequiredKeyAtTheTopOfTheEntry() {
        registry.write("time.yaml", "# the time server\nname: Current Time\n");

        ValidationReport report = registry.validate();

        assertThat(report.problems())
                .extracting(Problem::field)
                .containsExactlyInAnyOrder("path", "proxy_pass_url", "transport", "description");
        assertThat(report.problems()).allSatisfy(p -> {
            assertThat(p.position()).isEqualTo(new Position(2, 1));
            assertThat(p.message()).startsWith("is required but missing");
        });
        assertThat(report.problems())
                .filteredOn(p -> p.field().equals("transport"))
                .singleElement()
                .extracting(Problem::message)
                .asString()
                .contains("streamable-http");
    }

    @Test
    void reportsAMissingNestedKey() {
        Problem problem = registry.onlyProblemOf("time.yaml", VALID + "owner:\n  name: Platform\n");

        assertThat(problem.toString()).startsWith("servers/time.yaml:7:3: owner.email: is required but missing");
    }

    @Test
    void reportsAnUnknownKeyAtTheKeyAndSuggestsTheClosestOne() {
        Problem problem = registry.onlyProblemOf("time.yaml", VALID + "enabeld: false\n");

        assertThat(problem.position()).isEqualTo(new Position(6, 1));
        assertThat(problem.field()).isEqualTo("enabeld");
        assertThat(problem.message()).startsWith("unknown field; did you mean 'enabled'? allowed here: name, path,");
    }

    @Test
    void reportsAnUnknownKeyWithoutAFarFetchedSuggestion() {
        Problem problem = registry.onlyProblemOf("time.yaml", VALID + "snippet: 'return 200;'\n");

        assertThat(problem.message()).startsWith("unknown field; allowed here:");
    }

    @Test
    void reportsAnUnknownNestedKey() {
        Problem problem = registry.onlyProblemOf(
                "time.yaml", VALID + "owner:\n  name: P\n  email: p@example.com\n  phone: 123\n");

        assertThat(problem.toString())
                .startsWith("servers/time.yaml:9:3: owner.phone: unknown field; allowed here: name, email, url");
    }

    @Test
    void reportsADuplicateKey() {
        Problem problem = registry.onlyProblemOf("time.yaml", VALID + "name: Other\n");

        assertThat(problem.toString())
                .isEqualTo("servers/time.yaml:6:1: duplicate key 'name' (first set at line 1); keep only one");
    }

    @Test
    void reportsHeaderValueFromNamingBothSources() {
        Problem problem = registry.onlyProblemOf(
                "time.yaml",
                VALID + "upstream_headers:\n  - name: X-Key\n    value_from: {env: KEY, file: /run/key}\n");

        assertThat(problem.field()).isEqualTo("upstream_headers[0].value_from");
        assertThat(problem.message()).isEqualTo("must name exactly one of env, file");
    }

    @Test
    void refusesALiteralHeaderValue() {
        Problem problem = registry.onlyProblemOf(
                "time.yaml",
                VALID + "upstream_headers:\n  - name: X-Key\n    value: s3cr3t\n    value_from: {env: KEY}\n");

        assertThat(problem.field()).isEqualTo("upstream_headers[0].value");
        assertThat(problem.message()).startsWith("unknown field;");
    }

    // --- rules across files ---

    @Test
    void reportsAPathThatDoesNotMatchTheFileName() {
        Problem problem = registry.onlyProblemOf("clock.yaml", VALID);

        assertThat(problem.toString())
                .isEqualTo("servers/clock.yaml:2:7: path: '/time' does not match the file "
                        + "name; name the file time.yaml or set path: /clock");
    }

    @Test
    void reportsDuplicatePathsAcrossYamlAndYml() {
        registry.write("time.yaml", VALID);
        registry.write("time.yml", VALID);

        ValidationReport report = registry.validate();

        assertThat(report.problems())
                .singleElement()
                .hasToString("servers/time.yml:2:7: path: '/time' is already "
                        + "used by servers/time.yaml:2:7; every server needs its own path");
    }

    @Test
    void reportsDuplicatePathsAcrossSubdirectories() {
        registry.write("team-a/time.yaml", VALID);
        registry.write("team-b/time.yaml", VALID);

        assertThat(registry.validate().problems())
                .singleElement()
                .satisfies(p -> assertThat(p.file()).isEqualTo("servers/team-b/time.yaml"))
                .satisfies(p -> assertThat(p.message()).contains("already used by servers/team-a/time.yaml:2:7"));
    }

    static Stream<String> reservedIdsAllowedByThePattern() {
        return ServerId.RESERVED.stream().filter(id -> id.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"));
    }

    @ParameterizedTest
    @MethodSource("reservedIdsAllowedByThePattern")
    void refusesReservedPaths(String id) {
        Problem problem = registry.onlyProblemOf(id + ".yaml", with(VALID, "path", "/" + id));

        assertThat(problem.field()).isEqualTo("path");
        assertThat(problem.position()).isEqualTo(new Position(2, 7));
        assertThat(problem.message()).startsWith("/" + id + " is reserved by the gateway and registry");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/v0.1", "/.well-known", "/API", "/-time", "/time-", "/time/x", "time", "//time"})
    void refusesPathsOutsideTheIdAlphabet(String path) {
        Problem problem = registry.onlyProblemOf("time.yaml", with(VALID, "path", quoted(path)));

        assertThat(problem.field()).isEqualTo("path");
        assertThat(problem.message()).startsWith("must be '/' followed by 1-63 lowercase letters");
    }

    @Test
    void refusesAnIdLongerThan63Characters() {
        String id = "a".repeat(64);
        Problem problem = registry.onlyProblemOf(id + ".yaml", with(VALID, "path", "/" + id));

        assertThat(problem.field()).isEqualTo("path");
    }

    // --- URLs ---

    @ParameterizedTest
    @ValueSource(
            strings = {
                "file:///etc/passwd",
                "javascript:alert(1)",
                "gopher://127.0.0.1:70/_",
                "ftp://example.com",
                "//example.com",
                "http://user:password@example.com",
                "http://token@example.com",
                "http://example.com/?a=1",
                "http://example.com/mcp#frag",
                "http://",
                "http:///mcp",
                "http://exa mple.com",
                "http://example.com/a b",
                "http://example.com/$request_uri",
                "http://example.com/;return 200",
                "http://ex_ample.com",
                "http://example.com/a%0d%0aX-Injected:%201",
                "http://example.com/%00",
                "http://example.com/%7f",
                "HTTP://example.com",
                "http://example.com:",
                "http://example.com:port",
                "http://[zz::1]:80"
            })
    void refuses_upstream_urls_outside_http_base_urls(String url) {
        Problem problem = registry.onlyProblemOf("time.yaml", with(VALID, "proxy_pass_url", quoted(url)));

        assertThat(problem.field()).isEqualTo("proxy_pass_url");
        assertThat(problem.position()).isEqualTo(new Position(3, 17));
        assertThat(problem.message()).startsWith("must be an http:// or https:// URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com:0", "http://example.com:65536", "http://example.com:99999"})
    void refusesPortsOutOfRange(String url) {
        Problem problem = registry.onlyProblemOf("time.yaml", with(VALID, "proxy_pass_url", url));

        assertThat(problem.field()).isEqualTo("proxy_pass_url");
        assertThat(problem.message()).endsWith("is out of range; use 1-65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/../admin", "http://example.com/a/./b", "http://example.com/.."})
    void refusesDotSegmentsInUpstreamPaths(String url) {
        Problem problem = registry.onlyProblemOf("time.yaml", with(VALID, "proxy_pass_url", url));

        assertThat(problem.message()).isEqualTo("the path may not contain '.' or '..' segments");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://mcp.example.com",
                "http://10.1.2.3:8080/mcp-base/",
                "http://[::1]:9000",
                "https://a-b.example.com/x/y%20z",
                "http://localhost"
            })
    void accepts_http_base_urls(String url) {
        registry.write("time.yaml", with(VALID, "proxy_pass_url", url));

        assertThat(registry.validate().problems()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "javascript:alert(1)",
                "https://user:pw@example.com/",
                "file:///etc/passwd",
                "https://example.com/\"onmouseover=x"
            })
    void refuses_homepages_that_are_not_plain_web_links(String url) {
        Problem problem = registry.onlyProblemOf("time.yaml", with(VALID, "homepage", quoted(url)));

        assertThat(problem.field()).isEqualTo("homepage");
    }

    // --- upstream headers ---

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Host",
                "host",
                "Mcp-Session-Id",
                "Proxy-Authorization",
                "Transfer-Encoding",
                "X-Forwarded-For",
                "X-Mcpgw-User",
                "Mcp-Param-Region",
                "Connection",
                "Origin",
                "Accept-Encoding",
                "X-Forwarded-Prefix"
            })
    void refuses_headers_the_gateway_owns(String header) {
        Problem problem = registry.onlyProblemOf(
                "time.yaml", VALID + "upstream_headers:\n  - name: " + header + "\n    value_from: {env: KEY}\n");

        assertThat(problem.field()).isEqualTo("upstream_headers[0].name");
        assertThat(problem.position()).isEqualTo(new Position(7, 11));
        assertThat(problem.message()).contains("set by the gateway or the MCP protocol");
    }

    @Test
    void refusesAHeaderListedTwice() {
        Problem problem = registry.onlyProblemOf(
                "time.yaml",
                VALID + "upstream_headers:\n"
                        + "  - {name: X-Key, value_from: {env: A}}\n  - {name: x-key, value_from: {env: B}}\n");

        assertThat(problem.field()).isEqualTo("upstream_headers");
        assertThat(problem.position()).isEqualTo(new Position(7, 3));
        assertThat(problem.message()).isEqualTo("header x-key is listed twice");
    }

    @Test
    void refusesReplicasForSseServers() {
        Problem problem = registry.onlyProblemOf(
                "time.yaml", with(VALID, "transport", "sse") + "replicas: [\"10.0.0.1:80\", \"10.0.0.2:80\"]\n");

        assertThat(problem.toString())
                .isEqualTo("servers/time.yaml:6:11: replicas: replicas need transport: "
                        + "streamable-http; the gateway cannot yet keep an SSE session on one replica");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/run/../etc/shadow", "/run/./key", "run/key", "/run/key file"})
    void refusesSecretFilesOutsidePlainAbsolutePaths(String path) {
        Problem problem = registry.onlyProblemOf(
                "time.yaml",
                VALID + "upstream_headers:\n  - name: X-Key\n    value_from: {file: " + quoted(path) + "}\n");

        assertThat(problem.field()).isEqualTo("upstream_headers[0].value_from.file");
    }

    // --- unsafe characters and nginx syntax ---

    /** Where each string field lives in an otherwise valid entry; %s is replaced by the value under test. */
    static Stream<Arguments> stringFields() {
        return Stream.of(
                Arguments.of("name", "name: %s\n", "Current Time"),
                Arguments.of("description", "description: %s\n", "Tells the time."),
                Arguments.of("path", "path: %s\n", "/time"),
                Arguments.of("proxy_pass_url", "proxy_pass_url: %s\n", "http://127.0.0.1:8001/mcp"),
                Arguments.of("tags[0]", "tags: [%s]\n", "time"),
                Arguments.of("license", "license: %s\n", "MIT"),
                Arguments.of("version", "version: %s\n", "1.0.0"),
                Arguments.of("owner.name", "owner: {name: %s, email: a@example.com}\n", "Platform"),
                Arguments.of("owner.email", "owner: {name: P, email: %s}\n", "a@example.com"),
                Arguments.of("homepage", "homepage: %s\n", "https://example.com/time"),
                Arguments.of("replicas[0]", "replicas: [%s]\n", "10.0.0.1:80"),
                Arguments.of(
                        "upstream_headers[0].name",
                        "upstream_headers: [{name: %s, value_from: {env: KEY}}]\n",
                        "X-Key"),
                Arguments.of(
                        "upstream_headers[0].value_from.env",
                        "upstream_headers: [{name: X-Key, value_from: {env: %s}}]\n",
                        "KEY"),
                Arguments.of(
                        "upstream_headers[0].value_from.file",
                        "upstream_headers: [{name: X-Key, value_from: {file: %s}}]\n",
                        "/run/key"),
                Arguments.of(
                        "upstream_headers[0].prefix",
                        "upstream_headers: [{name: X-Key, prefix: %s, value_from: {env: KEY}}]\n",
                        "Bearer"));
    }

    private static String entryWith(String template, String value) {
        String line = String.format(template, value);
        String key = line.substring(0, line.indexOf(':'));
        return VALID.contains(key + ":")
                ? VALID.replaceAll("(?m)^" + key + ":.*\\n", java.util.regex.Matcher.quoteReplacement(line))
                : VALID + line;
    }

    static Stream<Arguments> unsafeCharactersInEveryStringField() {
        String[][] characters = {
            {"\\n", "line feed"},
            {"\\r", "carriage return"},
            {"\\t", "tab"},
            {"\\0", "NUL"},
            {"\\e", "escape"},
            {"\\u202E", "bidirectional"},
            {"\\u2066", "bidirectional"},
            {"\\u200B", "invisible"},
            {"\\u2028", "line separator"},
            {"\\x85", "control"}
        };
        return stringFields()
                .flatMap(field -> Stream.of(characters)
                        .map(c -> Arguments.of(field.get()[0], field.get()[1], field.get()[2], c[0], c[1])));
    }

    @ParameterizedTest(name = "{0} with {4}")
    @MethodSource("unsafeCharactersInEveryStringField")
    void refusesControlAndBidiCharactersInEveryString(
            String field, String template, String valid, String escape, String described) {
        String value = "\"" + valid.substring(0, 1) + escape + valid.substring(1) + "\"";

        Problem problem = registry.onlyProblemOf("time.yaml", entryWith(template, value));

        assertThat(problem.field()).isEqualTo(field);
        assertThat(problem.message())
                .startsWith("contains ")
                .contains(described)
                .contains("at character 2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stringFields")
    void acceptsEveryStringFieldExample(String field, String template, String valid) {
        registry.write("time.yaml", entryWith(template, quoted(valid)));

        assertThat(registry.validate().problems()).isEmpty();
    }

    static Stream<Arguments> nginxSyntaxInFieldsThatReachNginx() {
        String[] syntax = {";", "{", "}", "$", "#", "'", "\"", "\\", " ", "`", "<", ">"};
        return stringFields()
                .filter(f -> !List.of("name", "description", "owner.name", "homepage")
                        .contains(f.get()[0]))
                .flatMap(field ->
                        Stream.of(syntax).map(s -> Arguments.of(field.get()[0], field.get()[1], field.get()[2], s)));
    }

    @ParameterizedTest(name = "{0} with {3}")
    @MethodSource("nginxSyntaxInFieldsThatReachNginx")
    void refusesNginxSyntaxInFieldsThatReachTheGateway(String field, String template, String valid, String syntax) {
        String value = valid.substring(0, valid.length() - 1) + syntax + valid.substring(valid.length() - 1);

        Problem problem = registry.onlyProblemOf("time.yaml", entryWith(template, quoted(value)));

        assertThat(problem.field()).isEqualTo(field);
        assertThat(problem.message()).doesNotStartWith("contains");
    }

    @Test
    void allowsPunctuationInFreeTextWhichNeverReachesNginx() {
        registry.write("time.yaml", with(VALID, "description", quoted("Time; in \"any\" zone {UTC} $0 #1 'ok' \\")));

        assertThat(registry.validate().problems()).isEmpty();
    }

    @Test
    void refusesUnsafeCharactersInUnknownKeysWithoutEchoingThem() {
        registry.write("time.yaml", VALID + "\"x\\u202Ey\": 1\n");

        ValidationReport report = registry.validate();

        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("x\\u202Ey");
            assertThat(p.message()).startsWith("key contains a bidirectional formatting character");
        });
    }

    @Test
    void limitsStringLengths() {
        Problem problem = registry.onlyProblemOf("time.yaml", with(VALID, "name", "x".repeat(101)));

        assertThat(problem.toString())
                .isEqualTo("servers/time.yaml:1:7: name: is 101 characters long; at most 100 are allowed");
    }

    // --- hostile and broken files ---

    @Test
    void reportsMalformedYamlWithAPosition() {
        Problem problem = registry.onlyProblemOf("time.yaml", VALID + "tags: [time\n");

        assertThat(problem.message()).startsWith("invalid YAML: ");
        assertThat(problem.position()).isNotNull();
    }

    @Test
    void reportsAnAliasBombAtItsFirstAnchor() {
        Problem problem = registry.onlyProblemOf(
                "time.yaml", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n");

        assertThat(problem.toString())
                .isEqualTo("servers/time.yaml:1:4: anchors ('&a') are not allowed in server "
                        + "entries; write each value out");
    }

    @Test
    void reportsDeepNesting() {
        Problem problem = registry.onlyProblemOf("time.yaml", VALID + "tags: " + "[".repeat(100) + "]".repeat(100));

        assertThat(problem.message()).contains("nesting is deeper than");
    }

    @Test
    void reportsAHugeFileWithoutReadingIt() {
        registry.write("time.yaml", new byte[10 * 1024 * 1024]);

        assertThat(registry.validate().problems())
                .singleElement()
                .hasToString("servers/time.yaml: file is 10485760 bytes; a server entry may be at most "
                        + SafeYamlReader.MAX_BYTES + " bytes");
    }

    @Test
    void reportsLatin1BytesAtTheirLine() {
        registry.write("time.yaml", "name: Caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        assertThat(registry.validate().problems())
                .singleElement()
                .hasToString(
                        "servers/time.yaml:1:10: file is not valid UTF-8 (byte 0xE9 at offset 9); save it as UTF-8");
    }

    @Test
    void reportsAnEmptyFile() {
        Problem problem = registry.onlyProblemOf("time.yaml", "");

        assertThat(problem.toString())
                .isEqualTo("servers/time.yaml:1:1: file is empty; a server entry needs at "
                        + "least name, path, proxy_pass_url, transport and description");
    }

    @Test
    void reportsAnEmptyDirectory() {
        ValidationReport report = registry.validate();

        assertThat(report.valid()).isFalse();
        assertThat(report.problems())
                .singleElement()
                .hasToString("servers: no server entries (*.yaml, *.yml) "
                        + "found; add one file per server, for example servers/currenttime.yaml");
    }

    @Test
    void ignoresOtherFilesAndHiddenFolders() {
        registry.write("time.yaml", VALID);
        registry.write("README.md", "# not an entry");
        registry.write(".drafts/broken.yaml", "{");

        assertThat(registry.validate().problems()).isEmpty();
    }

    @Test
    void refusesADirectoryThatDoesNotExist() {
        assertThatThrownBy(() -> RegistryFixture.VALIDATOR.validateDirectory(directory.resolve("missing"), "missing"))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void refusesSymbolicLinksWhichCouldReadFilesOutsideTheRepository() throws Exception {
        Path secret = Files.writeString(Files.createTempFile("secret", ".yaml"), "password: hunter2\n");
        Files.createSymbolicLink(directory.resolve("time.yaml"), secret);

        ValidationReport report = registry.validate();

        assertThat(report.problems())
                .singleElement()
                .hasToString(
                        "servers/time.yaml: is a symbolic link; a server entry must be a regular file in the repository");
        assertThat(report.problems().get(0).toString()).doesNotContain("hunter2");
        Files.delete(secret);
    }

    @Test
    void reportsEveryProblemOfEveryFileInOneRunInFileOrder() {
        registry.write("a.yaml", with(with(VALID, "path", "/a"), "transport", "http"));
        registry.write("b.yaml", "name: [\n");
        registry.write("c.yaml", with(with(VALID, "path", "/c"), "enabled", "maybe") + "colour: red\n");
        registry.write("time.yaml", VALID);

        ValidationReport report = registry.validate();

        assertThat(report.problems())
                .extracting(Problem::file, Problem::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("servers/a.yaml", "transport"),
                        org.assertj.core.groups.Tuple.tuple("servers/b.yaml", ""),
                        org.assertj.core.groups.Tuple.tuple("servers/c.yaml", "enabled"),
                        org.assertj.core.groups.Tuple.tuple("servers/c.yaml", "colour"));
        assertThat(report.summary()).isEqualTo("4 problems in 3 of 4 files");
        assertThat(report.entries()).extracting(ServerEntry::path).containsExactly("/time");
    }

    @Test
    void validatesLargeRegistriesInParallelWithTheSameResult() {
        for (int i = 0; i < 200; i++) {
            registry.write("s" + i + ".yaml", with(VALID, "path", "/s" + i));
        }
        registry.write("s7.yaml", with(with(VALID, "path", "/s7"), "transport", "grpc"));

        ValidationReport report = registry.validate();

        assertThat(report.files()).hasSize(200);
        assertThat(report.problems())
                .singleElement()
                .hasToString("servers/s7.yaml:4:12: transport: must be one of streamable-http, sse (got 'grpc')");
    }
}
