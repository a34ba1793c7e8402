package dev.mcpgw.core.validation;

/**
 * A server entry file to validate, wherever it comes from (a directory, a Git tree, a form).
 *
 * @param shownAs the name used in messages, for example {@code servers/time.yaml}
 * @param bytes   the file's content, at most {@link dev.mcpgw.core.yaml.SafeYamlReader#MAX_BYTES}
 */
public record SourceFile(String shownAs, byte[] bytes) {

    /** The id the file name promises: {@code servers/team/time.yaml} → {@code time}. */
    public String idFromName() {
        return idFromName(shownAs);
    }

    /** The id a file name promises, for any path. */
    public static String idFromName(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    public static boolean isEntryFileName(String name) {
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.startsWith(".");
    }
}
