package dev.mcpgw.core.model;

/** Who runs a server; {@code url} may be null. */
public record Owner(String name, String email, String url) {

    public Owner {
        Syntax.requireText(name, "owner name", 100);
        Syntax.requireText(email, "e-mail address", 254);
    }
}
