package dev.mcpgw.core.model;

import dev.mcpgw.core.text.UnsafeCharacters;
import java.util.regex.Pattern;

/**
 * The allowed alphabets of model values, the second layer behind the JSON Schema's patterns.
 * Always used with {@link Pattern#matcher(CharSequence)}{@code .matches()}, which anchors at both ends.
 */
final class Syntax {

    static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    static final Pattern TAG = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");
    static final Pattern HOST = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
                    + "|\\[[0-9A-Fa-f:.]{2,45}]");
    static final Pattern URL_PATH =
            Pattern.compile("(/([A-Za-z0-9._~!*+,=:@-]|%([2-689A-Fa-f][0-9A-Fa-f]|7[0-9A-Ea-e]))*)*");
    static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?");
    static final Pattern HEADER_PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,31} ?");
    static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,127}");
    static final Pattern FILE_PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");

    private Syntax() {}

    static String require(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("not a valid " + what);
        }
        return value;
    }

    static String requireText(String value, String what, int maxLength) {
        if (value == null
                || value.isEmpty()
                || value.length() > maxLength
                || UnsafeCharacters.indexOfFirst(value) >= 0) {
            throw new IllegalArgumentException("not a valid " + what);
        }
        return value;
    }

    static int requirePort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range; use 1-65535");
        }
        return port;
    }
}
