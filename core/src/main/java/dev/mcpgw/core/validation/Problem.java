package dev.mcpgw.core.validation;

import dev.mcpgw.core.text.UnsafeCharacters;
import dev.mcpgw.core.yaml.Position;
import java.util.Comparator;

/**
 * One thing wrong with the registry, for the person who fixes it.
 *
 * @param file     the file as the user names it (for example {@code servers/time.yaml}), or the directory
 * @param position where in the file, or null when the problem is about the file or directory as a whole
 * @param field    the field in dotted form ({@code owner.email}, {@code tags[1]}), or "" for the whole file;
 *                 unsafe characters are escaped
 * @param message  what is wrong and what is allowed
 */
public record Problem(String file, Position position, String field, String message) {

    /** The field is escaped here because it can come from a key the user typed. */
    public Problem {
        field = UnsafeCharacters.escape(field);
    }

    public static final Comparator<Problem> IN_FILE_ORDER = Comparator.comparing(Problem::file)
            .thenComparing(p -> p.position() == null ? 0 : p.position().line())
            .thenComparing(p -> p.position() == null ? 0 : p.position().column())
            .thenComparing(Problem::field)
            .thenComparing(Problem::message);

    /** {@code servers/x.yaml:3:7: path: message}, the form compilers and editors understand. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(file);
        if (position != null) {
            line.append(':').append(position.line()).append(':').append(position.column());
        }
        line.append(": ");
        if (!field.isEmpty()) {
            line.append(field).append(": ");
        }
        return line.append(message).toString();
    }
}
