package dev.mcpgw.core.git;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A branch's lock file is held: a Git command is running on the repository, or one died and left the file.
 * Nothing was changed. The message names the file to remove when no Git command is running.
 */
public final class RepositoryLockedException extends IOException {

    private final Path lockFile;

    public RepositoryLockedException(String branch, Path lockFile) {
        super("branch " + branch + " is locked: " + lockFile + " exists; if no Git command is running on this "
                + "repository, remove that file");
        this.lockFile = lockFile;
    }

    public Path lockFile() {
        return lockFile;
    }
}
