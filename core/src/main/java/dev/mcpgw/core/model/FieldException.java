package dev.mcpgw.core.model;

/** A rule of the model broken by one field of an entry, named as in the YAML ({@code replicas}). */
public final class FieldException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public FieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
