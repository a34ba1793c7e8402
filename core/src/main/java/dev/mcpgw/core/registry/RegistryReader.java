package dev.mcpgw.core.registry;

import dev.mcpgw.core.access.AccessPolicy;
import dev.mcpgw.core.access.AccessValidator;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.validation.FileResult;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.core.validation.ValidationReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Reads the registry from Git at a revision: the one way every part (runtime, probe, gateway apply, search)
 * does it. Files whose content did not change since the previous read are not validated again.
 */
public final class RegistryReader {

    /** Where entry files live in the config branch. */
    public static final String DIRECTORY = "servers";

    private final GitStore store;
    private final RegistryValidator validator;
    /** The last revision read, and its entry files' results by path (in path order). */
    private ObjectId lastRevision;

    private java.util.TreeMap<String, FileResult> lastByPath = new java.util.TreeMap<>();

    public RegistryReader(GitStore store, RegistryValidator validator) {
        this.store = store;
        this.validator = validator;
    }

    /**
     * The registry at commit {@code revision}. After the first read only what changed since the previous read is
     * looked at and validated again: one commit to a registry of 10,000 entries reads one file.
     */
    public synchronized RegistryRevision read(ObjectId revision) throws IOException {
        java.util.TreeMap<String, FileResult> byPath;
        if (lastRevision == null) {
            byPath = new java.util.TreeMap<>();
            for (Map.Entry<String, ObjectId> blob :
                    store.blobs(revision, DIRECTORY).entrySet()) {
                check(byPath, blob.getKey(), blob.getValue());
            }
        } else {
            byPath = new java.util.TreeMap<>(lastByPath);
            for (Map.Entry<String, ObjectId> blob :
                    store.changedBlobs(lastRevision, revision, DIRECTORY).entrySet()) {
                byPath.remove(blob.getKey());
                if (blob.getValue() != null) {
                    check(byPath, blob.getKey(), blob.getValue());
                }
            }
        }
        lastRevision = revision;
        lastByPath = byPath;
        List<FileResult> results = new ArrayList<>(byPath.values());
        ValidationReport report = validator.combine(results);
        byte[] rules = store.files(revision, AccessValidator.FILE).get(AccessValidator.FILE);
        if (rules == null) {
            return new RegistryRevision(revision, report, null, List.of());
        }
        TreeSet<String> ids = new TreeSet<>();
        report.files().forEach(file -> ids.add(SourceFile.idFromName(file.file())));
        AccessValidator.Result access =
                new AccessValidator().validate(new SourceFile(AccessValidator.FILE, rules), ids);
        return new RegistryRevision(
                revision, report, access.policy() != null ? access.policy() : AccessPolicy.DENY_ALL, access.problems());
    }

    private void check(Map<String, FileResult> byPath, String path, ObjectId blob) throws IOException {
        if (SourceFile.isEntryFileName(path.substring(path.lastIndexOf('/') + 1))) {
            byPath.put(path, validator.validateFile(new SourceFile(path, store.read(blob))));
        }
    }

    /** The registry at the tip of {@code branch}; a clear error when the branch does not exist. */
    public RegistryRevision readBranch(String branch) throws IOException {
        ObjectId tip = store.tip(branch)
                .orElseThrow(() -> new IOException("branch " + branch + " does not exist in "
                        + store.repository().getDirectory()));
        return read(tip);
    }

    /** The entry files of a revision, for a compiler that validates them itself. */
    public List<SourceFile> entryFiles(ObjectId revision) throws IOException {
        return SourceFile.entryFiles(store.files(revision, DIRECTORY));
    }
}
