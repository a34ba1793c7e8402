package dev.mcpgw.core.registry;

import dev.mcpgw.core.access.AccessPolicy;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.validation.FileResult;
import dev.mcpgw.core.validation.Problem;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.core.validation.ValidationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The registry as one config-branch revision holds it: every entry file under {@code servers/} validated as
 * {@code mcpgw validate} validates it, and {@code access.yaml} checked against the ids registered.
 *
 * @param revision       the commit read
 * @param report         every entry file's result and every problem
 * @param access         the access policy; null when the revision has no access.yaml; {@link AccessPolicy#DENY_ALL}
 *                       when it has one with problems (nobody but administrators until it is fixed)
 * @param accessProblems the problems of access.yaml, empty when it is absent or valid
 */
public record RegistryRevision(
        ObjectId revision, ValidationReport report, AccessPolicy access, List<Problem> accessProblems) {

    public RegistryRevision {
        accessProblems = List.copyOf(accessProblems);
    }

    /** The valid entries, in file order. */
    public List<ServerEntry> entries() {
        return report.entries();
    }

    /** The id of every entry file, valid or not (an invalid file still claims its id). */
    public Set<String> ids() {
        Set<String> ids = new TreeSet<>();
        for (FileResult file : report.files()) {
            ids.add(file.entry() != null ? file.entry().id().value() : SourceFile.idFromName(file.file()));
        }
        return ids;
    }

    /** Every problem of the entries and of access.yaml, as {@code mcpgw validate} prints them. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        report.problems().forEach(problem -> problems.add(problem.toString()));
        accessProblems.forEach(problem -> problems.add(problem.toString()));
        return List.copyOf(problems);
    }
}
