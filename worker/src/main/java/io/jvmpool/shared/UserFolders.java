package io.jvmpool.shared;

import java.nio.file.Path;

/** The folders jvmpool keeps a user's files in on this machine. */
public final class UserFolders {
    private UserFolders() {
    }

    /** Small files of running jobs (addresses for {@code status}, exit codes): {@code $TMPDIR/jvmpool-$USER}. */
    public static Path runtime() {
        return Path.of(System.getProperty("java.io.tmpdir"), "jvmpool-" + System.getProperty("user.name"));
    }

    /** The cache (class data archives, shipped task jars, crash reports): {@code $XDG_CACHE_HOME/jvmpool}, or {@code ~/.cache/jvmpool}. */
    public static Path cache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "jvmpool") : Path.of(System.getProperty("user.home"), ".cache", "jvmpool");
    }
}
