package dev.mcpgw.core.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

class EntryYamlEditorTest {

    private static final JsonMapper JSON = JsonMapper.shared();
    private final EntryYamlEditor editor = new EntryYamlEditor();
    private final SafeYamlReader reader = new SafeYamlReader();

    private static final String COMMENTED = """
            # Current time, owned by the platform team.
            name: Current Time
            path: /currenttime
            proxy_pass_url: http://127.0.0.1:8000
            transport: streamable-http
            description: >
              Tells the time
              in any timezone.

            # keep these sorted
            tags:
              - time
              - utility
            """;

    @Test
    void togglingKeepsEveryCommentAndLine() throws Exception {
        String out = update(COMMENTED, Map.of("enabled", BooleanNode.FALSE));
        assertEquals(COMMENTED + "enabled: false\n", out);
        String back = update(out, Map.of("enabled", BooleanNode.TRUE));
        assertEquals(COMMENTED + "enabled: true\n", back);
    }

    @Test
    void replacesABlockValueAndKeepsTheCommentAboveTheNextKey() throws Exception {
        String out = update(COMMENTED, Map.of("description", StringNode.valueOf("Tells the time: anywhere")));
        assertEquals(
                COMMENTED.replace(">\n  Tells the time\n  in any timezone.\n", "\"Tells the time: anywhere\"\n"), out);
        JsonNode tags = JSON.readTree("[\"clock\", \"time zones\"]");
        String retagged = update(COMMENTED, Map.of("tags", tags));
        assertEquals(
                tags,
                reader.read(retagged.getBytes(StandardCharsets.UTF_8)).root().get("tags"));
        assertEquals(true, retagged.contains("# keep these sorted\ntags: [clock, time zones]\n"));
    }

    @Test
    void removesAKey() throws Exception {
        Map<String, JsonNode> changes = new HashMap<>();
        changes.put("tags", null);
        String out = update(COMMENTED, changes);
        assertEquals(
                false, reader.read(out.getBytes(StandardCharsets.UTF_8)).root().has("tags"));
        assertEquals(true, out.startsWith("# Current time, owned by the platform team.\nname: Current Time\n"));
    }

    @Test
    void valuesThatYamlWouldMisreadAreQuoted() throws Exception {
        for (String tricky : new String[] {
            "yes",
            "no",
            "null",
            "1.0",
            "0x1F",
            "a: b",
            "# not a comment",
            "[x]",
            "{x}",
            "-",
            "trailing ",
            "it's",
            "say \"hi\"",
            "back\\slash",
            "ümlaut",
            "日本語",
            "on",
            "~",
            "*alias",
            "&anchor",
            "!tag",
            "%directive",
            "@at",
            "`tick",
            "a, b",
            "x #y",
            ""
        }) {
            String out = update(COMMENTED, Map.of("description", StringNode.valueOf(tricky)));
            assertEquals(
                    tricky,
                    reader.read(out.getBytes(StandardCharsets.UTF_8))
                            .root()
                            .get("description")
                            .asString(),
                    "round trip of " + tricky);
        }
    }

    @Test
    void anUnusualLayoutIsWrittenAfreshWithTheSameMeaning() throws Exception {
        String flow = "# header\n{name: A, path: /a, proxy_pass_url: 'http://h:1', transport: sse, description: d}\n";
        String out = update(flow, Map.of("enabled", BooleanNode.FALSE));
        ObjectNode expected = (ObjectNode)
                reader.read(flow.getBytes(StandardCharsets.UTF_8)).root().deepCopy();
        expected.put("enabled", false);
        assertEquals(expected, reader.read(out.getBytes(StandardCharsets.UTF_8)).root());
        assertEquals(true, out.startsWith("# header\nname: A\npath: /a\n"));
    }

    @Test
    void createWritesKeysInTheReadmeOrder() throws Exception {
        ObjectNode entry = (ObjectNode) JSON.readTree("""
                {"tags":["a"],"description":"D","name":"N","enabled":false,"path":"/n",
                 "transport":"sse","proxy_pass_url":"http://10.0.0.1:9000","owner":{"name":"Team X","email":"x@example.com"}}
                """);
        String out = new String(editor.create(entry, "Registered by alice"), StandardCharsets.UTF_8);
        assertEquals("""
                # Registered by alice
                name: N
                path: /n
                proxy_pass_url: "http://10.0.0.1:9000"
                transport: sse
                description: D
                enabled: false
                tags: [a]
                owner: {name: Team X, email: x@example.com}
                """, out);
        assertEquals(entry, reader.read(out.getBytes(StandardCharsets.UTF_8)).root());
    }

    @Test
    void anUnreadableOriginalIsAnError() {
        assertThrows(YamlSyntaxException.class, () -> update("name: [unclosed\n", Map.of("enabled", BooleanNode.TRUE)));
        assertThrows(YamlSyntaxException.class, () -> update("- a list\n", Map.of("enabled", BooleanNode.TRUE)));
    }

    private String update(String original, Map<String, JsonNode> changes) throws YamlSyntaxException {
        return new String(editor.update(original.getBytes(StandardCharsets.UTF_8), changes), StandardCharsets.UTF_8);
    }
}
