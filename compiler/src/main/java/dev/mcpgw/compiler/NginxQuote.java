package dev.mcpgw.compiler;

import dev.mcpgw.core.model.ServerId;

/**
 * The one way a value from a server entry or a command-line option reaches nginx.conf: as a double-quoted
 * token. Values are validated to safe alphabets before they get here; this is the second layer, at the sink.
 *
 * <p>Refuses what quoting cannot make safe: line breaks and other control characters (they would end the
 * directive), {@code $} (nginx expands variables inside quotes) and anything outside printable ASCII.
 * Escapes {@code \} and {@code "}.
 */
public final class NginxQuote {

    private NginxQuote() {}

    /**
     * A server id as part of an nginx variable or upstream name ({@code $mcpgw_my_server_route}): ids are
     * {@code [a-z0-9-]} and variable names stop at '-', so '-' becomes '_' (ids never contain '_').
     */
    public static String identifier(ServerId id) {
        String name = id.value().replace('-', '_');
        if (!name.matches("[a-z0-9_]{1,63}")) {
            throw new IllegalArgumentException("not an identifier: " + id);
        }
        return name;
    }

    public static String quote(String value) {
        return quote(value, false);
    }

    /**
     * A secret (an upstream credential) as a double-quoted token: as {@link #quote}, except that a {@code $} is
     * written as {@code ${mcpgw_dollar}}, a variable whose value is a literal "$" (declared where secrets are
     * written, by a {@code geo} block: geo values are never expanded).
     */
    public static String secret(String value) {
        return quote(value, true);
    }

    private static String quote(String value, boolean dollarsAsVariable) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '$' && dollarsAsVariable) {
                quoted.append("${mcpgw_dollar}");
                continue;
            }
            if (c < 0x20 || c >= 0x7F || c == '$') {
                throw new IllegalArgumentException(String.format(
                        "refusing to write a value with %s into nginx.conf",
                        c == '$' ? "'$'" : String.format("U+%04X", (int) c)));
            }
            if (c == '\\' || c == '"') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }
}
