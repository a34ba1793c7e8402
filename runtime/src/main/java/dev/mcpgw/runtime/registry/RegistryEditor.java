package dev.mcpgw.runtime.registry;

import dev.mcpgw.core.git.ConcurrentUpdateException;
import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.core.validation.FileResult;
import dev.mcpgw.core.validation.Problem;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.core.yaml.EntryYamlEditor;
import dev.mcpgw.core.yaml.YamlSyntaxException;
import dev.mcpgw.runtime.service.RegistryException;
import dev.mcpgw.runtime.service.RegistryException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Every change the runtime's API makes to the registry: the resulting file is built, validated exactly as
 * {@code mcpgw validate} validates it, and committed to the config branch (pushed too, with a remote) with
 * the requester as author. The change is recomputed from the branch as it is at each attempt, so concurrent
 * requests never lose one another's update. Nothing is written when a request is refused.
 */
public final class RegistryEditor {

    private static final String DIRECTORY = dev.mcpgw.core.registry.RegistryReader.DIRECTORY;

    private final GitStore store;
    private final String branch;
    private final String remote;
    private final RegistryValidator validator;
    private final EntryYamlEditor yaml = new EntryYamlEditor();

    /** What a change did; {@code changed} is false when the registry already was as asked (no commit). */
    public record Outcome(String id, ObjectId commit, boolean changed, JsonNode entry) {}

    /** @param remote when set, each commit is pushed there (and retried on top of others' pushes) */
    public RegistryEditor(GitStore store, String branch, String remote, RegistryValidator validator) {
        this.store = store;
        this.branch = branch;
        this.remote = remote;
        this.validator = validator;
    }

    /** Registers a new server; it starts disabled unless the request says {@code enabled}, as in the reference. */
    public Outcome register(JsonNode fields, PersonIdent author) throws IOException {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("transport", "streamable-http");
        entry.put("enabled", false);
        EntryFields.changes(fields, false).forEach(entry::set);
        String path = entry.path("path").isString() ? entry.path("path").asString() : "";
        String id = idOf(path);
        String file = DIRECTORY + "/" + (id == null ? "new-entry" : id) + ".yaml";
        byte[] bytes = yaml.create(entry, "Registered through the mcpgw runtime by " + author.getName() + ".");
        FileResult checked = check(file, bytes);
        if (id == null) {
            throw RegistryException.invalid("path: '" + path + "' is not a server path such as /currenttime");
        }
        AtomicReference<ObjectNode> written = new AtomicReference<>(entry);
        return commit(
                id,
                written,
                snapshot -> {
                    String existing = fileOf(snapshot.blobs(DIRECTORY), id);
                    if (existing != null) {
                        throw new RegistryException(
                                Reason.CONFLICT,
                                // not which file: the caller may not be allowed to see that server
                                "a server is already registered at " + path + "; choose another path");
                    }
                    return new GitStore.Change(
                            Map.of(file, bytes),
                            "Register " + path + " (" + checked.entry().name() + ")\n\n" + "Requested by "
                                    + dev.mcpgw.core.text.UnsafeCharacters.oneLine(author.getName())
                                    + " through the runtime API.");
                },
                author);
    }

    public Outcome toggle(String id, boolean enabled, PersonIdent author) throws IOException {
        return update(
                id,
                Map.of("enabled", BooleanNode.valueOf(enabled)),
                (enabled ? "Enable /" : "Disable /") + id,
                author,
                EditGuard.NONE);
    }

    /**
     * Decides, on the entry as the commit finds it, whether a change of {@code changedKeys} may be made; refuses
     * by throwing. Checked at every attempt, so a concurrent change of the entry cannot slip past it.
     */
    @FunctionalInterface
    public interface EditGuard {
        void check(JsonNode current, java.util.Set<String> changedKeys);

        EditGuard NONE = (current, changedKeys) -> {};
    }

    /** Changes the fields given and keeps the others; a server cannot be moved to another path. */
    public Outcome edit(String id, JsonNode fields, PersonIdent author) throws IOException {
        return edit(id, fields, author, EditGuard.NONE);
    }

    /** As {@link #edit(String, JsonNode, PersonIdent)}, {@code guard} deciding on the entry as found. */
    public Outcome edit(String id, JsonNode fields, PersonIdent author, EditGuard guard) throws IOException {
        Map<String, JsonNode> changes = new HashMap<>(EntryFields.changes(fields, true));
        JsonNode path = changes.remove("path");
        if (path != null && !path.equals(StringNode.valueOf("/" + id))) {
            throw RegistryException.invalid(
                    "path: a server cannot be moved; register it at the new path and delete /" + id);
        }
        if (changes.isEmpty()) {
            throw RegistryException.invalid("nothing to change: send the fields to edit, for example description");
        }
        return update(
                id,
                changes,
                "Edit /" + id + ": " + String.join(", ", new java.util.TreeSet<>(changes.keySet())),
                author,
                guard);
    }

    public Outcome delete(String id, PersonIdent author) throws IOException {
        return commit(
                id,
                new AtomicReference<>(),
                snapshot -> {
                    String file = requireFile(snapshot.blobs(DIRECTORY), id);
                    Map<String, byte[]> edits = new HashMap<>();
                    edits.put(file, null);
                    return new GitStore.Change(
                            edits,
                            "Delete /" + id + "\n\nRequested by "
                                    + dev.mcpgw.core.text.UnsafeCharacters.oneLine(author.getName())
                                    + " through the runtime API.");
                },
                author);
    }

    private Outcome update(
            String id, Map<String, JsonNode> changes, String summary, PersonIdent author, EditGuard guard)
            throws IOException {
        AtomicReference<ObjectNode> written = new AtomicReference<>();
        return commit(
                id,
                written,
                snapshot -> {
                    Map<String, ObjectId> blobs = snapshot.blobs(DIRECTORY);
                    String file = requireFile(blobs, id);
                    byte[] current = snapshot.read(blobs.get(file));
                    FileResult before = validator.validateFile(new SourceFile(file, current));
                    guard.check(
                            before.document() == null
                                    ? JsonNodeFactory.instance.missingNode()
                                    : before.document().root(),
                            changes.keySet());
                    byte[] updated;
                    try {
                        updated = yaml.update(current, changes);
                    } catch (YamlSyntaxException e) {
                        throw new RegistryException(
                                Reason.UNREADABLE_ENTRY,
                                file + ":" + e.position() + ": " + e.getMessage() + "; fix the file in Git first");
                    }
                    FileResult checked = check(file, updated);
                    written.set((ObjectNode) checked.document().root());
                    return new GitStore.Change(
                            Map.of(file, updated),
                            summary + "\n\nRequested by "
                                    + dev.mcpgw.core.text.UnsafeCharacters.oneLine(author.getName())
                                    + " through the runtime API.");
                },
                author);
    }

    /**
     * Commits the change (pushing it with a remote). Git's own refusals come back typed: a registry that kept
     * changing is {@link Reason#BUSY}, a locked or unusable repository {@link Reason#UNAVAILABLE}.
     */
    private Outcome commit(
            String id, AtomicReference<ObjectNode> written, GitStore.ChangeFunction change, PersonIdent author)
            throws IOException {
        GitStore.CommitOutcome outcome;
        try {
            outcome = remote == null
                    ? store.commit(branch, change, author)
                    : store.commitAndPush(remote, branch, change, author);
        } catch (ConcurrentUpdateException e) {
            throw new RegistryException(
                    Reason.BUSY, "the registry kept changing under this request; nothing was " + "changed, try again");
        } catch (IOException e) {
            throw new RegistryException(
                    Reason.UNAVAILABLE,
                    "could not use the registry repository (" + e.getMessage() + "); nothing was changed, try again");
        }
        return new Outcome(id, outcome.commit(), outcome.changed(), written.get());
    }

    /** The validator's verdict on one file, as {@code mcpgw validate} and {@code mcpgw compile} judge it. */
    private FileResult check(String file, byte[] bytes) {
        FileResult result = validator.validateFile(new SourceFile(file, bytes));
        List<Problem> problems = new ArrayList<>(result.problems());
        if (!problems.isEmpty()) {
            problems.sort(Problem.IN_FILE_ORDER);
            throw new RegistryException(
                    Reason.INVALID_ENTRY,
                    problems.size() == 1
                            ? problems.get(0).toString()
                            : problems.size() + " problems; the entry was not saved",
                    problems.stream().map(Problem::toString).toList());
        }
        return result;
    }

    /** The id a requested path names, or null when it names none (the validator then says why). */
    private static String idOf(String path) {
        try {
            return ServerId.fromPath(path).value();
        } catch (IllegalArgumentException invalid) {
            return null;
        }
    }

    private static String requireFile(Map<String, ObjectId> files, String id) {
        String file = fileOf(files, id);
        if (file == null) {
            throw RegistryException.notFound("/" + id);
        }
        return file;
    }

    /** The file that holds server {@code id}, anywhere under servers/; null when none does. */
    private static String fileOf(Map<String, ObjectId> files, String id) {
        if (id == null) {
            return null;
        }
        List<String> matches = files.keySet().stream()
                .filter(path -> SourceFile.isEntryFileName(path.substring(path.lastIndexOf('/') + 1)))
                .filter(path -> SourceFile.idFromName(path).equals(id))
                .toList();
        if (matches.size() > 1) {
            throw new RegistryException(
                    Reason.CONFLICT,
                    "/" + id + " is defined by " + String.join(" and ", matches) + "; remove one of them in Git first");
        }
        return matches.isEmpty() ? null : matches.get(0);
    }
}
