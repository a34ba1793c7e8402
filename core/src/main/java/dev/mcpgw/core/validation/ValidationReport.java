package dev.mcpgw.core.validation;

import dev.mcpgw.core.model.ServerEntry;
import java.util.List;
import java.util.Objects;

/** The outcome of validating a registry: every file's result and every problem, in file order. */
public record ValidationReport(List<FileResult> files, List<Problem> problems) {

    public ValidationReport {
        files = List.copyOf(files);
        problems = problems.stream().sorted(Problem.IN_FILE_ORDER).toList();
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** The valid entries, in file order. */
    public List<ServerEntry> entries() {
        return files.stream().map(FileResult::entry).filter(Objects::nonNull).toList();
    }

    /** One line for people: what was checked and how it went. */
    public String summary() {
        if (valid()) {
            long enabled = entries().stream().filter(ServerEntry::enabled).count();
            return String.format(
                    "%d server %s valid (%d enabled, %d disabled)",
                    files.size(), files.size() == 1 ? "entry" : "entries", enabled, files.size() - enabled);
        }
        long badFiles = problems.stream().map(Problem::file).distinct().count();
        return String.format(
                "%d %s in %d of %d %s",
                problems.size(),
                problems.size() == 1 ? "problem" : "problems",
                badFiles,
                files.size(),
                files.size() == 1 ? "file" : "files");
    }
}
