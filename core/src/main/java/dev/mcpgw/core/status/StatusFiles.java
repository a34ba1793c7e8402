package dev.mcpgw.core.status;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.ServerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The statuses of a status branch at one revision (or of a directory holding its files), read one way
 * everywhere: a server's identity is its file's name, {@code servers/<id>.json}; a file that cannot be read is
 * reported with its path and the reason, never silently taken as "no status". Files that are not JSON (a
 * README) are not status files and are ignored.
 *
 * @param byId       every readable status, by server id
 * @param unreadable every {@code .json} file that could not be read, in path order
 */
public record StatusFiles(Map<String, ServerStatus> byId, List<Unreadable> unreadable) {

    /** A status file that could not be read: where it is and why. */
    public record Unreadable(String path, String reason) {
        @Override
        public String toString() {
            return path + ": " + reason;
        }
    }

    public static final StatusFiles NONE = new StatusFiles(Map.of(), List.of());

    public StatusFiles {
        byId = java.util.Collections.unmodifiableMap(new TreeMap<>(byId));
        unreadable = List.copyOf(unreadable);
    }

    /** Reads files given as path to content (paths such as {@code servers/time.json}). */
    public static StatusFiles read(Map<String, byte[]> files) {
        Map<String, ServerStatus> byId = new LinkedHashMap<>();
        List<Unreadable> unreadable = new ArrayList<>();
        new TreeMap<>(files).forEach((path, bytes) -> {
            if (!path.endsWith(".json")) {
                return;
            }
            Optional<String> id = idOf(path);
            if (id.isEmpty()) {
                unreadable.add(new Unreadable(
                        path,
                        "not named <id>.json after a registered server's id "
                                + "(lower-case letters, digits and dashes)"));
                return;
            }
            if (bytes.length > GitStore.MAX_FILE_BYTES) {
                unreadable.add(new Unreadable(path, "larger than " + GitStore.MAX_FILE_BYTES + " bytes"));
                return;
            }
            try {
                byId.put(id.get(), StatusJson.read(id.get(), bytes));
            } catch (UnreadableStatusException e) {
                unreadable.add(new Unreadable(path, e.getMessage()));
            }
        });
        return new StatusFiles(byId, unreadable);
    }

    /** The statuses under {@code servers/} of a status-branch commit. */
    public static StatusFiles fromGit(GitStore store, ObjectId revision) throws IOException {
        return read(store.files(revision, "servers"));
    }

    /** The statuses of the branch's tip; none when the branch does not exist yet. */
    public static StatusFiles fromBranch(GitStore store, String branch) throws IOException {
        Optional<ObjectId> tip = store.tip(branch);
        return tip.isEmpty() ? NONE : fromGit(store, tip.get());
    }

    /** The statuses in a directory laid out like the branch ({@code DIR/servers/*.json}) or holding the files. */
    public static StatusFiles fromDirectory(Path directory) throws IOException {
        Path files = Files.isDirectory(directory.resolve("servers")) ? directory.resolve("servers") : directory;
        Map<String, byte[]> read = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(files)) {
            for (Path file : list.filter(Files::isRegularFile).toList()) {
                read.put(
                        directory.relativize(file).toString().replace('\\', '/'),
                        Files.size(file) > GitStore.MAX_FILE_BYTES
                                ? new byte[GitStore.MAX_FILE_BYTES + 1]
                                : Files.readAllBytes(file));
            }
        }
        return read(read);
    }

    /** The server id a status file's path names: {@code servers/time.json} names {@code time}. */
    public static Optional<String> idOf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (!name.endsWith(".json")) {
            return Optional.empty();
        }
        String id = name.substring(0, name.length() - ".json".length());
        return ServerId.isWellFormed(id) ? Optional.of(id) : Optional.empty();
    }
}
