package dev.mcpgw.core.validation;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;
import dev.mcpgw.core.text.UnsafeCharacters;
import dev.mcpgw.core.yaml.JsonPointers;
import dev.mcpgw.core.yaml.YamlDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON Schema for one of the registry's YAML files - {@code schema/mcp-server.schema.json}, the single
 * definition of a valid entry, or {@code schema/access.schema.json} for {@code access.yaml} - and the translation
 * of its findings into messages that say what is wrong and what is allowed.
 */
public final class YamlSchema {

    /** Classpath locations of the schemas; the build copies them from {@code schema/} at the repository root. */
    public static final String ENTRY = "/schema/mcp-server.schema.json";

    public static final String ACCESS = "/schema/access.schema.json";

    private final JsonNode schemaDocument;
    private final Schema schema;

    private YamlSchema(JsonNode schemaDocument) {
        this.schemaDocument = schemaDocument;
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .build();
        // patternErrorMessage is VS Code's keyword for a readable pattern message; we use it too.
        Dialect dialect = Dialect.builder(Dialects.getDraft202012())
                .keyword(new NonValidationKeyword("patternErrorMessage"))
                .build();
        this.schema = SchemaRegistry.withDefaultDialect(dialect, b -> b.schemaRegistryConfig(config))
                .getSchema(schemaDocument);
    }

    /** The server entry schema. */
    public static YamlSchema load() {
        return load(ENTRY);
    }

    public static YamlSchema load(String resource) {
        try (InputStream in = YamlSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath; rebuild with mvn package");
            }
            return new YamlSchema(JsonMapper.shared().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema as JSON, for tools that document or walk it. */
    public JsonNode document() {
        return schemaDocument;
    }

    /**
     * Checks a document against the schema. Values whose pointers are in {@code flagged} (already reported,
     * for example for unsafe characters) are not reported again; the pointers of the values this check
     * reports (for a missing field, the field's own pointer) are added to it.
     */
    public List<Problem> check(String file, YamlDocument document, Set<String> flagged) {
        Map<String, Error> mostTellingByPointer = new LinkedHashMap<>();
        for (Error error : schema.validate(document.root())) {
            String pointer = JsonPointers.of(elements(error.getInstanceLocation()));
            if (error.getProperty() != null
                    && (error.getKeyword().equals("required")
                            || error.getKeyword().equals("additionalProperties"))) {
                pointer = JsonPointers.child(pointer, error.getProperty());
            }
            if (!flagged.contains(pointer)) {
                mostTellingByPointer.merge(pointer, error, (a, b) -> rank(b) < rank(a) ? b : a);
            }
        }
        List<Problem> problems = new ArrayList<>();
        mostTellingByPointer.forEach((pointer, error) -> {
            flagged.add(pointer);
            problems.add(translate(file, document, pointer, error));
        });
        return problems;
    }

    /** One problem per value: the keyword whose message explains most (a pattern says more than a length). */
    private static int rank(Error error) {
        int rank = KEYWORDS_BY_HELPFULNESS.indexOf(error.getKeyword());
        return rank < 0 ? KEYWORDS_BY_HELPFULNESS.size() : rank;
    }

    private static final List<String> KEYWORDS_BY_HELPFULNESS =
            List.of("required", "additionalProperties", "type", "enum", "pattern");

    private Problem translate(String file, YamlDocument document, String pointer, Error error) {
        String keyword = error.getKeyword();
        JsonNode rule = subschemaOf(error);
        String field = JsonPointers.toFieldName(pointer);
        return switch (keyword) {
            case "required" ->
                new Problem(
                        file,
                        document.positionOf(JsonPointers.parent(pointer)),
                        field,
                        "is required but missing" + hint(rule.path("properties").path(error.getProperty())));
            case "additionalProperties" ->
                new Problem(
                        file,
                        document.positionOfKey(pointer),
                        field,
                        unknownField(
                                error.getProperty(), rule.path("properties").propertyNames()));
            case "propertyNames" -> {
                String name = badPropertyName(error);
                JsonNode names = rule.has("propertyNames") ? rule.path("propertyNames") : rule;
                yield new Problem(
                        file,
                        name == null
                                ? document.positionOf(pointer)
                                : document.positionOfKey(JsonPointers.child(pointer, name)),
                        field,
                        (name == null ? "" : "'" + UnsafeCharacters.escape(name) + "': ")
                                + names.path("patternErrorMessage").asString("is not an allowed name"));
            }
            default ->
                new Problem(
                        file,
                        document.positionOf(pointer),
                        field,
                        message(keyword, rule, document.root().at(pointer), error));
        };
    }

    private static String message(String keyword, JsonNode rule, JsonNode value, Error error) {
        return switch (keyword) {
            case "type" ->
                "must be " + expected(rule.path("type")) + ", not " + actual(value)
                        + (rule.path("type").asString("").equals("string") && value.isNumber()
                                ? "; quote it to keep it as text"
                                : "");
            case "enum" ->
                "must be one of "
                        + rule.path("enum").values().stream()
                                .map(JsonNode::asString)
                                .collect(Collectors.joining(", ")) + " (got " + shown(value) + ")";
            case "pattern" ->
                rule.path("patternErrorMessage")
                                .asString("must match " + rule.path("pattern").asString()) + " (got " + shown(value)
                        + ")";
            case "minLength" ->
                rule.path("minLength").asInt() == 1
                        ? "must not be empty"
                        : "must be at least " + rule.path("minLength").asInt() + " characters";
            case "maxLength" ->
                "is " + value.asString().codePointCount(0, value.asString().length()) + " characters long; at most "
                        + rule.path("maxLength").asInt() + " are allowed";
            case "minItems" -> "must list at least " + rule.path("minItems").asInt() + " item(s)";
            case "maxItems" ->
                "lists " + value.size() + " items; at most "
                        + rule.path("maxItems").asInt() + " are allowed";
            case "uniqueItems" -> "lists the same value more than once; each may appear once";
            case "minProperties", "maxProperties" ->
                "must name exactly one of "
                        + String.join(", ", rule.path("properties").propertyNames());
            case "oneOf", "anyOf" ->
                rule.has("description")
                        ? "must be " + rule.path("description").asString()
                        : UnsafeCharacters.escape(error.getMessage());
            default -> UnsafeCharacters.escape(error.getMessage());
        };
    }

    /** The property name a propertyNames error is about, from the error or its message. */
    private static String badPropertyName(Error error) {
        if (error.getProperty() != null) {
            return error.getProperty();
        }
        java.util.regex.Matcher quoted =
                java.util.regex.Pattern.compile("'([^']*)'").matcher(error.getMessage());
        return quoted.find() ? quoted.group(1) : null;
    }

    private static String unknownField(String name, Collection<String> allowed) {
        String closest = allowed.stream()
                .min(Comparator.comparingInt(candidate -> editDistance(name, candidate)))
                .filter(candidate -> editDistance(name, candidate) <= Math.max(2, name.length() / 3))
                .map(candidate -> "did you mean '" + candidate + "'? ")
                .orElse("");
        return "unknown field; " + closest + "allowed here: " + String.join(", ", allowed);
    }

    /** The schema object holding the keyword that failed, found through the error's schema location. */
    private JsonNode subschemaOf(Error error) {
        List<Object> path = elements(error.getSchemaLocation().getFragment());
        return schemaDocument.at(JsonPointers.of(path.subList(0, Math.max(0, path.size() - 1))));
    }

    private static List<Object> elements(NodePath path) {
        List<Object> elements = new ArrayList<>(path.getNameCount());
        for (int i = 0; i < path.getNameCount(); i++) {
            elements.add(path.getElement(i));
        }
        return elements;
    }

    private static String hint(JsonNode property) {
        String description = property.path("description").asString("");
        int sentenceEnd = description.indexOf(". ");
        String first = sentenceEnd < 0 ? description : description.substring(0, sentenceEnd + 1);
        return first.isEmpty() ? "" : " (" + first + ")";
    }

    private static String expected(JsonNode type) {
        return switch (type.asString("")) {
            case "string" -> "text";
            case "boolean" -> "true or false";
            case "array" -> "a list";
            case "object" -> "a mapping of keys to values";
            case "integer" -> "a whole number";
            case "number" -> "a number";
            default -> type.toString();
        };
    }

    private static String actual(JsonNode value) {
        if (value.isNull() || value.isMissingNode()) {
            return "empty";
        }
        if (value.isBoolean()) {
            return value.asBoolean() + "";
        }
        if (value.isNumber()) {
            return "the number " + value.asString();
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        return "text " + shown(value);
    }

    private static String shown(JsonNode value) {
        return value.isString() ? UnsafeCharacters.quote(value.asString()) : UnsafeCharacters.escape(value.toString());
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
