package dev.mcpgw.core.validation;

import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.yaml.YamlDocument;
import java.util.List;

/**
 * What validating one file found: the entry when it is valid on its own, and its problems.
 *
 * @param document the parsed file, or null when it could not be read or parsed
 * @param entry    the entry, or null when the file has problems
 */
public record FileResult(String file, YamlDocument document, ServerEntry entry, List<Problem> problems) {

    public FileResult {
        problems = List.copyOf(problems);
    }
}
