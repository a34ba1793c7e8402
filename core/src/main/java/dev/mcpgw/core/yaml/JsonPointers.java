package dev.mcpgw.core.yaml;

import java.util.List;

/** RFC 6901 JSON Pointer helpers, and the dotted field names we show people ("owner.email", "tags[1]"). */
public final class JsonPointers {

    private JsonPointers() {}

    public static String child(String parent, String key) {
        return parent + "/" + key.replace("~", "~0").replace("/", "~1");
    }

    public static String child(String parent, int index) {
        return parent + "/" + index;
    }

    public static String of(List<?> elements) {
        StringBuilder pointer = new StringBuilder();
        for (Object element : elements) {
            pointer.append(element instanceof Integer i ? child("", i) : child("", String.valueOf(element)));
        }
        return pointer.toString();
    }

    public static String parent(String pointer) {
        int slash = pointer.lastIndexOf('/');
        return slash <= 0 ? "" : pointer.substring(0, slash);
    }

    /** "/owner/email" → "owner.email", "/tags/1" → "tags[1]", "" → "". */
    public static String toFieldName(String pointer) {
        if (pointer.isEmpty()) {
            return "";
        }
        StringBuilder field = new StringBuilder();
        for (String raw : pointer.substring(1).split("/", -1)) {
            String token = raw.replace("~1", "/").replace("~0", "~");
            if (!token.isEmpty() && token.chars().allMatch(Character::isDigit)) {
                field.append('[').append(token).append(']');
            } else {
                if (field.length() > 0) {
                    field.append('.');
                }
                field.append(token);
            }
        }
        return field.toString();
    }
}
