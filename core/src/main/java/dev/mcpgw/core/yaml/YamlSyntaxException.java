package dev.mcpgw.core.yaml;

/** The file is not acceptable YAML; the message is written for the person who edits the file. */
public final class YamlSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Position position;

    public YamlSyntaxException(Position position, String message) {
        super(message);
        this.position = position;
    }

    public Position position() {
        return position;
    }
}
