package dev.mcpgw.compiler;

/**
 * Writes nginx.conf text with consistent indentation. Directive text passed here is written by this
 * module's code; values from entries or options only enter through {@link NginxQuote#quote}.
 */
final class ConfigWriter {

    private static final String INDENT = "    ";

    private final StringBuilder out;
    private int depth;

    ConfigWriter(int capacity) {
        this.out = new StringBuilder(capacity);
    }

    /** {@code text;} on its own line. */
    ConfigWriter line(String text) {
        indent();
        out.append(text).append(";\n");
        return this;
    }

    /** A comment written by us; user data never goes into comments. */
    ConfigWriter comment(String text) {
        indent();
        out.append("# ").append(text).append('\n');
        return this;
    }

    ConfigWriter open(String header) {
        indent();
        out.append(header).append(" {\n");
        depth++;
        return this;
    }

    ConfigWriter close() {
        depth--;
        indent();
        out.append("}\n");
        return this;
    }

    /** A Lua block ({@code *_by_lua_block}) holding our own code, one line or many. */
    ConfigWriter lua(String directive, String code) {
        if (!code.contains("\n")) {
            indent();
            out.append(directive).append(" { ").append(code).append(" }\n");
            return this;
        }
        open(directive);
        for (String line : code.strip().split("\n", -1)) {
            if (!line.isEmpty()) {
                indent();
                out.append(line);
            }
            out.append('\n');
        }
        return close();
    }

    ConfigWriter blank() {
        out.append('\n');
        return this;
    }

    private void indent() {
        for (int i = 0; i < depth; i++) {
            out.append(INDENT);
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
