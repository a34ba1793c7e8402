package dev.mcpgw.runtime.registry;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.validation.FileResult;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.core.validation.ValidationReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.lib.ObjectId;
import tools.jackson.databind.JsonNode;

/**
 * The registry as the config branch holds it now, validated, kept in memory and reloaded when the branch
 * moves: by this runtime's own commits or by anyone else's (a merged pull request). Readers never wait for
 * a reload; they see the previous snapshot until the new one is complete.
 */
public final class RegistryView {

    /** One file of servers/: its entry when valid, and the tree it was read as (for details). */
    public record Registered(String id, String file, ServerEntry entry, JsonNode document) {
        public boolean valid() {
            return entry != null;
        }
    }

    /** One revision of the registry; {@code servers} is keyed by id in id order. */
    public record Snapshot(ObjectId revision, Map<String, Registered> servers, List<String> problems) {

        public Optional<Registered> server(String id) {
            return Optional.ofNullable(servers.get(id));
        }

        public List<ServerEntry> entries() {
            return servers.values().stream().filter(Registered::valid).map(Registered::entry).toList();
        }

        /** Every registered server's path and whether it is enabled (an invalid entry counts as disabled). */
        public Map<String, Boolean> enabledByPath() {
            Map<String, Boolean> enabled = new TreeMap<>();
            servers.values().forEach(server -> enabled.put("/" + server.id(), server.valid() && server.entry().enabled()));
            return enabled;
        }
    }

    private final GitStore store;
    private final String branch;
    private final RegistryValidator validator;
    /** Validation results by file path and blob id, from the last revision loaded. */
    private Map<String, FileResult> checked = Map.of();
    private final AtomicReference<Snapshot> current =
            new AtomicReference<>(new Snapshot(null, Map.of(), List.of()));

    public RegistryView(GitStore store, String branch, RegistryValidator validator) {
        this.store = store;
        this.branch = branch;
        this.validator = validator;
    }

    public Snapshot current() {
        return current.get();
    }

    /** Reloads when the branch moved; true when it did. */
    public synchronized boolean refresh() throws IOException {
        ObjectId tip = store.tip(branch).orElse(null);
        if (tip == null ? current.get().revision() == null : tip.equals(current.get().revision())) {
            return false;
        }
        current.set(tip == null ? new Snapshot(null, Map.of(), List.of()) : load(tip));
        return true;
    }

    /** Reads and validates only the files whose content changed since the last revision. */
    private Snapshot load(ObjectId tip) throws IOException {
        Map<String, FileResult> previous = checked;
        Map<String, FileResult> next = new java.util.HashMap<>();
        List<FileResult> results = new ArrayList<>();
        for (Map.Entry<String, ObjectId> blob : store.blobs(tip, "servers").entrySet()) {
            String path = blob.getKey();
            if (!SourceFile.isEntryFileName(path.substring(path.lastIndexOf('/') + 1))) {
                continue;
            }
            String key = path + "@" + blob.getValue().name();
            FileResult result = previous.get(key);
            if (result == null) {
                result = validator.validateFile(new SourceFile(path, store.read(blob.getValue())));
            }
            next.put(key, result);
            results.add(result);
        }
        checked = next;
        ValidationReport report = validator.combine(results);
        Map<String, Registered> servers = new TreeMap<>();
        for (FileResult file : report.files()) {
            String id = SourceFile.idFromName(file.file());
            servers.put(id, new Registered(id, file.file(), file.entry(),
                    file.document() == null ? null : file.document().root()));
        }
        List<String> problems = new ArrayList<>();
        report.problems().forEach(problem -> problems.add(problem.toString()));
        return new Snapshot(tip, java.util.Collections.unmodifiableMap(servers), List.copyOf(problems));
    }
}
