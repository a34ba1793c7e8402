package dev.mcpgw.core.text;

/**
 * Characters no string in a server entry may contain: C0 and C1 control characters (NUL, tab, line breaks,
 * escape sequences) and invisible or bidirectional formatting characters (Trojan Source, CVE-2021-42574).
 * Kept in step with the {@code singleLineText} pattern of the schema.
 */
public final class UnsafeCharacters {

    private static final int MAX_QUOTED_LENGTH = 80;

    private UnsafeCharacters() {}

    public static boolean isUnsafe(int c) {
        return c <= 0x1F
                || (c >= 0x7F && c <= 0x9F)
                || c == 0x061C
                || (c >= 0x200B && c <= 0x200F)
                || (c >= 0x2028 && c <= 0x202E)
                || (c >= 0x2060 && c <= 0x206F)
                || c == 0xFEFF;
    }

    /** Index (in chars) of the first unsafe character, or -1. */
    public static int indexOfFirst(String s) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (isUnsafe(c)) {
                return i;
            }
            i += Character.charCount(c);
        }
        return -1;
    }

    /** A name a person recognises: "a line feed (U+000A)", "a right-to-left override (U+202E)". */
    public static String describe(int c) {
        String name = switch (c) {
            case 0x00 -> "a NUL character";
            case 0x09 -> "a tab";
            case 0x0A -> "a line feed";
            case 0x0D -> "a carriage return";
            case 0x1B -> "an escape character";
            case 0x2028 -> "a line separator";
            case 0x2029 -> "a paragraph separator";
            case 0xFEFF -> "a zero-width no-break space";
            default -> {
                if (c >= 0x202A && c <= 0x202E
                        || c >= 0x2066 && c <= 0x2069
                        || c == 0x200E
                        || c == 0x200F
                        || c == 0x061C) {
                    yield "a bidirectional formatting character";
                }
                if (c >= 0x200B && c <= 0x200D || c >= 0x2060 && c <= 0x206F) {
                    yield "an invisible formatting character";
                }
                yield "a control character";
            }
        };
        return name + String.format(" (U+%04X)", c);
    }

    /**
     * Quotes a value for an error message so that it cannot disturb a terminal or a CI log: unsafe characters
     * become \\u escapes and long values are shortened.
     */
    public static String quote(String value) {
        return "'" + escape(value) + "'";
    }

    /**
     * One line of a log or a commit message that may carry text from an upstream or a registrant: every unsafe
     * character (line breaks, terminal escape sequences, bidirectional controls) becomes a visible escape
     * ({@code \n}, {@code \u001B}, ...) and a backslash doubles, so the text can never start a line of its own,
     * forge another record or repaint a terminal; nothing else changes and nothing is cut.
     */
    public static String oneLine(String text) {
        if (text == null) {
            return "null";
        }
        int first = 0;
        while (first < text.length()
                && !isUnsafe(text.charAt(first))
                && text.charAt(first) != '\\'
                && !Character.isSurrogate(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (isUnsafe(c)) {
                        out.append(String.format("\\u%04X", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Like {@link #quote} without the quotes. */
    public static String escape(String value) {
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            if (shown++ == MAX_QUOTED_LENGTH) {
                out.append("...");
                break;
            }
            if (isUnsafe(c) || c == '\\') {
                out.append(c == '\\' ? "\\\\" : String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        }
        return out.toString();
    }
}
