package dev.mcpgw.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The schema is the documentation and the first line of defence; these walk it to keep it so. */
class YamlSchemaTest {

    private final JsonNode schema = YamlSchema.load().document();

    @Test
    void isDraft202012() {
        assertThat(schema.path("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    @Test
    void requiresTheContractFields() {
        assertThat(schema.path("required").values())
                .extracting(JsonNode::asString)
                .containsExactlyInAnyOrder("name", "path", "proxy_pass_url", "transport", "description");
    }

    @Test
    void documentsEveryProperty() {
        List<String> undocumented = new ArrayList<>();
        walkProperties(schema, "", (pointer, property) -> {
            if (property.path("description").asString("").isBlank()) {
                undocumented.add(pointer);
            }
        });
        assertThat(undocumented).isEmpty();
    }

    @Test
    void closesEveryObjectSoTyposAreErrors() {
        List<String> open = new ArrayList<>();
        walk(schema, "", (pointer, node) -> {
            if (node.path("type").asString("").equals("object")
                    && !node.path("additionalProperties").isBoolean()) {
                open.add(pointer);
            }
        });
        assertThat(open).isEmpty();
    }

    @Test
    void boundsEveryStringAndConstrainsItWithAPatternOrAnEnum() {
        List<String> unconstrained = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        walk(schema, "", (pointer, node) -> {
            JsonNode effective = resolve(node);
            if (!effective.path("type").asString("").equals("string") || pointer.startsWith("/$defs")) {
                return;
            }
            checked.add(pointer);
            boolean bounded = node.has("maxLength") || effective.has("maxLength") || effective.has("enum");
            boolean constrained = effective.has("pattern") || effective.has("enum");
            if (!bounded || !constrained) {
                unconstrained.add(pointer);
            }
        });
        assertThat(checked)
                .as("string fields found")
                .contains(
                        "/properties/path",
                        "/properties/upstream_headers/items/properties/value_from/properties/env",
                        "/properties/tags/items")
                .hasSizeGreaterThanOrEqualTo(16);
        assertThat(unconstrained).isEmpty();
    }

    @Test
    void anchorsEveryPatternAtBothEnds() {
        List<String> unanchored = new ArrayList<>();
        walk(schema, "", (pointer, node) -> {
            String pattern = node.path("pattern").asString("");
            if (!pattern.isEmpty() && !(pattern.startsWith("^") && pattern.endsWith("$"))) {
                unanchored.add(pointer);
            }
        });
        assertThat(unanchored).isEmpty();
    }

    @Test
    void explainsEveryPatternInWords() {
        List<String> unexplained = new ArrayList<>();
        walk(schema, "", (pointer, node) -> {
            if (node.has("pattern") && !node.has("patternErrorMessage")) {
                unexplained.add(pointer);
            }
        });
        assertThat(unexplained).isEmpty();
    }

    @Test
    void findsTheClosestFieldNameForTypos() {
        assertThat(YamlSchema.editDistance("descripton", "description")).isEqualTo(1);
        assertThat(YamlSchema.editDistance("proxy_url", "proxy_pass_url")).isEqualTo(5);
    }

    private JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asString("");
        return ref.startsWith("#") ? schema.at(ref.substring(1)) : node;
    }

    private interface Visitor {
        void visit(String pointer, JsonNode node);
    }

    private static void walk(JsonNode node, String pointer, Visitor visitor) {
        if (!node.isObject()) {
            return;
        }
        visitor.visit(pointer, node);
        for (Map.Entry<String, JsonNode> child : node.properties()) {
            if (child.getKey().equals("properties") || child.getKey().equals("$defs")) {
                for (Map.Entry<String, JsonNode> named : child.getValue().properties()) {
                    walk(named.getValue(), pointer + "/" + child.getKey() + "/" + named.getKey(), visitor);
                }
            } else if (child.getKey().equals("items")) {
                walk(child.getValue(), pointer + "/items", visitor);
            }
        }
    }

    private static void walkProperties(JsonNode node, String pointer, Visitor visitor) {
        walk(node, pointer, (at, schemaNode) -> {
            if (at.contains("/properties/") && at.lastIndexOf("/properties/") > at.lastIndexOf("/items")) {
                visitor.visit(at, schemaNode);
            }
        });
    }
}
