package dev.mcpgw.core.yaml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeYamlReaderTest {

    private final SafeYamlReader reader = new SafeYamlReader();

    private YamlDocument read(String yaml) throws YamlSyntaxException {
        return reader.read(yaml.getBytes(UTF_8));
    }

    private YamlSyntaxException failure(byte[] bytes) {
        try {
            reader.read(bytes);
        } catch (YamlSyntaxException e) {
            return e;
        }
        throw new AssertionError("expected the reader to refuse the input");
    }

    private YamlSyntaxException failure(String yaml) {
        return failure(yaml.getBytes(UTF_8));
    }

    @Test
    void recordsPositionsOfValuesAndKeys() throws Exception {
        YamlDocument document = read("name: Time\ntags:\n  - a\n  - b\nowner:\n  email: x@example.com\n");

        assertThat(document.positionOf("/name")).isEqualTo(new Position(1, 7));
        assertThat(document.positionOf("/tags/1")).isEqualTo(new Position(4, 5));
        assertThat(document.positionOfKey("/owner/email")).isEqualTo(new Position(6, 3));
        assertThat(document.positionOf("/owner/missing")).isEqualTo(new Position(6, 3));
    }

    @Test
    void typesPlainScalarsByTheYaml12CoreSchema() throws Exception {
        YamlDocument document = read("a: true\nb: yes\nc: 0x1F\nd: 1.5\ne: ~\nf: '42'\ng: on\n");

        assertThat(document.root().get("a").isBoolean()).isTrue();
        assertThat(document.root().get("b").isString())
                .as("'yes' is text in YAML 1.2")
                .isTrue();
        assertThat(document.root().get("c").asLong()).isEqualTo(31);
        assertThat(document.root().get("d").isDouble()).isTrue();
        assertThat(document.root().get("e").isNull()).isTrue();
        assertThat(document.root().get("f").isString()).isTrue();
        assertThat(document.root().get("g").asString()).isEqualTo("on");
    }

    @Test
    void acceptsAUtf8ByteOrderMark() throws Exception {
        assertThat(read("\uFEFFname: x\n").root().get("name").asString()).isEqualTo("x");
    }

    @Test
    void reportsMalformedYamlWithItsPosition() {
        YamlSyntaxException e = failure("name: Time\npath: [unclosed\ntransport: sse\n");

        assertThat(e.getMessage()).startsWith("invalid YAML: ");
        assertThat(e.position().line()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void reportsBadIndentationAtTheOffendingLine() {
        YamlSyntaxException e = failure("name: Time\n  path: /x\n");

        assertThat(e.getMessage()).startsWith("invalid YAML: ");
        assertThat(e.position().line()).isEqualTo(2);
    }

    @Test
    void refusesDuplicateKeysNamingTheFirst() {
        YamlSyntaxException e = failure("name: a\npath: /a\nname: b\n");

        assertThat(e.position()).isEqualTo(new Position(3, 1));
        assertThat(e.getMessage()).isEqualTo("duplicate key 'name' (first set at line 1); keep only one");
    }

    @Test
    void refusesDuplicateKeysInNestedMappings() {
        assertThat(failure("owner:\n  name: a\n  name: b\n").position()).isEqualTo(new Position(3, 3));
    }

    @Test
    void refusesAnchors() {
        YamlSyntaxException e = failure("name: &n Time\n");

        assertThat(e.position()).isEqualTo(new Position(1, 7));
        assertThat(e.getMessage()).contains("anchors ('&n') are not allowed");
    }

    @Test
    void refusesAliases() {
        YamlSyntaxException e = failure("a: x\nb: *x\n");

        assertThat(e.getMessage()).contains("aliases ('*x') are not allowed");
    }

    @Test
    void refusesABillionLaughsAtItsFirstAnchorWithoutExpandingAnything() {
        StringBuilder bomb =
                new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            String previous = "*" + (char) (c - 1);
            bomb.append(c)
                    .append(": &")
                    .append(c)
                    .append(" [")
                    .append(String.join(",", java.util.Collections.nCopies(9, previous)))
                    .append("]\n");
        }
        YamlSyntaxException e = failure(bomb.toString());

        assertThat(e.position()).isEqualTo(new Position(1, 4));
        assertThat(e.getMessage()).contains("anchors");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "name: !!python/object:os.system x\n",
                "name: !custom x\n",
                "tags: !!set {a, b}\n",
                "name: !!str x\n",
                "owner: !<tag:yaml.org,2002:map> {name: x}\n"
            })
    void refuses_explicit_tags(String yaml) {
        assertThat(failure(yaml).getMessage()).contains("YAML tags").contains("not allowed");
    }

    @Test
    void refusesASecondDocument() {
        YamlSyntaxException e = failure("name: a\n---\nname: b\n");

        assertThat(e.position().line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("exactly one server entry");
    }

    @Test
    void boundsNestingDepth() {
        String deep = "a: " + "[".repeat(SafeYamlReader.MAX_DEPTH) + "]".repeat(SafeYamlReader.MAX_DEPTH) + "\n";

        assertThat(failure(deep).getMessage()).contains("nesting is deeper than " + SafeYamlReader.MAX_DEPTH);
    }

    @Test
    void boundsNestingDepthEvenForAbsurdInputWithoutOverflowingTheStack() {
        String deep = "a: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n";

        assertThat(failure(deep).getMessage()).contains("nesting is deeper");
    }

    @Test
    void refusesFilesOverTheSizeLimitBeforeParsing() {
        byte[] huge = ("description: " + "x".repeat(SafeYamlReader.MAX_BYTES) + "\n").getBytes(UTF_8);

        YamlSyntaxException e = failure(huge);

        assertThat(e.position()).isEqualTo(Position.START);
        assertThat(e.getMessage()).contains("at most " + SafeYamlReader.MAX_BYTES + " bytes");
    }

    @Test
    void refusesBytesThatAreNotUtf8WithTheirOffsetAndLine() {
        byte[] latin1 = "name: ok\ndescription: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        YamlSyntaxException e = failure(latin1);

        assertThat(e.getMessage()).isEqualTo("file is not valid UTF-8 (byte 0xE9 at offset 25); save it as UTF-8");
        assertThat(e.position()).isEqualTo(new Position(2, 17));
    }

    @Test
    void refusesUtf16() {
        byte[] utf16 = "name: x\n".getBytes(java.nio.charset.StandardCharsets.UTF_16);

        assertThat(failure(utf16).getMessage()).contains("not valid UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "# only a comment\n", "---\n", "~\n"})
    void reportsAnEmptyFile(String yaml) {
        YamlSyntaxException e = failure(yaml);

        assertThat(e.getMessage()).startsWith("file is empty");
        assertThat(e.position()).isEqualTo(Position.START);
    }

    @ParameterizedTest
    @ValueSource(strings = {"- a\n- b\n", "just text\n", "42\n"})
    void requiresAMappingAtTheTop(String yaml) {
        assertThat(failure(yaml).getMessage()).startsWith("a server entry must be a mapping");
    }

    @Test
    void reportsRawControlCharactersAtTheirPosition() {
        YamlSyntaxException e = failure("name: a\ndescription: x\u0007y\n");

        assertThat(e.position()).isEqualTo(new Position(2, 15));
        assertThat(e.getMessage())
                .isEqualTo("contains a control character (U+0007), which YAML does not allow; remove it");
    }

    @Test
    void refusesComplexKeys() {
        assertThat(failure("? [a, b]\n: c\n").getMessage()).contains("keys must be plain words");
    }

    @Test
    void escapesControlCharactersInItsOwnMessages() {
        YamlSyntaxException e = failure("\"na\\x1Bme\": a\n\"na\\x1Bme\": b\n");

        assertThat(e.getMessage()).contains("'na\\u001Bme'").doesNotContain("\u001B");
    }
}
