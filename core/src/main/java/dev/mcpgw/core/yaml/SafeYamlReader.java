package dev.mcpgw.core.yaml;

import dev.mcpgw.core.text.UnsafeCharacters;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one small YAML document into a JSON tree, defensively: the input is a pull request from anyone.
 *
 * <p>Works on the parser's event stream, so nothing is ever expanded or constructed: anchors, aliases and
 * explicit tags are refused (no billion laughs, no type tricks), duplicate keys are errors, nesting depth and
 * size are bounded, the bytes must be UTF-8, and there is exactly one document. Plain scalars are typed by
 * the YAML 1.2 core schema, so {@code yes} stays a string and {@code enabled: yes} fails the schema clearly.
 */
public final class SafeYamlReader {

    public static final int MAX_BYTES = 64 * 1024;
    public static final int MAX_DEPTH = 16;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ScalarResolver CORE_SCHEMA = new CoreScalarResolver(true);
    private static final LoadSettings SETTINGS = LoadSettings.builder()
            .setCodePointLimit(MAX_BYTES)
            .setParseComments(false)
            .setUseMarks(true)
            .build();

    /** Parses {@code bytes}; never returns a partial tree. */
    public YamlDocument read(byte[] bytes) throws YamlSyntaxException {
        if (bytes.length > MAX_BYTES) {
            throw new YamlSyntaxException(
                    Position.START,
                    "file is " + bytes.length + " bytes; a server entry may be at most " + MAX_BYTES + " bytes");
        }
        String text = decodeUtf8(bytes);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        try {
            return new TreeBuilder().build(new ParserImpl(SETTINGS, new StreamReader(SETTINGS, text)));
        } catch (ReaderException e) {
            int index = text.offsetByCodePoints(0, Math.min(e.getPosition(), text.codePointCount(0, text.length())));
            throw new YamlSyntaxException(
                    positionAfter(text.subSequence(0, index)),
                    "contains " + UnsafeCharacters.describe(e.getCodePoint())
                            + ", which YAML does not allow; remove it");
        } catch (MarkedYamlEngineException e) {
            throw new YamlSyntaxException(position(e.getProblemMark()), "invalid YAML: " + describe(e));
        } catch (YamlEngineException e) {
            throw new YamlSyntaxException(Position.START, "invalid YAML: " + firstLine(e.getMessage()));
        }
    }

    private static String decodeUtf8(byte[] bytes) throws YamlSyntaxException {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            throw new YamlSyntaxException(
                    positionAfter(out.flip()),
                    String.format(
                            "file is not valid UTF-8 (byte 0x%02X at offset %d); save it as UTF-8",
                            bytes[offset], offset));
        }
        return out.flip().toString();
    }

    private static Position positionAfter(CharSequence decoded) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < decoded.length(); i++) {
            if (decoded.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Position(line, column);
    }

    private static String describe(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "syntax error" : e.getProblem();
        String context = e.getContext();
        String text = context == null ? problem : problem + " (" + context + ")";
        return firstLine(text.replace('\n', ' ').replaceAll("\\s+", " ").trim());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        int newline = message.indexOf('\n');
        return UnsafeCharacters.escape(newline < 0 ? message : message.substring(0, newline));
    }

    static Position position(Optional<Mark> mark) {
        return mark.map(m -> new Position(m.getLine() + 1, m.getColumn() + 1)).orElse(Position.START);
    }

    /** One document's worth of state; a new builder per read keeps the reader thread-safe. */
    private static final class TreeBuilder {

        private final Map<String, Position> valuePositions = new HashMap<>();
        private final Map<String, Position> keyPositions = new HashMap<>();
        private final Deque<Frame> stack = new ArrayDeque<>();
        private JsonNode root;
        private int documents;

        /** An open mapping or sequence, and for a mapping the key waiting for its value. */
        private static final class Frame {
            final JsonNode node;
            final String pointer;
            final Map<String, Position> keysSeen = new HashMap<>();
            String pendingKey;

            Frame(JsonNode node, String pointer) {
                this.node = node;
                this.pointer = pointer;
            }

            boolean expectsKey() {
                return node.isObject() && pendingKey == null;
            }
        }

        YamlDocument build(ParserImpl parser) throws YamlSyntaxException {
            while (parser.hasNext()) {
                Event event = parser.next();
                switch (event.getEventId()) {
                    case DocumentStart -> {
                        if (++documents > 1) {
                            throw new YamlSyntaxException(
                                    position(event.getStartMark()),
                                    "a file holds exactly one server entry; remove the second document ('---')");
                        }
                    }
                    case Alias ->
                        throw new YamlSyntaxException(
                                position(event.getStartMark()),
                                "aliases ('*"
                                        + ((AliasEvent) event).getAlias().getValue()
                                        + "') are not allowed in server entries; write the value out");
                    case Scalar -> onScalar((ScalarEvent) event);
                    case MappingStart -> onCollectionStart((CollectionStartEvent) event, NODES.objectNode());
                    case SequenceStart -> onCollectionStart((CollectionStartEvent) event, NODES.arrayNode());
                    case MappingEnd, SequenceEnd -> stack.pop();
                    default -> {}
                }
            }
            if (root == null || root.isNull()) {
                throw new YamlSyntaxException(
                        Position.START,
                        "file is empty; a server entry needs at least "
                                + "name, path, proxy_pass_url, transport and description");
            }
            if (!root.isObject()) {
                throw new YamlSyntaxException(
                        valuePositions.get(""),
                        "a server entry must be a mapping of keys " + "to values (name: ..., path: ...), not "
                                + (root.isArray() ? "a list" : "a single value"));
            }
            return new YamlDocument(root, valuePositions, keyPositions);
        }

        private void onCollectionStart(CollectionStartEvent event, JsonNode node) throws YamlSyntaxException {
            refuseAnchorAndTag(event, event.getTag());
            Frame parent = stack.peek();
            if (parent != null && parent.expectsKey()) {
                throw new YamlSyntaxException(
                        position(event.getStartMark()), "keys must be plain words, not lists or mappings");
            }
            if (stack.size() >= MAX_DEPTH) {
                throw new YamlSyntaxException(
                        position(event.getStartMark()),
                        "nesting is deeper than " + MAX_DEPTH + " levels; a server entry is never that deep");
            }
            String pointer = attach(node, position(event.getStartMark()));
            stack.push(new Frame(node, pointer));
        }

        private void onScalar(ScalarEvent event) throws YamlSyntaxException {
            refuseAnchorAndTag(event, event.getTag());
            Position at = position(event.getStartMark());
            Frame parent = stack.peek();
            if (parent != null && parent.expectsKey()) {
                String key = event.getValue();
                Position first = parent.keysSeen.putIfAbsent(key, at);
                if (first != null) {
                    throw new YamlSyntaxException(
                            at,
                            "duplicate key " + UnsafeCharacters.quote(key) + " (first set at line " + first.line()
                                    + "); keep only one");
                }
                parent.pendingKey = key;
                keyPositions.put(JsonPointers.child(parent.pointer, key), at);
                return;
            }
            attach(typed(event), at);
        }

        /** Puts {@code node} where the parser is (root, mapping value or list item); returns its pointer. */
        private String attach(JsonNode node, Position at) {
            Frame parent = stack.peek();
            String pointer;
            if (parent == null) {
                root = node;
                pointer = "";
            } else if (parent.node instanceof ObjectNode object) {
                pointer = JsonPointers.child(parent.pointer, parent.pendingKey);
                object.set(parent.pendingKey, node);
                parent.pendingKey = null;
            } else {
                ArrayNode array = (ArrayNode) parent.node;
                pointer = JsonPointers.child(parent.pointer, array.size());
                array.add(node);
            }
            valuePositions.put(pointer, at);
            return pointer;
        }

        private static void refuseAnchorAndTag(NodeEvent event, Optional<String> tag) throws YamlSyntaxException {
            if (event.getAnchor().isPresent()) {
                throw new YamlSyntaxException(
                        position(event.getStartMark()),
                        "anchors ('&"
                                + event.getAnchor().get().getValue() + "') are not allowed in server entries; "
                                + "write each value out");
            }
            if (tag.isPresent()) {
                throw new YamlSyntaxException(
                        position(event.getStartMark()),
                        "YAML tags ("
                                + UnsafeCharacters.quote(tag.get()) + ") are not allowed in server entries; "
                                + "quote the value if it is meant as text");
            }
        }

        private static JsonNode typed(ScalarEvent event) {
            String value = event.getValue();
            if (!event.isPlain()) {
                return NODES.stringNode(value);
            }
            Tag tag = CORE_SCHEMA.resolve(value, true);
            if (Tag.NULL.equals(tag)) {
                return NODES.nullNode();
            }
            if (Tag.BOOL.equals(tag)) {
                return NODES.booleanNode(value.equalsIgnoreCase("true"));
            }
            if (Tag.INT.equals(tag)) {
                return integer(value);
            }
            if (Tag.FLOAT.equals(tag)) {
                try {
                    return NODES.numberNode(Double.parseDouble(value));
                } catch (NumberFormatException specialFloat) {
                    return NODES.stringNode(value); // .inf and .nan have no JSON form
                }
            }
            return NODES.stringNode(value);
        }

        private static JsonNode integer(String value) {
            String digits = value.startsWith("+") ? value.substring(1) : value;
            BigInteger number;
            if (digits.startsWith("0x")) {
                number = new BigInteger(digits.substring(2), 16);
            } else if (digits.startsWith("0o")) {
                number = new BigInteger(digits.substring(2), 8);
            } else {
                number = new BigInteger(digits);
            }
            return number.bitLength() < 64 ? NODES.numberNode(number.longValue()) : NODES.numberNode(number);
        }
    }
}
