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

    /** The entry files among a Git tree's files (path to content), for example those under servers/. */
    public static java.util.List<SourceFile> entryFiles(java.util.Map<String, byte[]> files) {
        java.util.List<SourceFile> sources = new java.util.ArrayList<>();
        files.forEach((path, bytes) -> {
            if (isEntryFileName(path.substring(path.lastIndexOf('/') + 1))) {
                sources.add(new SourceFile(path, bytes));
            }
        });
        return sources;
    }

    public static boolean isEntryFileName(String name) {
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.startsWith(".");
    }
}
