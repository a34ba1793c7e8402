package dev.mcpgw.core.git;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * The one place that reads and writes branches of the registry repository, straight in the object database:
 * no working tree is ever touched. Writes are compare-and-swap on the branch ref with bounded, jittered
 * retries; each attempt recomputes its edits from the branch tip it builds on, so a concurrent writer's update
 * is never lost.
 */
public final class GitStore implements AutoCloseable {

    /** Files larger than this are not read (a registry file is a few KiB). */
    public static final int MAX_FILE_BYTES = 1024 * 1024;

    private static final int MAX_ATTEMPTS = 20;
    private static final java.time.Duration COMMIT_PATIENCE = java.time.Duration.ofSeconds(10);

    private final Repository repository;
    private final Object pushLock = new Object();
    /** What the remote said when it last refused a push for a reason other than a lost race; guarded by pushLock. */
    private volatile String lastRejection;

    private final java.util.Map<String, java.util.concurrent.locks.ReentrantLock> branchLocks =
            new java.util.concurrent.ConcurrentHashMap<>();

    private GitStore(Repository repository) {
        this.repository = repository;
    }

    /** Opens the repository at {@code directory}: a bare repository or a working copy's root. */
    public static GitStore open(Path directory) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
        java.io.File dir = directory.toFile();
        if (new java.io.File(dir, Constants.DOT_GIT).exists()) {
            builder.setWorkTree(dir);
        } else {
            builder.setGitDir(dir);
        }
        return new GitStore(builder.build());
    }

    public Repository repository() {
        return repository;
    }

    /** The commit a branch points at, if the branch exists. */
    public Optional<ObjectId> tip(String branch) throws IOException {
        return resolve(Constants.R_HEADS + branch);
    }

    /** The commit a full ref name ({@code refs/remotes/origin/main}) points at, if it exists. */
    public Optional<ObjectId> resolve(String refName) throws IOException {
        Ref ref = repository.exactRef(refName);
        return ref == null ? Optional.empty() : Optional.of(ref.getObjectId());
    }

    /** Brings {@code branch} of the remote into {@code localRef} (forced); false when the remote lacks it. */
    public boolean fetch(String remote, String branch, String localRef) throws IOException {
        try {
            Git git = Git.wrap(repository);
            boolean exists = git.lsRemote().setRemote(remote).setHeads(true).call().stream()
                    .anyMatch(ref -> ref.getName().equals(Constants.R_HEADS + branch));
            if (!exists) {
                return false;
            }
            git.fetch()
                    .setRemote(remote)
                    .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + branch + ":" + localRef))
                    .call();
            return true;
        } catch (GitAPIException e) {
            throw new IOException("could not fetch " + branch + " from " + remote + ": " + e.getMessage(), e);
        }
    }

    /**
     * Brings the remote's {@code branch} into the local branch of that name (forced), taking turns with
     * {@link #commitAndPush} so a commit on its way to the remote is never overwritten; false when the remote
     * lacks the branch.
     */
    public boolean pull(String remote, String branch) throws IOException {
        synchronized (pushLock) {
            return fetch(remote, branch, Constants.R_HEADS + branch);
        }
    }

    /**
     * Pushes {@code branch}; false when the remote moved on (not a fast-forward) or refused this attempt for
     * another reason (a concurrent push holding its ref lock), which {@link #commitAndPush} retries and, when it
     * persists, reports with the remote's own words.
     */
    public boolean push(String remote, String branch) throws IOException {
        try {
            String ref = Constants.R_HEADS + branch;
            for (PushResult result : Git.wrap(repository)
                    .push()
                    .setRemote(remote)
                    .setRefSpecs(new RefSpec(ref + ":" + ref))
                    .call()) {
                RemoteRefUpdate update = result.getRemoteUpdate(ref);
                switch (update.getStatus()) {
                    case OK, UP_TO_DATE -> {}
                    case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
                        return false;
                    }
                    case REJECTED_OTHER_REASON -> {
                        lastRejection = update.getMessage();
                        return false;
                    }
                    default ->
                        throw new IOException("push of " + branch + " to " + remote + " failed: " + update.getStatus()
                                + (update.getMessage() == null ? "" : " " + update.getMessage()));
                }
            }
            return true;
        } catch (GitAPIException e) {
            throw new IOException("could not push " + branch + " to " + remote + ": " + e.getMessage(), e);
        }
    }

    /** The regular files of a commit's tree under {@code directory} (recursively), path to blob id: no content read. */
    public Map<String, ObjectId> blobs(ObjectId commit, String directory) throws IOException {
        Map<String, ObjectId> blobs = new LinkedHashMap<>();
        try (RevWalk walk = new RevWalk(repository);
                TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(walk.parseCommit(commit).getTree());
            tree.setRecursive(true);
            tree.setFilter(PathFilter.create(directory));
            while (tree.next()) {
                if (tree.getFileMode(0) == FileMode.REGULAR_FILE || tree.getFileMode(0) == FileMode.EXECUTABLE_FILE) {
                    blobs.put(tree.getPathString(), tree.getObjectId(0));
                }
            }
        }
        return blobs;
    }

    /**
     * What changed under {@code directory} (recursively) from commit {@code from} to commit {@code to}: each path
     * added or modified with its new blob, each deleted (or no longer a regular file) with null. Only differing
     * entries are visited: unchanged ones cost a comparison of ids, no path string.
     */
    public Map<String, ObjectId> changedBlobs(ObjectId from, ObjectId to, String directory) throws IOException {
        Map<String, ObjectId> changed = new LinkedHashMap<>();
        try (RevWalk walk = new RevWalk(repository);
                TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(walk.parseCommit(from).getTree());
            tree.addTree(walk.parseCommit(to).getTree());
            tree.setRecursive(true);
            tree.setFilter(org.eclipse.jgit.treewalk.filter.AndTreeFilter.create(
                    PathFilter.create(directory), org.eclipse.jgit.treewalk.filter.TreeFilter.ANY_DIFF));
            while (tree.next()) {
                FileMode mode = tree.getFileMode(1);
                boolean file = mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE;
                changed.put(tree.getPathString(), file ? tree.getObjectId(1) : null);
            }
        }
        return changed;
    }

    /** A blob's content; one larger than {@link #MAX_FILE_BYTES} reads as that many + 1 zero bytes, never whole. */
    public byte[] read(ObjectId blob) throws IOException {
        ObjectLoader loader = repository.open(blob);
        return loader.getSize() <= MAX_FILE_BYTES ? loader.getBytes() : new byte[MAX_FILE_BYTES + 1];
    }

    /** The files of a commit's tree under {@code directory} (recursively), path to content. */
    public Map<String, byte[]> files(ObjectId commit, String directory) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Map.Entry<String, ObjectId> blob : blobs(commit, directory).entrySet()) {
            files.put(blob.getKey(), read(blob.getValue()));
        }
        return files;
    }

    /** The branch as a commit builds on it: its tip (null for a new branch) and its files. */
    public interface Snapshot {
        ObjectId tip();

        Map<String, byte[]> files(String directory) throws IOException;

        /** Paths to blob ids only: cheap, for finding a file among many. */
        Map<String, ObjectId> blobs(String directory) throws IOException;

        byte[] read(ObjectId blob) throws IOException;
    }

    /**
     * Computes a change from the branch as an attempt finds it; may throw (reading the snapshot can), and may
     * refuse with any exception, which ends the write with nothing changed.
     */
    @FunctionalInterface
    public interface ChangeFunction {
        Change apply(Snapshot snapshot) throws IOException;
    }

    /** What a commit attempt did. */
    public record CommitOutcome(ObjectId commit, boolean changed, int attempts) {}

    /** Files to write (path to new content, null to delete) and the commit message that explains them. */
    public record Change(Map<String, byte[]> edits, String message) {}

    /**
     * Commits to {@code branch} the change computed from the branch as it is. Retries on a concurrent update
     * (recomputing the change from the new tip); creates no commit when the tree would not change.
     */
    public CommitOutcome commit(String branch, ChangeFunction change, PersonIdent author) throws IOException {
        // Writers in this process take turns (fairly), so compare-and-swap only ever races other processes.
        java.util.concurrent.locks.ReentrantLock lock =
                branchLocks.computeIfAbsent(branch, name -> new java.util.concurrent.locks.ReentrantLock(true));
        lock.lock();
        try {
            return commitRetrying(branch, change, author);
        } finally {
            lock.unlock();
        }
    }

    private CommitOutcome commitRetrying(String branch, ChangeFunction change, PersonIdent author) throws IOException {
        // Racing writers retry for a while, not a number of times: on a busy two-core machine one writer can
        // lose twenty races in a row; losing for ten seconds means someone is stuck, not racing.
        long giveUpAt = System.nanoTime() + COMMIT_PATIENCE.toNanos();
        java.io.File lock = new java.io.File(repository.getDirectory(), Constants.R_HEADS + branch + ".lock");
        int attempt = 0;
        // A lock file still there after twenty tries is a crashed writer's, not a racing one's: said at once.
        while (++attempt <= MAX_ATTEMPTS || System.nanoTime() < giveUpAt && !lock.exists()) {
            ObjectId parent = tip(branch).orElse(null);
            Change computed = change.apply(new Snapshot() {
                @Override
                public ObjectId tip() {
                    return parent;
                }

                @Override
                public Map<String, byte[]> files(String directory) throws IOException {
                    return parent == null ? Map.of() : GitStore.this.files(parent, directory);
                }

                @Override
                public Map<String, ObjectId> blobs(String directory) throws IOException {
                    return parent == null ? Map.of() : GitStore.this.blobs(parent, directory);
                }

                @Override
                public byte[] read(ObjectId blob) throws IOException {
                    return GitStore.this.read(blob);
                }
            });
            Map<String, byte[]> edits = computed.edits();
            String message = computed.message();
            try (ObjectInserter inserter = repository.newObjectInserter();
                    ObjectReader reader = repository.newObjectReader();
                    RevWalk walk = new RevWalk(reader)) {
                RevCommit parentCommit = parent == null ? null : walk.parseCommit(parent);
                ObjectId tree = applyEdits(parentCommit, edits, inserter, reader);
                if (parentCommit != null && tree.equals(parentCommit.getTree())) {
                    return new CommitOutcome(parent, false, attempt);
                }
                CommitBuilder commit = new CommitBuilder();
                commit.setTreeId(tree);
                if (parent != null) {
                    commit.setParentId(parent);
                }
                commit.setAuthor(author);
                commit.setCommitter(author);
                commit.setMessage(message);
                ObjectId id = inserter.insert(commit);
                inserter.flush();
                RefUpdate update = repository.updateRef(Constants.R_HEADS + branch);
                update.setNewObjectId(id);
                update.setExpectedOldObjectId(parent == null ? ObjectId.zeroId() : parent);
                update.setRefLogMessage("mcpgw: " + firstLine(message), false);
                RefUpdate.Result result = update.update(walk);
                switch (result) {
                    case NEW, FAST_FORWARD, FORCED -> {
                        return new CommitOutcome(id, true, attempt);
                    }
                    case LOCK_FAILURE, REJECTED, REJECTED_MISSING_OBJECT -> backOff(attempt);
                    default -> throw new IOException("could not update " + branch + ": " + result);
                }
            }
        }
        if (lock.exists()) {
            throw new RepositoryLockedException(branch, lock.toPath());
        }
        throw new ConcurrentUpdateException("gave up updating " + branch + " after " + (attempt - 1) + " attempts in "
                + COMMIT_PATIENCE.toSeconds() + " s: other writers kept changing it");
    }

    /**
     * Commits like {@link #commit} and pushes the branch to {@code remote}; when another writer pushed first,
     * fetches its commit and recomputes the change on top, so neither update is lost. Writers through this
     * store take turns: the local branch is reset to the remote's before each attempt.
     */
    public CommitOutcome commitAndPush(String remote, String branch, ChangeFunction change, PersonIdent author)
            throws IOException {
        synchronized (pushLock) {
            lastRejection = null;
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                fetch(remote, branch, Constants.R_HEADS + branch);
                CommitOutcome outcome = commit(branch, change, author);
                if (!outcome.changed() || push(remote, branch)) {
                    return new CommitOutcome(outcome.commit(), outcome.changed(), attempt);
                }
                backOff(attempt);
            }
        }
        throw new ConcurrentUpdateException("gave up pushing " + branch + " to " + remote + " after " + MAX_ATTEMPTS
                + " attempts: "
                + (lastRejection == null
                        ? "other writers kept pushing first"
                        : "the remote kept refusing it (last: " + lastRejection + ")"));
    }

    private static ObjectId applyEdits(
            RevCommit parent, Map<String, byte[]> edits, ObjectInserter inserter, ObjectReader reader)
            throws IOException {
        DirCache index = DirCache.newInCore();
        if (parent != null) {
            DirCacheBuilder builder = index.builder();
            builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, parent.getTree());
            builder.finish();
        }
        DirCacheEditor editor = index.editor();
        for (Map.Entry<String, byte[]> edit : edits.entrySet()) {
            if (edit.getValue() == null) {
                editor.add(new DirCacheEditor.DeletePath(edit.getKey()));
            } else {
                ObjectId blob = inserter.insert(Constants.OBJ_BLOB, edit.getValue());
                editor.add(new DirCacheEditor.PathEdit(edit.getKey()) {
                    @Override
                    public void apply(DirCacheEntry entry) {
                        entry.setFileMode(FileMode.REGULAR_FILE);
                        entry.setObjectId(blob);
                    }
                });
            }
        }
        editor.finish();
        return index.writeTree(inserter);
    }

    /** Sleeps a little, more on each attempt, with jitter so racing writers spread out. */
    public static void backOff(int attempt) throws IOException {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 10) + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while retrying a branch update", e);
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() {
        repository.close();
    }
}
