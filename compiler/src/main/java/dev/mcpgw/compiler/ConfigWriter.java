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
