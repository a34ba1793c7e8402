package dev.mcpgw.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model's constructors are the second layer behind the schema: code that builds entries without YAML
 * (the runtime's register form, tests) cannot create values that would be unsafe in nginx.conf.
 */
class ModelInvariantsTest {

    @ParameterizedTest
    @ValueSource(strings = {"time\n", "time;", "ti me", "Time", "", "-time", "a/b", "time$x", "api", "ws"})
    void refusesIdsOutsideTheAlphabetEvenWithATrailingNewline(String id) {
        assertThatThrownBy(() -> new ServerId(id)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void derivesThePathFromTheId() {
        assertThat(ServerId.fromPath("/currenttime").path()).isEqualTo("/currenttime");
    }

    @Test
    void parsesUpstreamUrlsIntoCanonicalParts() {
        assertThat(UpstreamUrl.parse("https://mcp.example.com/base/"))
                .isEqualTo(new UpstreamUrl("https", "mcp.example.com", 443, "/base"));
        assertThat(UpstreamUrl.parse("http://[::1]:9000")).isEqualTo(new UpstreamUrl("http", "[::1]", 9000, ""));
        assertThat(UpstreamUrl.parse("http://127.0.0.1:8001").toString()).isEqualTo("http://127.0.0.1:8001");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://a\n",
                "http://a/b\nc",
                "http://a/$host",
                "http://a/b;c",
                "http://a/'x'",
                "http://u@a",
                "http://a?x",
                "http://a#x",
                "file:///x",
                "http://a/%zz",
                "http://a/%0D%0Ax",
                "http://a/%1b"
            })
    void refuses_unsafe_upstream_urls(String url) {
        assertThatThrownBy(() -> UpstreamUrl.parse(url)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesUnsafeHostsBuiltWithoutParsing() {
        assertThatThrownBy(() -> new UpstreamUrl("http", "a;b", 80, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostPort("a\n", 80)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostPort("a", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesUnsafeHeaderParts() {
        SecretReference key = new SecretReference.Env("KEY");
        assertThatThrownBy(() -> new UpstreamHeader("X-Key\r\nX-Evil", key, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UpstreamHeader("X-Key", key, "Bearer $x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecretReference.Env("KEY;")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecretReference.File("/run/../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new UpstreamHeader("X-Key", key, null).prefix()).isEmpty();
    }

    @Test
    void refusesUnsafeTextAndTagsInEntries() {
        UpstreamUrl url = UpstreamUrl.parse("http://127.0.0.1:8001");
        ServerId id = new ServerId("time");
        assertThatThrownBy(() -> entry(id, "Time\u202E", List.of(), url)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> entry(id, "Time", List.of("a;b"), url)).isInstanceOf(IllegalArgumentException.class);
        assertThat(entry(id, "Time", List.of("clock"), url).path()).isEqualTo("/time");
    }

    private static ServerEntry entry(ServerId id, String name, List<String> tags, UpstreamUrl url) {
        return ServerEntry.builder(id, name, "Tells the time.", url, Transport.STREAMABLE_HTTP)
                .tags(tags)
                .build();
    }
}
