package dev.mcpgw.core.yaml;

/** A 1-based line and column in a source file, as editors and GitHub annotations count them. */
public record Position(int line, int column) {

    public static final Position START = new Position(1, 1);

    public Position {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
        }
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
